/**
 * The payloads of the SDK's diagnostics channels (see `DIAGNOSTICS_CHANNELS`): a public contract.
 * Every field is a bounded fact (a count, an outcome, a channel name or pattern, a group, a
 * command name); none holds a key, a symbol or an event id.
 */

/** A feature cache read method. */
export type CacheReadOperation = 'get' | 'getMany' | 'getMatrix';

/**
 * Context of the tracing channel `trading-platform:cache:read`: one call of `FeatureCache.get`,
 * `getMany` or `getMatrix` by the application, from its start to its settling (reads done inside
 * `getOrCompute`, `getManyOrCompute` and `warm` are not traced here; their keys are counted on
 * `trading-platform:cache:lookup`). Node.js sets `result` or `error` on it.
 */
export interface CacheReadContext {
  readonly operation: CacheReadOperation;
  /** Keys asked for (symbols given). */
  readonly keys: number;
  /** `performance.now()` when the call started: the duration is `performance.now() - startedAt` at `asyncEnd`. */
  readonly startedAt: number;
  /** Set by Node.js when the call resolved. */
  result?: unknown;
  /** Set by Node.js when the call rejected (a bad symbol, date or option; Redis errors never reject). */
  error?: unknown;
}

/**
 * `trading-platform:cache:lookup`: what every key of one feature cache read came to, published
 * once per read call when it settles, for every read the cache makes (the three read methods,
 * and the reads of `getOrCompute`, `getManyOrCompute` and `warm`). The per-key fields are
 * exclusive: their sum is the number of keys read. `CacheStats` follows: `hits` is
 * `localHits + redisHits`, `localHits` is `localHits`, `misses` is
 * `absent + corrupt + foreign + unsupported + failed`, `corrupt`, `foreign`, `unsupported` are
 * themselves, and `errors` adds up with the `errors` of `cache:write`, `cache:invalidate` and
 * `cache:info`.
 */
export interface CacheLookupMessage {
  /** The read method: `getOrCompute` reads with `get`; `getManyOrCompute` and `warm` with `getMany`. */
  readonly operation: CacheReadOperation;
  /** Keys served by the local tier. */
  readonly localHits: number;
  /** Keys that held a valid vector in Redis. */
  readonly redisHits: number;
  /** Keys absent from Redis. */
  readonly absent: number;
  /** Keys whose value nobody can read (deleted). */
  readonly corrupt: number;
  /** Keys holding another writer's value that is not a vector of numbers (left in place). */
  readonly foreign: number;
  /** Keys holding an f64 value of a newer version (left in place). */
  readonly unsupported: number;
  /** Keys not read because the Redis read failed. */
  readonly failed: number;
  /** Failed Redis round trips: 0 or 1. */
  readonly errors: number;
}

/** A feature cache write method (the writes of read-or-compute and `warm` use them too). */
export type CacheWriteOperation = 'set' | 'setMany';

/**
 * `trading-platform:cache:write`: one `set` or `setMany` that got past its argument checks,
 * when it settles. `CacheStats.sets` adds up `written`, `oversized` adds up `oversized`.
 */
export interface CacheWriteMessage {
  readonly operation: CacheWriteOperation;
  /** Vectors written. */
  readonly written: number;
  /** Vectors not written because Redis failed. */
  readonly failed: number;
  /** Vectors refused for exceeding `maxValueBytes` (then nothing of the call is written). */
  readonly oversized: number;
  /** Vectors of a `setMany` that fit but were not written because another of the call was oversized. */
  readonly refused: number;
  /** Failed Redis round trips: 0 or 1. */
  readonly errors: number;
}

/** `trading-platform:cache:invalidate`: one invalidation call, when it settles. */
export interface CacheInvalidateMessage {
  readonly operation: 'invalidate' | 'invalidateSymbol' | 'invalidateDate';
  /** Keys deleted. */
  readonly deleted: number;
  /** Failed Redis round trips: 0 or 1 (counted in `CacheStats.errors`). */
  readonly errors: number;
}

/**
 * `trading-platform:cache:info`: one `FeatureCache.serverStats` or `getStats` call (an `INFO`
 * read), when it settles. Its `errors` adds up with those of `cache:lookup`, `cache:write` and
 * `cache:invalidate` to `CacheStats.errors`.
 */
export interface CacheInfoMessage {
  readonly operation: 'serverStats' | 'getStats';
  /** Failed Redis round trips: 0 or 1. */
  readonly errors: number;
}

/**
 * Context of the tracing channel `trading-platform:cache:compute`: one call of the caller's
 * compute function by `getOrCompute` (`keys` 1) or of `computeMissing` by `getManyOrCompute` and
 * `warm` (`keys`: symbols given to it). Node.js sets `result` or `error`.
 */
export interface CacheComputeContext {
  readonly operation: 'getOrCompute' | 'getManyOrCompute';
  readonly keys: number;
  /** `performance.now()` when the computation started. */
  readonly startedAt: number;
  result?: unknown;
  error?: unknown;
}

/**
 * `trading-platform:cache:join`: once per key a read-or-compute call joined another call's flight
 * instead of computing (single flight), when that flight computes (a flight whose read hit shares
 * no computation: its joins are not published).
 */
export interface CacheJoinMessage {
  readonly operation: 'getOrCompute' | 'getManyOrCompute';
}

/**
 * `trading-platform:cache:local-invalidation`: once per invalidation the local tier's tracking
 * connection received from Redis (another writer's change, or the cache's own write echoed).
 */
export interface CacheLocalInvalidationMessage {
  /** `true` when Redis said to drop everything (FLUSHALL, lost tracking), `false` for one key. */
  readonly all: boolean;
}

/** `trading-platform:cache:local-eviction`: once per vector the local tier dropped to stay bounded or fresh. */
export interface CacheLocalEvictionMessage {
  /** `capacity`: the oldest vector made room for a new one; `expired`: a read found it past `local.ttlMs`. */
  readonly reason: 'capacity' | 'expired';
}

/**
 * Context of the tracing channel `trading-platform:publisher:publish`: one live `PUBLISH` of an
 * event (replays of buffered events are not traced). Node.js sets `result` (receivers) or `error`.
 */
export interface PublishContext {
  /** The channel, or for a channel family its pattern (`price.updated.*`, never `price.updated.AAPL`). */
  readonly channel: string;
  /** `performance.now()` when the PUBLISH started. */
  readonly startedAt: number;
  result?: unknown;
  error?: unknown;
}

/**
 * What happened to an event: `published` (a live PUBLISH succeeded), `failed` (a PUBLISH attempt
 * failed, live or replayed, refusals included), `rejected` (Redis refused it with an error reply:
 * dropped; also counted as `failed`), `buffered` (it entered the outage buffer), `replayed` (a
 * replay published it), `dropped` (a full buffer dropped it, oldest first), `stream_failed` (its
 * append to the publisher's `stream` sink failed).
 */
export type PublishOutcome = 'published' | 'failed' | 'rejected' | 'buffered' | 'replayed' | 'dropped' | 'stream_failed';

/**
 * `trading-platform:publisher:outcome`: one message per outcome of an event an `EventPublisher`
 * handled. `PublisherStats` follows: `published`, `failed`, `rejected`, `replayed`, `dropped` and
 * `streamFailed` count their outcome; `buffered` (events waiting now) is the last `buffered`.
 */
export interface PublishOutcomeMessage {
  /** The channel, or for a channel family its pattern (`price.updated.*`). */
  readonly channel: string;
  readonly outcome: PublishOutcome;
  /** Events waiting in this publisher's buffer right after this outcome (0 without a buffer): the buffer depth over time. */
  readonly buffered: number;
}

/** What became of a message an `EventSubscriber` received. */
export type SubscriberOutcome = 'received' | 'invalid' | 'handler_error' | 'dropped';

/**
 * `trading-platform:subscriber:message`: `received` for every message (as `SubscriberStats.received`),
 * then `invalid` for one that is not a valid event, `handler_error` per handler that threw or
 * rejected, `dropped` per event a full `stream()` queue dropped.
 */
export interface SubscriberMessage {
  /**
   * The subscribed channel (a channel family's pattern for one of its channels; `other` for a
   * channel not of the platform). For a subscribed pattern: a family's pattern as it is, a pattern
   * without glob characters as the channel it names, any other pattern `pattern`.
   */
  readonly channel: string;
  readonly outcome: SubscriberOutcome;
}

/** `trading-platform:stream:append`: one `EventStream.append` of a valid event, when it settles (`failed` also when the client refused to send it). */
export interface StreamAppendMessage {
  /** The channel of the stream (a channel family's pattern). */
  readonly channel: string;
  readonly outcome: 'appended' | 'failed';
}

/** What a stream consumer did with entries. */
export type StreamDeliveryOutcome = 'processed' | 'acked' | 'retried' | 'dead_lettered';

/**
 * `trading-platform:stream:delivery`: a consumer's handler resolved (`processed`), failed with
 * retries left (`retried`), an entry went to the dead-letter stream (`dead_lettered`), or an
 * `XACK` acknowledged `count` entries (`acked`). `ConsumerStats` counts the same.
 */
export interface StreamDeliveryMessage {
  readonly channel: string;
  /** The consumer group. */
  readonly group: string;
  readonly outcome: StreamDeliveryOutcome;
  /** Entries: 1, or for `acked` the number `XACK` acknowledged. */
  readonly count: number;
}

/**
 * Context of the tracing channel `trading-platform:client:command`: one command of a
 * `RedisClient` from the call to its settling, retries and waiting for the deadline included (a
 * blocking `XREADGROUP` lasts up to its `BLOCK`). Node.js sets `result` or `error` (an SDK error:
 * `RedisTimeoutError`, `RedisConnectionError`, `RedisUnavailableError`, `RedisCommandError`, `RedisClosedError`).
 */
export interface ClientCommandContext {
  /** The Redis command, upper-case (`GET`, `MGET`, `PUBLISH`, `XREADGROUP`). */
  readonly command: string;
  /** The client's `component` option (`client`; `subscriber`, `stream-reader`, `local-tier` for the connections the SDK opens). */
  readonly component: string;
  /** `performance.now()` when the command was called. */
  readonly startedAt: number;
  result?: unknown;
  error?: unknown;
}

/** A `RedisClient`'s connection status (`ClientStatus`). */
export type ClientStatusName = 'connecting' | 'ready' | 'reconnecting' | 'closed';

/** `trading-platform:client:status`: a client's connection status changed. */
export interface ClientStatusMessage {
  readonly component: string;
  readonly status: ClientStatusName;
  readonly previous: ClientStatusName;
}

/** `trading-platform:client:reconnect`: a client lost its connection (or failed to get it back) and will try again. */
export interface ClientReconnectMessage {
  readonly component: string;
  /** 1 for the first attempt after a loss, counting up while attempts fail. */
  readonly attempt: number;
  /**
   * The wait before this attempt: what the SDK's reconnect policy chose; for a client made by
   * `RedisClient.fromNodeRedis` (and its duplicates), which reconnect by the node-redis client's
   * own strategy, the time measured from the failure to the attempt (0 right after a loss).
   */
  readonly delayMs: number;
}

/**
 * `trading-platform:prices:read`: what every symbol of one `PriceCache.get` or `getMany` came to,
 * when it settles. The per-symbol fields are exclusive. `PriceCacheStats` follows: `hits` is
 * `hits`, `misses` is `absent + invalid + stale + failed`, `invalid` and `stale` are themselves,
 * `errors` adds up with the `error` outcomes of `prices:write`.
 */
export interface PriceReadMessage {
  readonly operation: 'get' | 'getMany';
  readonly hits: number;
  /** Symbols with no price stored. */
  readonly absent: number;
  /** Stored values refused by the read checks (left in place). */
  readonly invalid: number;
  /** Prices older than the allowed age. */
  readonly stale: number;
  /** Symbols not read because Redis failed. */
  readonly failed: number;
  /** Failed Redis round trips: 0 or 1. */
  readonly errors: number;
}

/** `trading-platform:prices:write`: one `PriceCache.set` that got past its checks, when it settles. */
export interface PriceWriteMessage {
  readonly outcome: 'written' | 'error';
}
