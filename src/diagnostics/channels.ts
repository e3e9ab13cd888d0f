/**
 * The SDK's `node:diagnostics_channel` channels: their public names, one module-level channel
 * object per name, and the one check the core makes before building any payload. Nothing here
 * costs anything while nobody subscribes.
 */
import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { Channel, TracingChannel } from 'node:diagnostics_channel';
import type {
  CacheComputeContext,
  CacheInfoMessage,
  CacheInvalidateMessage,
  CacheJoinMessage,
  CacheLocalEvictionMessage,
  CacheLocalInvalidationMessage,
  CacheLookupMessage,
  CacheReadContext,
  CacheWriteMessage,
  ClientCommandContext,
  ClientReconnectMessage,
  ClientStatusMessage,
  PriceReadMessage,
  PriceWriteMessage,
  PublishContext,
  PublishOutcomeMessage,
  StreamAppendMessage,
  StreamDeliveryMessage,
  SubscriberMessage,
} from './payloads.js';

/**
 * The names of every diagnostics channel the SDK publishes on, all under the prefix
 * `trading-platform:`. Names marked *tracing* are `TracingChannel` names: subscribe with
 * `diagnostics_channel.tracingChannel(name).subscribe({ start, asyncEnd, error, ... })`, or to
 * the underlying channels `tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd`, `:error`.
 * The others are plain channels: `diagnostics_channel.subscribe(name, onMessage)`. Payloads and
 * when each fires: `docs/diagnostics.md` and the `*Message` / `*Context` types. The SDK builds a
 * payload only while its channel has a subscriber.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { DIAGNOSTICS_CHANNELS, type PublishOutcomeMessage } from '@trading-platform/redis-client';
 * subscribe(DIAGNOSTICS_CHANNELS.PUBLISH_OUTCOME, (message) => {
 *   const { channel, outcome } = message as PublishOutcomeMessage;
 *   if (outcome === 'dropped') console.warn(`publish buffer full: dropped an event of ${channel}`);
 * });
 * ```
 */
export const DIAGNOSTICS_CHANNELS = Object.freeze({
  /** *Tracing*: one `FeatureCache.get`, `getMany` or `getMatrix` call. Context {@link CacheReadContext}. */
  CACHE_READ: 'trading-platform:cache:read',
  /** The outcome of every key a feature cache read, per read call. {@link CacheLookupMessage}. */
  CACHE_LOOKUP: 'trading-platform:cache:lookup',
  /** The outcome of a feature cache write (`set`, `setMany`, and those of read-or-compute). {@link CacheWriteMessage}. */
  CACHE_WRITE: 'trading-platform:cache:write',
  /** A feature cache invalidation (`invalidate`, `invalidateSymbol`, `invalidateDate`). {@link CacheInvalidateMessage}. */
  CACHE_INVALIDATE: 'trading-platform:cache:invalidate',
  /** A `FeatureCache.serverStats` or `getStats` call (an `INFO` read) settled. {@link CacheInfoMessage}. */
  CACHE_INFO: 'trading-platform:cache:info',
  /** *Tracing*: one call of the caller's compute function by read-or-compute. Context {@link CacheComputeContext}. */
  CACHE_COMPUTE: 'trading-platform:cache:compute',
  /** A caller joined a computation already in flight for a key (single flight); published once that flight computes. {@link CacheJoinMessage}. */
  CACHE_JOIN: 'trading-platform:cache:join',
  /** The local tier received an invalidation from Redis. {@link CacheLocalInvalidationMessage}. */
  CACHE_LOCAL_INVALIDATION: 'trading-platform:cache:local-invalidation',
  /** The local tier evicted a vector (full, or expired). {@link CacheLocalEvictionMessage}. */
  CACHE_LOCAL_EVICTION: 'trading-platform:cache:local-eviction',
  /** *Tracing*: one live `PUBLISH` of an `EventPublisher` (not replays). Context {@link PublishContext}. */
  PUBLISH: 'trading-platform:publisher:publish',
  /** What happened to an event an `EventPublisher` handled. {@link PublishOutcomeMessage}. */
  PUBLISH_OUTCOME: 'trading-platform:publisher:outcome',
  /** A message an `EventSubscriber` received, and what became of it. {@link SubscriberMessage}. */
  SUBSCRIBER_MESSAGE: 'trading-platform:subscriber:message',
  /** An `EventStream.append` settled. {@link StreamAppendMessage}. */
  STREAM_APPEND: 'trading-platform:stream:append',
  /** A stream consumer processed, acknowledged, retried or dead-lettered entries. {@link StreamDeliveryMessage}. */
  STREAM_DELIVERY: 'trading-platform:stream:delivery',
  /** *Tracing*: one command of a `RedisClient`, retries and deadline included. Context {@link ClientCommandContext}. */
  CLIENT_COMMAND: 'trading-platform:client:command',
  /** A `RedisClient`'s connection status changed. {@link ClientStatusMessage}. */
  CLIENT_STATUS: 'trading-platform:client:status',
  /** A `RedisClient` scheduled a reconnection attempt. {@link ClientReconnectMessage}. */
  CLIENT_RECONNECT: 'trading-platform:client:reconnect',
  /** The outcome of every symbol a `PriceCache` read, per read call. {@link PriceReadMessage}. */
  PRICE_READ: 'trading-platform:prices:read',
  /** A `PriceCache.set` settled. {@link PriceWriteMessage}. */
  PRICE_WRITE: 'trading-platform:prices:write',
});

/** One of the names in {@link DIAGNOSTICS_CHANNELS}. */
export type DiagnosticsChannelName = (typeof DIAGNOSTICS_CHANNELS)[keyof typeof DIAGNOSTICS_CHANNELS];

const names = DIAGNOSTICS_CHANNELS;

/** A plain channel whose messages are `T` (the typing is the SDK's own promise; Node types them `unknown`). */
export interface TypedChannel<T> extends Channel {
  publish(message: T): void;
}

function plain<T>(name: string): TypedChannel<T> {
  return channel(name) as TypedChannel<T>;
}

/** Internal: the channel objects the core publishes on, one per name, created once. */
export const dc = Object.freeze({
  cacheRead: tracingChannel<unknown, CacheReadContext>(names.CACHE_READ),
  cacheLookup: plain<CacheLookupMessage>(names.CACHE_LOOKUP),
  cacheWrite: plain<CacheWriteMessage>(names.CACHE_WRITE),
  cacheInvalidate: plain<CacheInvalidateMessage>(names.CACHE_INVALIDATE),
  cacheInfo: plain<CacheInfoMessage>(names.CACHE_INFO),
  cacheCompute: tracingChannel<unknown, CacheComputeContext>(names.CACHE_COMPUTE),
  cacheJoin: plain<CacheJoinMessage>(names.CACHE_JOIN),
  cacheLocalInvalidation: plain<CacheLocalInvalidationMessage>(names.CACHE_LOCAL_INVALIDATION),
  cacheLocalEviction: plain<CacheLocalEvictionMessage>(names.CACHE_LOCAL_EVICTION),
  publish: tracingChannel<unknown, PublishContext>(names.PUBLISH),
  publishOutcome: plain<PublishOutcomeMessage>(names.PUBLISH_OUTCOME),
  subscriberMessage: plain<SubscriberMessage>(names.SUBSCRIBER_MESSAGE),
  streamAppend: plain<StreamAppendMessage>(names.STREAM_APPEND),
  streamDelivery: plain<StreamDeliveryMessage>(names.STREAM_DELIVERY),
  clientCommand: tracingChannel<unknown, ClientCommandContext>(names.CLIENT_COMMAND),
  clientStatus: plain<ClientStatusMessage>(names.CLIENT_STATUS),
  clientReconnect: plain<ClientReconnectMessage>(names.CLIENT_RECONNECT),
  priceRead: plain<PriceReadMessage>(names.PRICE_READ),
  priceWrite: plain<PriceWriteMessage>(names.PRICE_WRITE),
});

/**
 * Whether any of a tracing channel's five channels has a subscriber: what
 * `TracingChannel.hasSubscribers` answers on Node.js >= 20.13, spelled out for every Node.js 20.
 */
export function traced(tc: TracingChannel<unknown, object>): boolean {
  return tc.start.hasSubscribers || tc.end.hasSubscribers || tc.asyncStart.hasSubscribers || tc.asyncEnd.hasSubscribers || tc.error.hasSubscribers;
}

/** How many {@link untracedCommands} calls are running now (they nest). */
let untracedDepth = 0;

/**
 * Runs `start` with the client commands it starts synchronously left out of `client:command`: the
 * scrape-time reads of the metrics exporter, which would otherwise be timed and counted by the
 * very metrics they feed. Returns what `start` returns.
 */
export function untracedCommands<T>(start: () => T): T {
  untracedDepth += 1;
  try {
    return start();
  } finally {
    untracedDepth -= 1;
  }
}

/** Whether a client command starting now is left out of `client:command` (see {@link untracedCommands}). */
export function commandsUntraced(): boolean {
  return untracedDepth > 0;
}

/** What Node.js sets on a trace context. */
interface Settled {
  result?: unknown;
  error?: unknown;
}

/**
 * `tc.tracePromise(run, context)`, with the same events in the same order. When neither `start`
 * nor `end` has a subscriber (so no store is bound to `start` either: binding one makes it report
 * subscribers), their publications and the `runStores` around `run` do nothing, and are skipped:
 * a metrics exporter listening to `asyncEnd` and `error` alone costs only what it does.
 */
export function traceAsync<T, C extends object>(tc: TracingChannel<unknown, C>, context: C, run: () => Promise<T>): Promise<T> {
  if (tracedFully(tc)) return tc.tracePromise(run, context);
  let work: Promise<T>;
  try {
    work = Promise.resolve(run());
  } catch (err) {
    traceThrew(tc, context, err);
    throw err;
  }
  return traceSettling(tc, context, work);
}

/** A traced call threw before returning a promise: `error` only, as `tracePromise` publishes it (with `end`, which has no subscriber here). */
export function traceThrew<C extends object>(tc: TracingChannel<unknown, C>, context: C, error: unknown): void {
  (context as Settled).error = error;
  tc.error.publish(context);
}

/**
 * Whether `start` or `end` of `tc` has a subscriber (or a bound store): then a call must be
 * traced by `tc.tracePromise` itself, which runs it inside `start.runStores`.
 */
export function tracedFully(tc: TracingChannel<unknown, object>): boolean {
  return tc.start.hasSubscribers || tc.end.hasSubscribers;
}

/** `work`, publishing its end on `tc` when it settles (for a call started without `tracePromise`). */
export function traceSettling<T, C extends object>(tc: TracingChannel<unknown, C>, context: C, work: Promise<T>): Promise<T> {
  return work.then(
    (result) => {
      traceResolved(tc, context, result);
      return result;
    },
    (err: unknown) => {
      traceRejected(tc, context, err);
      throw err;
    },
  );
}

/** The end of a traced call that resolved with `result`, as `tracePromise` publishes it. */
export function traceResolved<C extends object>(tc: TracingChannel<unknown, C>, context: C, result: unknown): void {
  (context as Settled).result = result;
  tc.asyncStart.publish(context);
  tc.asyncEnd.publish(context);
}

/** The end of a traced call that rejected with `error`, as `tracePromise` publishes it. */
export function traceRejected<C extends object>(tc: TracingChannel<unknown, C>, context: C, error: unknown): void {
  (context as Settled).error = error;
  tc.error.publish(context);
  tc.asyncStart.publish(context);
  tc.asyncEnd.publish(context);
}
