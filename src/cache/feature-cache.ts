/** `FeatureCache`: the feature store's public face, wiring its reads, writes, invalidation, compute and local tier. */
import type { RedisClient } from '../client/redis-client.js';
import { dc, traceAsync, traced } from '../diagnostics/channels.js';
import { trackLive, type LiveCache } from '../diagnostics/live.js';
import { componentLogger } from '../internal/logger.js';
import type { Features } from './codecs/index.js';
import { FeatureCompute, type ComputeMissing } from './compute.js';
import type { CacheContext } from './context.js';
import { FeatureInvalidation } from './invalidation.js';
import { FeatureKeys } from './keys.js';
import { TrackedLocalTier } from './local-tier.js';
import type { FeatureMatrix, MatrixOptions } from './matrix.js';
import { resolveCacheOptions, type FeatureCacheOptions } from './options.js';
import { FeatureReads } from './reads.js';
import { readPythonStats, readServerStats } from './server-stats.js';
import { CacheCounters, type CacheStats, type PythonCacheStats, type ServerStats } from './stats.js';
import { warmCache, type WarmOptions, type WarmReport } from './warm.js';
import { FeatureWrites, type FeatureEntries, type WriteOptions } from './writes.js';

export type { ComputeMissing } from './compute.js';
export type { FeatureEntries, WriteOptions } from './writes.js';
export type { WarmCompute, WarmOptions, WarmProgress, WarmReport } from './warm.js';

/**
 * The feature store: one vector of named doubles per (symbol, date) under
 * `{prefix}:{SYMBOL}:{YYYY-MM-DD}`, shared with the Python services (same keys, same JSON).
 * Reads fail open (a Redis error is a miss, counted); writes report `false`; programmer errors
 * (bad symbol, date or value) throw typed errors before anything is sent.
 *
 * Ownership of returned vectors: without a local tier, each read decodes a fresh object the
 * caller owns. With a local tier, every vector read (from Redis or from the tier) is frozen,
 * because the same object is handed to every caller that reads the key; copy it to modify it.
 * Either way, callers that join one `getOrCompute` flight share its result, and a vector the
 * caller computed or wrote is returned as is and never frozen.
 *
 * @example
 * ```ts
 * const cache = new FeatureCache(client, { ttlSeconds: 3600, local: true });
 * await cache.ready();
 * const features = await cache.getOrCompute('AAPL', '2025-01-17', () => computeAlpha158('AAPL'));
 * ```
 */
export class FeatureCache {
  readonly #context: CacheContext;
  readonly #local: TrackedLocalTier | undefined;
  readonly #reads: FeatureReads;
  readonly #writes: FeatureWrites;
  readonly #invalidation: FeatureInvalidation;
  readonly #compute: FeatureCompute;
  /** Leaves the live-object registry (with a local tier, the cache reports its size at scrape time). */
  readonly #untrack: (() => void) | undefined;

  /** Invalid options throw a `ConfigError` naming the option as written (a local tier on a cluster or sentinel too). */
  constructor(client: RedisClient, options: FeatureCacheOptions = {}) {
    const resolved = resolveCacheOptions(options);
    const local = resolved.local && new TrackedLocalTier(client, resolved.prefix, resolved.local);
    const keys = new FeatureKeys(resolved.prefix);
    const log = componentLogger(options.logger, 'feature-cache');
    this.#context = { client, keys, counters: new CacheCounters(), log, local: local?.tier };
    this.#local = local;
    this.#reads = new FeatureReads(this.#context);
    this.#writes = new FeatureWrites(this.#context, resolved);
    this.#invalidation = new FeatureInvalidation(this.#context);
    this.#compute = new FeatureCompute(keys, this.#reads, this.#writes);
    this.#untrack = local ? trackLive(this, FeatureCache.#live) : undefined;
  }

  static #live(cache: FeatureCache): LiveCache | undefined {
    const local = cache.#local;
    return local && { kind: 'cache', localEntries: local.tier.size };
  }

  /** The key of one vector. @throws InvalidKeyError */
  key(symbol: string, date: string): string {
    return this.#context.keys.key(symbol, date);
  }

  /** Whether the local tier is receiving invalidations and may serve (always false without one). */
  get localTierLive(): boolean {
    return this.#local?.live ?? false;
  }

  /**
   * Resolves when the local tier is live (its tracking connection connected and subscribed to
   * invalidations), at once when it is or when there is no local tier. Until then reads go to
   * Redis. Never hangs: bounded by the client's `connectTimeoutMs`.
   * @throws RedisConnectionError when the tracking connection is not ready in time (it keeps
   * trying in the background; call again to wait again).
   * @throws RedisClosedError when the cache or its client was closed, or closes while waiting.
   */
  async ready(): Promise<void> {
    await this.#local?.ready();
  }

  /** A cached vector, or `null` on a miss, a corrupt entry or a Redis error. @throws InvalidKeyError */
  get(symbol: string, date: string): Promise<Features | null> {
    if (!traced(dc.cacheRead)) return this.#reads.get(symbol, date);
    return traceAsync(dc.cacheRead, { operation: 'get', keys: 1, startedAt: performance.now() }, () => this.#reads.get(symbol, date));
  }

  /**
   * Vectors for many symbols of one date in one `MGET` round trip (one per slot on a cluster),
   * as a Map in input order; `null` for each miss. @throws InvalidKeyError before sending.
   */
  getMany(symbols: readonly string[], date: string): Promise<Map<string, Features | null>> {
    if (!traced(dc.cacheRead)) return this.#reads.getMany(symbols, date);
    const context = { operation: 'getMany' as const, keys: countOf(symbols), startedAt: performance.now() };
    return traceAsync(dc.cacheRead, context, () => this.#reads.getMany(symbols, date));
  }

  /**
   * Vectors for many symbols of one date as one row-major `Float64Array` ({@link FeatureMatrix}),
   * in one `MGET` like {@link getMany}. Columns: `options.names`, or the names of the first vector
   * found. f64 values laid out like the columns are copied into their rows as bytes, with no
   * object or number per feature (the fast way to feed a model); others are placed by name.
   * Misses, corrupt values and vectors lacking a column (a hit, logged) give `NaN` rows whose
   * `found` is false. With a local tier the read goes through `getMany` and fills rows by name.
   * @throws InvalidKeyError (bad symbol or date), ValidationError (bad options, or a matrix
   * larger than the largest Buffer), before anything is sent.
   */
  getMatrix(symbols: readonly string[], date: string, options: MatrixOptions = {}): Promise<FeatureMatrix> {
    if (!traced(dc.cacheRead)) return this.#reads.getMatrix(symbols, date, options);
    const context = { operation: 'getMatrix' as const, keys: countOf(symbols), startedAt: performance.now() };
    return traceAsync(dc.cacheRead, context, () => this.#reads.getMatrix(symbols, date, options));
  }

  /**
   * Stores a vector with the cache's TTL (or `options.ttlSeconds`). `false` when Redis failed or
   * the value is larger than `maxValueBytes`; nothing is written then.
   * @throws InvalidKeyError for a bad symbol or date; ValidationError for a value that is not a
   * number or a bad `options.ttlSeconds` (not an integer >= 0); both before sending.
   */
  set(symbol: string, date: string, features: Features, options: WriteOptions = {}): Promise<boolean> {
    return this.#writes.set(symbol, date, features, options);
  }

  /**
   * Stores many vectors of one date in one pipeline, all or nothing: every key, value and
   * `options.ttlSeconds` is checked first (a bad key throws `InvalidKeyError`; a bad value or
   * TTL throws `ValidationError`), then every size (any value over `maxValueBytes` makes it
   * return `false`); only then is anything sent.
   */
  setMany(date: string, entries: FeatureEntries, options: WriteOptions = {}): Promise<boolean> {
    return this.#writes.setMany(date, entries, options);
  }

  /** Deletes one vector; `true` when a key was deleted, `false` when absent or Redis failed. */
  invalidate(symbol: string, date: string): Promise<boolean> {
    return this.#invalidation.invalidate(symbol, date);
  }

  /**
   * Deletes every date of a symbol (SCAN + UNLINK, never KEYS); resolves the number deleted. On a
   * Redis error: counted, and the number deleted before it. @throws InvalidKeyError before sending.
   */
  invalidateSymbol(symbol: string): Promise<number> {
    return this.#invalidation.invalidateSymbol(symbol);
  }

  /**
   * Deletes every symbol of a date (SCAN + UNLINK, never KEYS); resolves the number deleted.
   * On a Redis error: counted, and the number deleted before it. @throws InvalidKeyError before sending.
   */
  invalidateDate(date: string): Promise<number> {
    return this.#invalidation.invalidateDate(date);
  }

  /**
   * The cached vector, or the result of `compute` (then cached). Concurrent callers for the
   * same key share one read and one computation; a failing `compute` rejects every waiter and
   * caches nothing.
   */
  getOrCompute(symbol: string, date: string, compute: () => Promise<Features> | Features, options: WriteOptions = {}): Promise<Features> {
    return this.#compute.getOrCompute(symbol, date, compute, options);
  }

  /**
   * Vectors for many symbols in input order: cached ones from one `getMany`, the rest from one
   * `computeMissing(missingSymbols)` call (then cached with one `setMany`). Symbols already
   * being computed by another caller are joined, not recomputed. `computeMissing` must return
   * a vector for every symbol it is given.
   */
  getManyOrCompute(symbols: readonly string[], date: string, computeMissing: ComputeMissing, options: WriteOptions = {}): Promise<Map<string, Features>> {
    return this.#compute.getManyOrCompute(symbols, date, computeMissing, options);
  }

  /**
   * Fills what is missing for many dates, computing only the misses (the start-up hydration of
   * the Python signal service, `hydrate_feature_cache`). Per date: one {@link getManyOrCompute}
   * of every symbol, so one `getMany`, then one `compute(date, missingSymbols, signal)` call for
   * the misses, written with the cache's TTL in one `setMany`. It is single-flight with
   * concurrent readers: a `getOrCompute` or `getManyOrCompute` of a key the warm is computing
   * joins it, and the warm joins theirs instead of computing those symbols. At most
   * `concurrency` dates are in flight (default 4), started in the order given.
   *
   * Stopping: when `timeoutMs` passes or `signal` aborts, no further date starts and the
   * returned promise resolves at once. Dates not started are not attempted; dates in flight
   * count as failed (their `onProgress` says why) and are not cancelled: they finish in the
   * background, their writes still land and readers that joined them get their vectors, but
   * the report no longer changes. The `signal` given to `compute` is aborted then, so a long
   * computation may give up (failing any reader that joined it).
   *
   * Never rejects for a failed computation: a date whose `compute` throws, returns a bad vector
   * or omits a symbol it was given is counted in `datesFailed`, logged, and has nothing written.
   * The report counts like upstream's `HydrationResult`: `cached` is vectors computed and handed
   * to the write (as upstream, a write Redis refuses still counts; it is logged and counted in
   * {@link stats} `errors`; a key holding another writer's value is computed but never written,
   * and counts in neither), `skipped` is symbols already cached (or computed by a concurrent
   * reader), both over succeeded dates only.
   *
   * @throws ValidationError naming each bad option (`symbols`, `dates`, `compute`,
   * `concurrency`, `timeoutMs`, `signal`, `onProgress`); InvalidKeyError for a bad symbol or
   * date; both before anything is sent.
   *
   * @example
   * ```ts
   * const report = await cache.warm({
   *   symbols: universe,
   *   dates: lastTradingDays(60),
   *   compute: (date, missing) => computeAlpha158Batch(missing, date),
   *   concurrency: 4,
   *   timeoutMs: 300_000,
   * });
   * // { datesAttempted: 60, datesSucceeded: 60, datesFailed: 0, cached: 1180, skipped: 20, stopped: null }
   * ```
   */
  warm(options: WarmOptions): Promise<WarmReport> {
    const compute = this.#compute;
    return warmCache({ getManyOrCompute: (symbols, date, missing, written) => compute.getManyOrCompute(symbols, date, missing, {}, written) }, options, this.#context.log);
  }

  /** Counters since construction or the last {@link resetStats}. */
  stats(): CacheStats {
    return this.#context.counters.snapshot();
  }

  /** Zeroes the counters. */
  resetStats(): void {
    this.#context.counters.reset();
  }

  /** Server figures from INFO, with Python's `get_stats()` dict as `python`; `null` when Redis failed. */
  serverStats(): Promise<ServerStats | null> {
    return readServerStats(this.#context);
  }

  /** Exactly Python's `FeatureCache.get_stats()`: its dict under its names, or `{}` when Redis failed. */
  getStats(): Promise<PythonCacheStats | Record<string, never>> {
    return readPythonStats(this.#context);
  }

  /** Stops the local tier's invalidation connection. The shared client stays open. */
  async close(): Promise<void> {
    this.#untrack?.();
    await this.#local?.close();
  }
}

/** Symbols asked for, for diagnostics; a bad argument is the read's to reject, not this count's. */
function countOf(symbols: readonly string[]): number {
  return Array.isArray(symbols) ? symbols.length : 0;
}
