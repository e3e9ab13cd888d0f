import { errorMessage } from '../internal/error-text.js';
import type { RedisClient } from '../client/redis-client.js';
import { renamedOption } from '../internal/config.js';
import { ConfigError, ValidationError } from '../internal/errors.js';
import { componentLogger, type Logger } from '../internal/logger.js';
import { byteLength, decodeStored, F64Reader, type Features } from './codecs/index.js';
import { inspectF64 } from './codecs/f64.js';
import { datePattern, featureKey, symbolPattern, validateDate, validateSymbol } from './keys.js';
import { LocalTier } from './local-tier.js';
import { checkMatrixOptions, MatrixBuilder, type FeatureMatrix, type MatrixOptions } from './matrix.js';
import { resolveCacheOptions, type FeatureCacheOptions, type ResolvedCacheOptions } from './options.js';
import { SingleFlight } from './single-flight.js';
import { CacheCounters, type CacheStats, type ServerStats } from './stats.js';

/** Per-call write options. */
export interface WriteOptions {
  /**
   * Seconds before expiry for this write; `0` for none. Overrides the cache's `ttlSeconds`.
   * Anything but an integer >= 0 throws a `ValidationError` (issue path `ttlSeconds`) before
   * anything is sent.
   */
  ttlSeconds?: number;
  /**
   * @deprecated Use `ttlSeconds` instead; `ttlSeconds` wins when both are given. A bad value
   * throws a `ValidationError` with issue path `ttl`.
   */
  ttl?: number;
}

/** Vectors keyed by symbol: a Map, an object, or `[symbol, features]` pairs. */
export type FeatureEntries = ReadonlyMap<string, Features> | Readonly<Record<string, Features>> | Iterable<readonly [string, Features]>;

/** Computes the vectors of the symbols that were not cached, keyed by symbol. */
export type ComputeMissing = (symbols: string[]) => Promise<FeatureEntries> | FeatureEntries;

const UNLINK_BATCH = 500;

/** How many symbols' keys {@link FeatureCache} keeps for the date it read last. */
const KEY_MEMO_SIZE = 10_000;

/**
 * The TTL of one write in seconds: the per-call one, checked like a value, or the cache's.
 * @throws ValidationError naming the option the caller used (`ttlSeconds` or `ttl`).
 */
function writeTtl(options: WriteOptions, fallback: number): number {
  if (options.ttlSeconds === undefined && options.ttl === undefined) return fallback;
  const [ttl, path] = renamedOption(options.ttlSeconds, 'ttlSeconds', options.ttl, 'ttl');
  if (ttl === undefined) return fallback;
  if (!Number.isInteger(ttl) || ttl < 0) {
    throw new ValidationError('write options', [{ path, message: `must be an integer >= 0, got ${String(ttl)}` }]);
  }
  return ttl;
}

function entriesOf(entries: FeatureEntries): Array<readonly [string, Features]> {
  if (entries instanceof Map) return [...(entries as ReadonlyMap<string, Features>)];
  if (Symbol.iterator in entries) return [...(entries as Iterable<readonly [string, Features]>)];
  return Object.entries(entries);
}

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
 * const cache = new FeatureCache(client, { ttlSeconds: 3600 });
 * const features = await cache.getOrCompute('AAPL', '2025-01-17', () => computeAlpha158('AAPL'));
 * ```
 */
export class FeatureCache {
  readonly #client: RedisClient;
  readonly #options: ResolvedCacheOptions;
  readonly #log: Logger;
  readonly #counters = new CacheCounters();
  readonly #flights = new SingleFlight<Features>();
  readonly #local: LocalTier | undefined;
  readonly #tracker: RedisClient | undefined;
  #keyMemo: { readonly date: string; readonly keys: Map<string, string> } | undefined;

  /** Invalid options throw a `ConfigError` here. */
  constructor(client: RedisClient, options: FeatureCacheOptions = {}) {
    this.#client = client;
    this.#options = resolveCacheOptions(options);
    this.#log = componentLogger(options.logger, 'feature-cache');
    const local = this.#options.local;
    if (local) {
      if (client.kind === 'cluster' || client.kind === 'sentinel') {
        throw new ConfigError('FeatureCache option local needs a standalone or embedded Redis, not a ' + client.kind, {
          context: { option: 'local' },
        });
      }
      const tier = new LocalTier(local.maxEntries, local.ttlMs);
      const tracker = client.duplicate({
        tracking: { prefix: `${this.#options.prefix}:`, onInvalidate: (key) => tier.invalidate(key) },
      });
      tracker.on('ready', () => tier.start());
      tracker.on('reconnecting', () => tier.stop());
      tracker.on('close', () => tier.stop());
      tracker.connectInBackground();
      this.#local = tier;
      this.#tracker = tracker;
    }
  }

  /** The key of one vector. @throws InvalidKeyError */
  key(symbol: string, date: string): string {
    return featureKey(this.#options.prefix, symbol, date);
  }

  /** Whether the local tier is receiving invalidations and may serve (always false without one). */
  get localTierLive(): boolean {
    return this.#local?.live ?? false;
  }

  /** A cached vector, or `null` on a miss, a corrupt entry or a Redis error. @throws InvalidKeyError */
  async get(symbol: string, date: string): Promise<Features | null> {
    const key = this.key(symbol, date);
    const local = this.#local?.get(key);
    if (local !== undefined) {
      this.#counters.hits++;
      this.#counters.localHits++;
      return local;
    }
    const ticket = this.#local?.ticket();
    let raw: Buffer | null;
    try {
      raw = await this.#client.getBuffer(key);
    } catch (err) {
      return this.#readFailed(err, 1);
    }
    return this.#accept(key, raw, ticket, undefined);
  }

  /**
   * Vectors for many symbols of one date in one `MGET` round trip (one per slot on a cluster),
   * as a Map in input order; `null` for each miss. @throws InvalidKeyError before sending.
   */
  async getMany(symbols: readonly string[], date: string): Promise<Map<string, Features | null>> {
    const keys = this.#keys(symbols, date);
    const result = new Map<string, Features | null>();
    const local = this.#local;
    if (local === undefined) {
      if (keys.length === 0) return result;
      // Hot path without a local tier: one MGET of every key, no index bookkeeping.
      let raws: Array<Buffer | null>;
      try {
        raws = await this.#client.mgetBuffer(keys);
      } catch (err) {
        for (const symbol of symbols) result.set(symbol, null);
        this.#readFailed(err, keys.length);
        return result;
      }
      const reader = new F64Reader();
      for (let i = 0; i < keys.length; i++) result.set(symbols[i] as string, this.#accept(keys[i] as string, raws[i] ?? null, undefined, reader));
      return result;
    }
    const toFetch: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const held = local.get(keys[i] as string);
      if (held !== undefined) {
        this.#counters.hits++;
        this.#counters.localHits++;
      } else toFetch.push(i);
      result.set(symbols[i] as string, held ?? null);
    }
    if (toFetch.length === 0) return result;
    const ticket = local.ticket();
    let raws: Array<Buffer | null>;
    try {
      raws = await this.#client.mgetBuffer(toFetch.map((i) => keys[i] as string));
    } catch (err) {
      this.#readFailed(err, toFetch.length);
      return result;
    }
    const reader = new F64Reader();
    for (let j = 0; j < toFetch.length; j++) {
      const i = toFetch[j] as number;
      result.set(symbols[i] as string, this.#accept(keys[i] as string, raws[j] ?? null, ticket, reader));
    }
    return result;
  }

  /**
   * Vectors for many symbols of one date as one row-major `Float64Array` ({@link FeatureMatrix}),
   * read in one `MGET` round trip like {@link getMany}. The columns are `options.names`, or the
   * names of the first vector found. f64 values laid out like the columns are copied into their
   * rows as bytes, without building an object or a number per feature: the fast way to feed a
   * model many symbols at once. Values in other layouts or in JSON are placed by name.
   *
   * Misses, corrupt values (counted and deleted, as in `get`) and vectors lacking a column give
   * rows of `NaN` whose `found` is false; a vector lacking a column still counts as a hit (Redis
   * had a valid vector) and is logged. With a local tier, the read goes through `getMany` (held
   * vectors are used, fetched ones enter the tier) and rows are filled by name, so the byte copy
   * and its speed apply to caches without one.
   *
   * @throws InvalidKeyError for a bad symbol or date, ValidationError for bad options, before
   * anything is sent; ValidationError when the matrix would exceed the largest Buffer.
   */
  async getMatrix(symbols: readonly string[], date: string, options: MatrixOptions = {}): Promise<FeatureMatrix> {
    const columns = checkMatrixOptions(options);
    const keys = this.#keys(symbols, date);
    const builder = new MatrixBuilder(symbols.length, columns);
    if (this.#local !== undefined) {
      const held = await this.getMany(symbols, date);
      for (let i = 0; i < symbols.length; i++) {
        const features = held.get(symbols[i] as string) ?? null;
        if (features === null) builder.miss(i);
        else builder.object(i, symbols[i] as string, features);
      }
    } else if (keys.length > 0) {
      await this.#fillMatrix(builder, symbols, keys);
    }
    if (builder.lacking.length > 0) {
      this.#log.warn({ symbols: builder.lacking.slice(0, 10), count: builder.lacking.length, date }, 'feature vectors lack matrix columns; rows left out');
    }
    return builder.build(symbols);
  }

  /** One MGET into the matrix: f64 values checked in place, JSON decoded, corrupt ones counted and deleted. */
  async #fillMatrix(builder: MatrixBuilder, symbols: readonly string[], keys: readonly string[]): Promise<void> {
    let raws: Array<Buffer | null>;
    try {
      raws = await this.#client.mgetBuffer(keys);
    } catch (err) {
      this.#readFailed(err, keys.length);
      for (let i = 0; i < keys.length; i++) builder.miss(i);
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      const raw = raws[i] ?? null;
      if (raw === null) {
        this.#counters.misses++;
        builder.miss(i);
      } else if (raw[0] === 0) {
        const set = inspectF64(raw);
        if (typeof set === 'string') {
          this.#corrupt(keys[i] as string, set);
          builder.miss(i);
        } else {
          this.#counters.hits++;
          builder.f64(i, symbols[i] as string, raw, set);
        }
      } else {
        const features = this.#accept(keys[i] as string, raw, undefined, undefined);
        if (features === null) builder.miss(i);
        else builder.object(i, symbols[i] as string, features);
      }
    }
  }

  /**
   * The keys of many symbols of one date. A service reads the same universe for the same date
   * over and over, so the keys of the date read last are kept by symbol (up to
   * {@link KEY_MEMO_SIZE}): a known symbol costs one lookup instead of a check and a new string
   * that node-redis would have to flatten again. Only checked symbols are kept.
   */
  #keys(symbols: readonly string[], date: string): string[] {
    let memo = this.#keyMemo;
    if (memo === undefined || memo.date !== date) {
      validateDate(date);
      memo = this.#keyMemo = { date, keys: new Map() };
    }
    const known = memo.keys;
    const prefix = `${this.#options.prefix}:`;
    const suffix = `:${date}`;
    const keys = new Array<string>(symbols.length);
    for (let i = 0; i < symbols.length; i++) {
      const symbol = symbols[i] as string;
      let key = known.get(symbol);
      if (key === undefined) {
        key = prefix + validateSymbol(symbol) + suffix;
        if (known.size < KEY_MEMO_SIZE) known.set(symbol, key);
      }
      keys[i] = key;
    }
    return keys;
  }

  /** A stored value that is not a valid vector: counted, logged and deleted; reads as a miss. */
  #corrupt(key: string, reason: string): null {
    this.#counters.corrupt++;
    this.#counters.misses++;
    this.#log.warn({ key, reason }, 'corrupt feature entry deleted');
    this.#client.del(key).catch(() => undefined);
    return null;
  }

  #readFailed(err: unknown, reads: number): null {
    this.#counters.errors++;
    this.#counters.misses += reads;
    this.#log.warn({ err: errorMessage(err) }, 'feature read failed; treating as a miss');
    return null;
  }

  #accept(key: string, raw: Buffer | null, ticket: ReturnType<LocalTier['ticket']> | undefined, reader: F64Reader | undefined): Features | null {
    if (raw === null) {
      this.#counters.misses++;
      return null;
    }
    const decoded = decodeStored(raw, reader);
    if (typeof decoded === 'string') return this.#corrupt(key, decoded);
    this.#counters.hits++;
    const local = this.#local;
    if (local === undefined) return decoded;
    // With a local tier every vector read is frozen, whether or not this one enters the tier, so
    // callers see one rule rather than one that depends on tracking being live at that moment.
    const features = Object.freeze(decoded);
    if (ticket) local.fill(key, features, ticket);
    return features;
  }

  /** Whether an encoded value fits `maxValueBytes`; an oversized one is counted and logged. */
  #fits(key: string, value: string | Buffer): boolean {
    const size = byteLength(value);
    if (size <= this.#options.maxValueBytes) return true;
    this.#counters.oversized++;
    this.#log.warn({ key, size, maxValueBytes: this.#options.maxValueBytes }, 'feature vector too large; not written');
    return false;
  }

  /**
   * Stores a vector with the cache's TTL (or `options.ttlSeconds`). `false` when Redis failed or
   * the value is larger than `maxValueBytes`; nothing is written then.
   * @throws InvalidKeyError for a bad symbol or date; ValidationError for a value that is not a
   * number or a bad `options.ttlSeconds` (not an integer >= 0); both before sending.
   */
  async set(symbol: string, date: string, features: Features, options: WriteOptions = {}): Promise<boolean> {
    const ttl = writeTtl(options, this.#options.ttlSeconds);
    const key = this.key(symbol, date);
    const value = this.#options.codec.encode(features);
    if (!this.#fits(key, value)) return false;
    return this.#write([{ key, value }], ttl);
  }

  /**
   * Stores many vectors of one date in one pipeline, all or nothing: every key, value and
   * `options.ttlSeconds` is checked first (a bad key throws `InvalidKeyError`; a bad value or
   * TTL throws `ValidationError`), then every size (any value over `maxValueBytes` makes it
   * return `false`); only then is anything sent.
   */
  async setMany(date: string, entries: FeatureEntries, options: WriteOptions = {}): Promise<boolean> {
    const ttl = writeTtl(options, this.#options.ttlSeconds);
    validateDate(date);
    const writes: Array<{ key: string; value: string | Buffer }> = [];
    for (const [symbol, features] of entriesOf(entries)) {
      writes.push({ key: this.key(symbol, date), value: this.#options.codec.encode(features) });
    }
    // Every size is checked (and each oversized value counted) once all entries are known valid.
    let fits = true;
    for (const w of writes) fits = this.#fits(w.key, w.value) && fits;
    if (!fits) return false;
    return this.#write(writes, ttl);
  }

  async #write(writes: Array<{ key: string; value: string | Buffer }>, ttl: number): Promise<boolean> {
    if (writes.length === 0) return true;
    this.#forget(writes);
    try {
      const ttlSeconds = ttl === 0 ? undefined : ttl;
      if (writes.length === 1) await this.#client.set(writes[0]!.key, writes[0]!.value, ttlSeconds === undefined ? {} : { ttlSeconds });
      else await this.#client.setMany(writes.map((w) => (ttlSeconds === undefined ? w : { ...w, ttlSeconds })));
      this.#counters.sets += writes.length;
      return true;
    } catch (err) {
      this.#counters.errors++;
      this.#log.warn({ err: errorMessage(err), count: writes.length }, 'feature write failed');
      return false;
    } finally {
      this.#forget(writes);
    }
  }

  /**
   * Drops keys from the local tier around an own write or delete: before it, and again once it
   * has settled, because a read that started in between may have filled the old value and the
   * tracking invalidation of the write may arrive after the write's reply (read-your-writes).
   */
  #forget(keys: ReadonlyArray<{ key: string }>): void {
    const local = this.#local;
    if (local) for (const k of keys) local.delete(k.key);
  }

  /** Deletes one vector; `true` when a key was deleted, `false` when absent or Redis failed. */
  async invalidate(symbol: string, date: string): Promise<boolean> {
    const key = this.key(symbol, date);
    this.#local?.delete(key);
    try {
      return (await this.#client.del(key)) > 0;
    } catch (err) {
      this.#counters.errors++;
      this.#log.warn({ err: errorMessage(err), key }, 'invalidate failed');
      return false;
    } finally {
      this.#local?.delete(key);
    }
  }

  /**
   * Deletes every date of a symbol (SCAN + UNLINK, never KEYS); resolves the number deleted.
   * Like the other writes it does not throw on a Redis error: it counts the error and resolves
   * the number deleted before it. @throws InvalidKeyError before sending.
   */
  async invalidateSymbol(symbol: string): Promise<number> {
    return this.#unlinkMatching(symbolPattern(this.#options.prefix, symbol));
  }

  /**
   * Deletes every symbol of a date (SCAN + UNLINK, never KEYS); resolves the number deleted.
   * On a Redis error: counted, and the number deleted before it. @throws InvalidKeyError before sending.
   */
  async invalidateDate(date: string): Promise<number> {
    return this.#unlinkMatching(datePattern(this.#options.prefix, date));
  }

  async #unlinkMatching(pattern: string): Promise<number> {
    let deleted = 0;
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      const keys = batch;
      batch = [];
      for (const key of keys) this.#local?.delete(key);
      try {
        deleted += await this.#client.unlink(keys);
      } finally {
        for (const key of keys) this.#local?.delete(key);
      }
    };
    try {
      for await (const key of this.#client.scan({ match: pattern, count: 1000 })) {
        batch.push(key);
        if (batch.length >= UNLINK_BATCH) await flush();
      }
      if (batch.length > 0) await flush();
    } catch (err) {
      this.#counters.errors++;
      this.#log.warn({ err: errorMessage(err), pattern, deleted }, 'bulk invalidation failed');
    }
    return deleted;
  }

  /**
   * The cached vector, or the result of `compute` (then cached). Concurrent callers for the
   * same key share one read and one computation; a failing `compute` rejects every waiter and
   * caches nothing.
   */
  async getOrCompute(symbol: string, date: string, compute: () => Promise<Features> | Features, options: WriteOptions = {}): Promise<Features> {
    writeTtl(options, this.#options.ttlSeconds);
    const key = this.key(symbol, date);
    return this.#flights.run(key, async () => {
      const cached = await this.get(symbol, date);
      if (cached !== null) return cached;
      const features = await compute();
      await this.set(symbol, date, features, options);
      return features;
    });
  }

  /**
   * Vectors for many symbols in input order: cached ones from one `getMany`, the rest from one
   * `computeMissing(missingSymbols)` call (then cached with one `setMany`). Symbols already
   * being computed by another caller are joined, not recomputed. `computeMissing` must return
   * a vector for every symbol it is given.
   */
  async getManyOrCompute(symbols: readonly string[], date: string, computeMissing: ComputeMissing, options: WriteOptions = {}): Promise<Map<string, Features>> {
    writeTtl(options, this.#options.ttlSeconds);
    const result = await this.getMany(symbols, date);
    const missing: string[] = [];
    // Only symbols nobody is computing yet go to this call's computeMissing; the rest join.
    const owned: string[] = [];
    for (const [symbol, features] of result) {
      if (features !== null) continue;
      missing.push(symbol);
      if (!this.#flights.has(this.key(symbol, date))) owned.push(symbol);
    }
    if (missing.length > 0) {
      let batch: Promise<Map<string, Features>> | undefined;
      const runBatch = (): Promise<Map<string, Features>> => (batch ??= this.#computeBatch(owned, date, computeMissing, options));
      // Promise.all observes every flight, so one failed batch is one rejection, never unhandled ones.
      const computed = await Promise.all(
        missing.map((symbol) => this.#flights.run(this.key(symbol, date), async () => (await runBatch()).get(symbol) as Features)),
      );
      for (let i = 0; i < missing.length; i++) result.set(missing[i] as string, computed[i] as Features);
    }
    return result as Map<string, Features>;
  }

  async #computeBatch(symbols: string[], date: string, computeMissing: ComputeMissing, options: WriteOptions): Promise<Map<string, Features>> {
    const computed = new Map(entriesOf(await computeMissing([...symbols])));
    const absent = symbols.filter((s) => !computed.has(s));
    if (absent.length > 0) {
      throw new ValidationError('computeMissing result', [{ path: '', message: `no features returned for ${absent.join(', ')}` }]);
    }
    await this.setMany(date, symbols.map((s) => [s, computed.get(s) as Features] as const), options);
    return computed;
  }

  /** Counters since construction or the last {@link resetStats}. */
  stats(): CacheStats {
    return this.#counters.snapshot();
  }

  /** Zeroes the counters. */
  resetStats(): void {
    this.#counters.reset();
  }

  /** Server figures from INFO (the Python `get_stats` fields), or `null` when Redis failed. */
  async serverStats(): Promise<ServerStats | null> {
    try {
      const info = await this.#client.info();
      const num = (name: string): number => Number(info[name] ?? 0);
      return {
        keyspaceHits: num('keyspace_hits'),
        keyspaceMisses: num('keyspace_misses'),
        usedMemory: num('used_memory'),
        connectedClients: num('connected_clients'),
      };
    } catch (err) {
      this.#counters.errors++;
      this.#log.warn({ err: errorMessage(err) }, 'INFO failed');
      return null;
    }
  }

  /** Stops the local tier's invalidation connection. The shared client stays open. */
  async close(): Promise<void> {
    this.#local?.stop();
    await this.#tracker?.close();
  }
}
