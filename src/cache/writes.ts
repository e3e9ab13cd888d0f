/** The writes of a `FeatureCache` (`set`, `setMany`): checked, sized and sent all or nothing. */
import type { RedisClient } from '../client/redis-client.js';
import { dc } from '../diagnostics/channels.js';
import type { CacheWriteOperation } from '../diagnostics/payloads.js';
import { renamedOption } from '../internal/config.js';
import { errorMessage } from '../internal/error-text.js';
import { ValidationError } from '../internal/errors.js';
import type { Logger } from '../internal/logger.js';
import { byteLength, type FeatureCodec, type Features } from './codecs/index.js';
import type { CacheContext } from './context.js';
import type { FeatureKeys } from './keys.js';
import { validateDate } from './keys.js';
import type { LocalTier } from './local-tier.js';
import type { CacheCounters } from './stats.js';

/** Per-call write options. */
export interface WriteOptions {
  /**
   * Seconds before expiry for this write; `0` for none. Overrides the cache's `ttlSeconds`.
   * Anything but an integer >= 0 throws a `ValidationError` (issue path `ttlSeconds`) before
   * anything is sent.
   */
  ttlSeconds?: number;
  /**
   * @deprecated Use `ttlSeconds` instead; given with `ttlSeconds`, both must have one value. A bad value
   * throws a `ValidationError` with issue path `ttl`.
   */
  ttl?: number;
}

/** Vectors keyed by symbol: a Map, an object, or `[symbol, features]` pairs. */
export type FeatureEntries = ReadonlyMap<string, Features> | Readonly<Record<string, Features>> | Iterable<readonly [string, Features]>;

/** How one {@link FeatureWrites} encodes and stores, from the cache's options. */
export interface WriteSettings {
  readonly codec: FeatureCodec;
  /** The cache's TTL in seconds; `0` for none. */
  readonly ttlSeconds: number;
  readonly maxValueBytes: number;
}

/** The pairs of any {@link FeatureEntries}, in its order. */
export function entriesOf(entries: FeatureEntries): Array<readonly [string, Features]> {
  if (entries instanceof Map) return [...(entries as ReadonlyMap<string, Features>)];
  if (Symbol.iterator in entries) return [...(entries as Iterable<readonly [string, Features]>)];
  return Object.entries(entries);
}

interface Write {
  key: string;
  value: string | Buffer;
}

/**
 * Writes report `false` when Redis failed or a value exceeds `maxValueBytes` (nothing is
 * written then); programmer errors (bad key, value or TTL) throw before anything is sent.
 */
export class FeatureWrites {
  readonly #client: RedisClient;
  readonly #keys: FeatureKeys;
  readonly #counters: CacheCounters;
  readonly #log: Logger;
  readonly #local: LocalTier | undefined;
  readonly #settings: WriteSettings;

  constructor(context: CacheContext, settings: WriteSettings) {
    this.#client = context.client;
    this.#keys = context.keys;
    this.#counters = context.counters;
    this.#log = context.log;
    this.#local = context.local;
    this.#settings = settings;
  }

  /**
   * The TTL of one write in seconds: the per-call one, checked like a value, or the cache's.
   * @throws ValidationError naming the option the caller used (`ttlSeconds` or `ttl`), or
   *   `ttlSeconds` when both are given and disagree.
   */
  ttlOf(options: WriteOptions): number {
    if (options.ttlSeconds === undefined && options.ttl === undefined) return this.#settings.ttlSeconds;
    const [ttl, path] = renamedOption(options.ttlSeconds, 'ttlSeconds', options.ttl, 'ttl', (message, option) => {
      return new ValidationError('write options', [{ path: option, message }]);
    });
    if (ttl === undefined) return this.#settings.ttlSeconds;
    if (!Number.isInteger(ttl) || ttl < 0) {
      throw new ValidationError('write options', [{ path, message: `must be an integer >= 0, got ${String(ttl)}` }]);
    }
    return ttl;
  }

  /** See `FeatureCache.set`. */
  async set(symbol: string, date: string, features: Features, options: WriteOptions): Promise<boolean> {
    const ttl = this.ttlOf(options);
    const key = this.#keys.key(symbol, date);
    const value = this.#settings.codec.encode(features);
    if (!this.#fits(key, value)) {
      if (dc.cacheWrite.hasSubscribers) dc.cacheWrite.publish({ operation: 'set', written: 0, failed: 0, oversized: 1, refused: 0, errors: 0 });
      return false;
    }
    return this.#write([{ key, value }], ttl, 'set');
  }

  /** See `FeatureCache.setMany`. */
  async setMany(date: string, entries: FeatureEntries, options: WriteOptions): Promise<boolean> {
    const ttl = this.ttlOf(options);
    validateDate(date);
    const writes: Write[] = [];
    for (const [symbol, features] of entriesOf(entries)) {
      writes.push({ key: this.#keys.key(symbol, date), value: this.#settings.codec.encode(features) });
    }
    // Every size is checked (and each oversized value counted) once all entries are known valid.
    let oversized = 0;
    for (const w of writes) if (!this.#fits(w.key, w.value)) oversized++;
    if (oversized > 0) {
      // Nothing of the call is written: the vectors that fit are refused with the oversized ones.
      const refused = writes.length - oversized;
      if (dc.cacheWrite.hasSubscribers) dc.cacheWrite.publish({ operation: 'setMany', written: 0, failed: 0, oversized, refused, errors: 0 });
      return false;
    }
    return this.#write(writes, ttl, 'setMany');
  }

  /** Whether an encoded value fits `maxValueBytes`; an oversized one is counted and logged. */
  #fits(key: string, value: string | Buffer): boolean {
    const size = byteLength(value);
    const maxValueBytes = this.#settings.maxValueBytes;
    if (size <= maxValueBytes) return true;
    this.#counters.oversized++;
    this.#log.warn({ key, size, maxValueBytes }, 'feature vector too large; not written');
    return false;
  }

  async #write(writes: Write[], ttl: number, operation: CacheWriteOperation): Promise<boolean> {
    if (writes.length === 0) return true;
    this.#forget(writes);
    const count = writes.length;
    try {
      const ttlSeconds = ttl === 0 ? undefined : ttl;
      if (count === 1) await this.#client.set(writes[0]!.key, writes[0]!.value, ttlSeconds === undefined ? {} : { ttlSeconds });
      else await this.#client.setMany(writes.map((w) => (ttlSeconds === undefined ? w : { ...w, ttlSeconds })));
      this.#counters.sets += count;
      if (dc.cacheWrite.hasSubscribers) dc.cacheWrite.publish({ operation, written: count, failed: 0, oversized: 0, refused: 0, errors: 0 });
      return true;
    } catch (err) {
      this.#counters.errors++;
      this.#log.warn({ err: errorMessage(err), count }, 'feature write failed');
      if (dc.cacheWrite.hasSubscribers) dc.cacheWrite.publish({ operation, written: 0, failed: count, oversized: 0, refused: 0, errors: 1 });
      return false;
    } finally {
      this.#forget(writes);
    }
  }

  /**
   * Drops keys from the local tier around an own write: before it, and again once it has
   * settled, because a read that started in between may have filled the old value and the
   * tracking invalidation of the write may arrive after the write's reply (read-your-writes).
   */
  #forget(writes: readonly Write[]): void {
    const local = this.#local;
    if (local) for (const w of writes) local.delete(w.key);
  }
}
