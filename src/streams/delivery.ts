/**
 * What a consumer hands to its handler, and the handler and error-observer signatures. A delivery
 * carries enough identity (`eventId`, `streamId`, `deliveryCount`) for a handler to be idempotent:
 * delivery is at-least-once, so an entry whose acknowledgement was lost arrives again.
 */
import type { Channel, EventOf } from '../events/channels.js';

/** One delivery of one stream entry of channel `C`. */
export interface ChannelDelivery<C extends Channel> {
  /** The typed event (`SignalEvent`, `OrderEvent` or `PositionEvent`). */
  readonly event: EventOf<C>;
  /** The event's `event_id`, or the stream entry id when the event has none: stable across redeliveries. */
  readonly eventId: string;
  /** The stream entry id (`1700000000000-0`). */
  readonly streamId: string;
  /** The channel (and so the stream) the entry came from. */
  readonly channel: C;
  /**
   * How many times the entry has been delivered to the group, this delivery included: `1` for a
   * fresh read, the `XPENDING` delivery counter for an entry claimed for a retry.
   */
  readonly deliveryCount: number;
}

/** A delivery of any of the channels `C`, discriminated by `channel`. */
export type Delivery<C extends Channel = Channel> = { [K in C]: ChannelDelivery<K> }[C];

/**
 * Processes one delivery. Resolving acknowledges the entry (with the rest of its batch); throwing
 * or rejecting leaves it pending for a retry after `claimIdleMs`, until `maxDeliveries`.
 */
export type DeliveryHandler<C extends Channel = Channel> = (delivery: Delivery<C>) => Promise<void> | void;

/** What a consumer was doing when an error happened. */
export type ConsumerErrorStage = 'setup' | 'read' | 'claim' | 'ack' | 'dead-letter';

/** Observes a consumer error; the consumer logs it and keeps going (backing off when Redis is down). */
export type ConsumerErrorHandler = (error: unknown, stage: ConsumerErrorStage) => void;

/** Counters of one consumer since it started; see {@link Consumer.stats}. */
export interface ConsumerStats {
  /** Deliveries whose handler resolved. */
  processed: number;
  /** Entries this consumer acknowledged (handled or dead-lettered), as counted by `XACK`. */
  acked: number;
  /** Handler failures that left the entry pending for another delivery. */
  retried: number;
  /** Entries this consumer moved to a dead-letter stream. */
  deadLettered: number;
  /**
   * Entries this consumer holds unacknowledged: the batch in progress, acknowledgements waiting
   * to be sent again, and failed entries waiting for a retry (dropped from the count once a claim
   * pass finds another consumer took them).
   */
  pending: number;
}
