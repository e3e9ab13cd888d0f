/**
 * @trading-platform/redis-client: a Redis feature cache and typed event bus for trading
 * services, wire-compatible with the platform's Python services.
 */
export { VERSION } from './internal/version.js';

export {
  ConfigError,
  ErrorCodes,
  InvalidKeyError,
  RedisClosedError,
  RedisCommandError,
  RedisConnectionError,
  RedisSdkError,
  RedisTimeoutError,
  RedisUnavailableError,
  ValidationError,
} from './internal/errors.js';
export type { ErrorCode, RedisSdkErrorOptions, ValidationIssue } from './internal/errors.js';

export { silentLogger } from './internal/logger.js';
export type { LogFn, Logger } from './internal/logger.js';

export { RedisClient } from './client/redis-client.js';
export type { ClientStatus } from './client/connection.js';
export type { ClientKind, RedisClientEvents, ScanOptions, SetOptions } from './client/types.js';
export { CLIENT_DEFAULTS } from './client/options.js';
export type {
  ClusterOptions,
  NodeAddress,
  ReconnectOptions,
  RedisClientOptions,
  RetryOptions,
  SentinelOptions,
  TlsOptions,
} from './client/options.js';
export type { RedisEnv } from './client/env.js';
export type { AddOptions, ReadGroupOptions, StreamCommands } from './client/stream-commands.js';
export type {
  AutoClaimResult,
  DuplicateOptions,
  InvalidationTracking,
  MessageListener,
  PendingEntry,
  StreamBatch,
  StreamEntry,
} from './client/types.js';

export { FeatureCache } from './cache/feature-cache.js';
export type { ComputeMissing, FeatureEntries, WriteOptions } from './cache/feature-cache.js';
export { WARM_DEFAULTS } from './cache/warm.js';
export type { WarmCompute, WarmOptions, WarmProgress, WarmReport } from './cache/warm.js';
export { FeatureMatrix } from './cache/matrix.js';
export type { MatrixOptions } from './cache/matrix.js';
export { FEATURE_CACHE_DEFAULTS } from './cache/options.js';
export type { FeatureCacheOptions, LocalTierOptions } from './cache/options.js';
export type { CacheStats, PythonCacheStats, ServerStats } from './cache/stats.js';
export { decodeFeatures, encodeFeatures } from './cache/codecs/index.js';
export type { CodecName, DecodeResult, Features, RejectionKind } from './cache/codecs/index.js';

export { RedisKeys } from './keys/redis-keys.js';
export { PRICE_CACHE_DEFAULTS, PriceCache } from './prices/price-cache.js';
export type { PriceCacheOptions, PriceCacheStats, PriceReadOptions, PriceWriteOptions } from './prices/price-cache.js';
export type { CachedPrice, PriceDataWire, PriceInit } from './prices/price-data.js';

export { CHANNELS } from './events/channels.js';
export type { AnyEvent, Channel, EventOf, EventOfPattern, FamilyPattern } from './events/channels.js';
export {
  DecimalStringSchema,
  IsoDateSchema,
  NonNegativeDecimalStringSchema,
  OrderEventSchema,
  POSITION_ACTIONS,
  PositionEventSchema,
  PriceUpdateEventSchema,
  SignalEventSchema,
  SymbolSchema,
  TimestampSchema,
} from './events/schemas.js';
export type {
  OrderEventInit,
  OrderEventWire,
  PositionAction,
  PositionEventInit,
  PositionEventWire,
  PriceUpdateEventInit,
  PriceUpdateEventWire,
  SignalEventInit,
  SignalEventWire,
} from './events/schemas.js';
export { SignalEvent } from './events/signal-event.js';
export { OrderEvent } from './events/order-event.js';
export { PositionEvent } from './events/position-event.js';
export { PriceUpdateEvent } from './events/price-update-event.js';
export type { PriceUpdateChannel } from './events/price-update-event.js';
export { parseEvent, parseEventForChannel } from './events/parse.js';
export { EventPublisher, HIGH_FREQUENCY_CHANNEL_PREFIXES } from './events/publisher.js';
export type { EventPublisherEnvOptions, EventPublisherOptions, EventStreamSink, PublisherClient, PublisherStats } from './events/publisher.js';
export { PUBLISH_BUFFER_DEFAULTS, PUBLISH_BUFFER_ENV, publishBufferFromEnv } from './events/publish-buffer.js';
export type { PublishBufferOptions } from './events/publish-buffer.js';
export { EventSubscriber } from './events/subscriber.js';
export { SUBSCRIBER_DEFAULTS } from './events/subscriber-types.js';
export type { EventIterator } from './events/bounded-queue.js';
export type {
  EventHandler,
  EventSubscriberOptions,
  HandlerErrorContext,
  HandlerErrorHandler,
  InvalidMessage,
  InvalidMessageHandler,
  MessageMeta,
  SubscriberStats,
  SubscriberStreamOptions,
  Unsubscribe,
} from './events/subscriber-types.js';
export { EventStream } from './streams/event-stream.js';
export type { Consumer } from './streams/consumer.js';
export { STREAM_DEFAULTS } from './streams/options.js';
export type { ConsumeOptions, EventStreamOptions } from './streams/options.js';
export type { ReplayOptions } from './streams/replay.js';
export type {
  ChannelDelivery,
  ConsumerErrorHandler,
  ConsumerErrorStage,
  ConsumerStats,
  Delivery,
  DeliveryHandler,
} from './streams/delivery.js';
export { ENTRY_FIELDS } from './streams/entry.js';
export { DEAD_LETTER_FIELDS } from './streams/dead-letter.js';

export { DIAGNOSTICS_CHANNELS } from './diagnostics/channels.js';
export type { DiagnosticsChannelName } from './diagnostics/channels.js';
export type {
  CacheComputeContext,
  CacheInfoMessage,
  CacheInvalidateMessage,
  CacheJoinMessage,
  CacheLocalEvictionMessage,
  CacheLocalInvalidationMessage,
  CacheLookupMessage,
  CacheReadContext,
  CacheReadOperation,
  CacheWriteMessage,
  CacheWriteOperation,
  ClientCommandContext,
  ClientReconnectMessage,
  ClientStatusMessage,
  ClientStatusName,
  PriceReadMessage,
  PriceWriteMessage,
  PublishContext,
  PublishOutcome,
  PublishOutcomeMessage,
  StreamAppendMessage,
  StreamDeliveryMessage,
  StreamDeliveryOutcome,
  SubscriberMessage,
  SubscriberOutcome,
} from './diagnostics/payloads.js';
