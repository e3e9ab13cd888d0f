/** The reads of a `FeatureCache` (`get`, `getMany`, `getMatrix`) and the one decoding step they share. */
import type { RedisClient } from '../client/redis-client.js';
import { dc } from '../diagnostics/channels.js';
import type { CacheReadOperation } from '../diagnostics/payloads.js';
import { errorMessage } from '../internal/error-text.js';
import type { Logger } from '../internal/logger.js';
import { buildF64, F64Reader, inspectStored, isF64Value, Rejection, type Features, type NameSet } from './codecs/index.js';
import type { CacheContext } from './context.js';
import type { FeatureKeys } from './keys.js';
import type { FillTicket, LocalTier } from './local-tier.js';
import { checkMatrixOptions, MatrixBuilder, type FeatureMatrix, type MatrixOptions } from './matrix.js';
import { CacheCounters } from './stats.js';

/**
 * Reads fail open: a Redis error is a miss (counted, logged). A stored value that is not a valid
 * vector is a miss, counted by its kind: a `corrupt` one (bytes Python's `json.loads` rejects, a
 * damaged f64 value) is logged and deleted; a `foreign` one (another writer's valid JSON that is
 * not a vector of numbers) or an `unsupported` one (a newer f64 version) is left in Redis, where
 * its writer can still read it, and logged at `warn` the first time this cache meets one of its
 * kind, at `debug` afterwards. Every value read, by any of the three methods, goes through
 * {@link #decode}; `get` and `getMany` then build the vector (and, with a local tier, freeze it
 * and offer it to the tier), `getMatrix` copies it into its row. Nothing is allocated per key
 * beyond the vector itself.
 *
 * Every read counts into a {@link CacheCounters}: the cache's own, or, while
 * `trading-platform:cache:lookup` has subscribers, the call's own counters, added to the cache's
 * and published once the call settles (in the read's own `finally`: no extra promise).
 */
export class FeatureReads {
  readonly #client: RedisClient;
  readonly #keys: FeatureKeys;
  readonly #counters: CacheCounters;
  readonly #log: Logger;
  readonly #local: LocalTier | undefined;
  /** The kinds of value left in place that were already logged at `warn`. */
  readonly #warned = new Set<'foreign' | 'unsupported'>();

  constructor(context: CacheContext) {
    this.#client = context.client;
    this.#keys = context.keys;
    this.#counters = context.counters;
    this.#log = context.log;
    this.#local = context.local;
  }

  /**
   * See `FeatureCache.get`. `held`, when given, collects the key if its value is another
   * writer's (foreign or unsupported), so read-or-compute does not write over it.
   */
  get(symbol: string, date: string, held?: Set<string>): Promise<Features | null> {
    if (!dc.cacheLookup.hasSubscribers) return this.#get(symbol, date, this.#counters, held, undefined);
    return this.#get(symbol, date, new CacheCounters(), held, 'get');
  }

  /** See `FeatureCache.getMany`; `held` as in {@link get}. */
  getMany(symbols: readonly string[], date: string, held?: Set<string>): Promise<Map<string, Features | null>> {
    if (!dc.cacheLookup.hasSubscribers) return this.#getMany(symbols, date, this.#counters, held, undefined);
    return this.#getMany(symbols, date, new CacheCounters(), held, 'getMany');
  }

  /** See `FeatureCache.getMatrix`. */
  getMatrix(symbols: readonly string[], date: string, options: MatrixOptions): Promise<FeatureMatrix> {
    if (!dc.cacheLookup.hasSubscribers) return this.#getMatrix(symbols, date, options, this.#counters, undefined);
    return this.#getMatrix(symbols, date, options, new CacheCounters(), 'getMatrix');
  }

  /**
   * The end of a read counted apart (`reported` set): its counters are added to the cache's and
   * published on `trading-platform:cache:lookup`.
   */
  #report(operation: CacheReadOperation | undefined, c: CacheCounters): void {
    if (operation === undefined) return;
    this.#counters.add(c);
    // A call refused before reading (a bad symbol, date or option) read nothing: no message.
    if (c.hits + c.misses === 0) return;
    const unread = c.corrupt + c.foreign + c.unsupported + c.failedKeys;
    dc.cacheLookup.publish({
      operation,
      localHits: c.localHits,
      redisHits: c.hits - c.localHits,
      absent: c.misses - unread,
      corrupt: c.corrupt,
      foreign: c.foreign,
      unsupported: c.unsupported,
      failed: c.failedKeys,
      errors: c.errors,
    });
  }

  async #get(symbol: string, date: string, c: CacheCounters, held: Set<string> | undefined, reported: CacheReadOperation | undefined): Promise<Features | null> {
    try {
      const key = this.#keys.key(symbol, date);
      const local = this.#local?.get(key);
      if (local !== undefined) {
        c.hits++;
        c.localHits++;
        return local;
      }
      const ticket = this.#local?.ticket();
      let raw: Buffer | null;
      try {
        raw = await this.#client.getBuffer(key);
      } catch (err) {
        return this.#readFailed(c, err, 1);
      }
      return this.#features(c, key, raw, ticket, undefined, held);
    } finally {
      this.#report(reported, c);
    }
  }

  async #getMany(
    symbols: readonly string[],
    date: string,
    c: CacheCounters,
    held: Set<string> | undefined,
    reported: CacheReadOperation | undefined,
  ): Promise<Map<string, Features | null>> {
    try {
      const keys = this.#keys.keys(symbols, date);
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
          this.#readFailed(c, err, keys.length);
          return result;
        }
        const reader = new F64Reader();
        for (let i = 0; i < keys.length; i++) result.set(symbols[i] as string, this.#features(c, keys[i] as string, raws[i] ?? null, undefined, reader, held));
        return result;
      }
      const toFetch: number[] = [];
      for (let i = 0; i < keys.length; i++) {
        const inTier = local.get(keys[i] as string);
        if (inTier !== undefined) {
          c.hits++;
          c.localHits++;
        } else toFetch.push(i);
        result.set(symbols[i] as string, inTier ?? null);
      }
      if (toFetch.length === 0) return result;
      const ticket = local.ticket();
      let raws: Array<Buffer | null>;
      try {
        raws = await this.#client.mgetBuffer(toFetch.map((i) => keys[i] as string));
      } catch (err) {
        this.#readFailed(c, err, toFetch.length);
        return result;
      }
      const reader = new F64Reader();
      for (let j = 0; j < toFetch.length; j++) {
        const i = toFetch[j] as number;
        result.set(symbols[i] as string, this.#features(c, keys[i] as string, raws[j] ?? null, ticket, reader, held));
      }
      return result;
    } finally {
      this.#report(reported, c);
    }
  }

  async #getMatrix(symbols: readonly string[], date: string, options: MatrixOptions, c: CacheCounters, reported: CacheReadOperation | undefined): Promise<FeatureMatrix> {
    try {
      const columns = checkMatrixOptions(options);
      const keys = this.#keys.keys(symbols, date);
      const builder = new MatrixBuilder(symbols.length, columns);
      if (this.#local !== undefined) {
        const held = await this.#getMany(symbols, date, c, undefined, undefined);
        for (let i = 0; i < symbols.length; i++) {
          const features = held.get(symbols[i] as string) ?? null;
          if (features === null) builder.miss(i);
          else builder.object(i, symbols[i] as string, features);
        }
      } else if (keys.length > 0) {
        await this.#fillMatrix(c, builder, symbols, keys);
      }
      if (builder.lacking.length > 0) {
        this.#log.warn({ symbols: builder.lacking.slice(0, 10), count: builder.lacking.length, date }, 'feature vectors lack matrix columns; rows left out');
      }
      return builder.build(symbols);
    } finally {
      this.#report(reported, c);
    }
  }

  /** One MGET into the matrix; a failed read leaves every row a miss. */
  async #fillMatrix(c: CacheCounters, builder: MatrixBuilder, symbols: readonly string[], keys: readonly string[]): Promise<void> {
    let raws: Array<Buffer | null>;
    try {
      raws = await this.#client.mgetBuffer(keys);
    } catch (err) {
      this.#readFailed(c, err, keys.length);
      for (let i = 0; i < keys.length; i++) builder.miss(i);
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      const raw = raws[i] ?? null;
      const decoded = this.#decode(c, keys[i] as string, raw);
      if (decoded === null) builder.miss(i);
      // f64 values are copied into their row as bytes, with no object or number per feature.
      else if (raw !== null && isF64Value(raw)) builder.f64(i, symbols[i] as string, raw, decoded as NameSet);
      else builder.object(i, symbols[i] as string, decoded as Features);
    }
  }

  /**
   * The one decoding step of every read: a miss, a value not read (counted by its kind; deleted
   * only when corrupt) or a hit, counted. A hit gives the f64 value's names (the value checked,
   * not yet built) or the JSON value's vector; `isF64Value(raw)` tells which.
   */
  #decode(c: CacheCounters, key: string, raw: Buffer | null, held?: Set<string>): NameSet | Features | null {
    if (raw === null) {
      c.misses++;
      return null;
    }
    const decoded = inspectStored(raw);
    if (decoded instanceof Rejection) return this.#rejected(c, key, decoded, held);
    c.hits++;
    return decoded;
  }

  /** The vector a `get` or `getMany` returns: built, and with a local tier frozen and offered to it. */
  #features(c: CacheCounters, key: string, raw: Buffer | null, ticket: FillTicket | undefined, reader: F64Reader | undefined, held?: Set<string>): Features | null {
    const decoded = this.#decode(c, key, raw, held);
    if (decoded === null) return null;
    const features = raw !== null && isF64Value(raw) ? buildF64(raw, decoded as NameSet, reader) : (decoded as Features);
    const local = this.#local;
    if (local === undefined) return features;
    // With a local tier every vector read is frozen, whether or not this one enters the tier, so
    // callers see one rule rather than one that depends on tracking being live at that moment.
    Object.freeze(features);
    if (ticket) local.fill(key, features, ticket);
    return features;
  }

  /**
   * A stored value that is not read as a vector: a miss, counted by its kind. Only a corrupt one
   * is deleted; a foreign or unsupported one stays for the writer that can read it.
   */
  #rejected(counters: CacheCounters, key: string, rejection: Rejection, held: Set<string> | undefined): null {
    counters.misses++;
    const { kind, reason } = rejection;
    if (kind === 'corrupt') {
      counters.corrupt++;
      this.#log.warn({ key, reason }, 'corrupt feature entry deleted');
      this.#client.del([key]).catch(() => undefined);
      return null;
    }
    counters[kind]++;
    held?.add(key);
    const msg = kind === 'foreign' ? 'foreign feature entry left in place (not a vector of numbers)' : 'unsupported feature entry left in place (newer f64 version)';
    if (this.#warned.has(kind)) this.#log.debug({ key, reason }, msg);
    else {
      this.#warned.add(kind);
      this.#log.warn({ key, reason, next: 'further ones are logged at debug' }, msg);
    }
    return null;
  }

  #readFailed(c: CacheCounters, err: unknown, reads: number): null {
    c.errors++;
    c.misses += reads;
    c.failedKeys += reads;
    this.#log.warn({ err: errorMessage(err) }, 'feature read failed; treating as a miss');
    return null;
  }
}
