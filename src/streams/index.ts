/**
 * Durable event streams: {@link EventStream} (append, consume with consumer groups, replay), the
 * {@link Consumer} it starts, and their option and delivery types.
 */
export { EventStream } from './event-stream.js';
export { Consumer } from './consumer.js';
export { STREAM_DEFAULTS } from './options.js';
export type { ConsumeOptions, EventStreamOptions } from './options.js';
export type { ReplayOptions } from './replay.js';
export type {
  ChannelDelivery,
  ConsumerErrorHandler,
  ConsumerErrorStage,
  ConsumerStats,
  Delivery,
  DeliveryHandler,
} from './delivery.js';
export { DEAD_LETTER_FIELDS } from './dead-letter.js';
export { ENTRY_FIELDS } from './entry.js';
