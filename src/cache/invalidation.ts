/** Deleting vectors from a `FeatureCache`: one key, or every date of a symbol or symbol of a date (SCAN + UNLINK). */
import type { RedisClient } from '../client/redis-client.js';
import { dc } from '../diagnostics/channels.js';
import type { CacheInvalidateMessage } from '../diagnostics/payloads.js';
import { errorMessage } from '../internal/error-text.js';
import type { Logger } from '../internal/logger.js';
import type { CacheContext } from './context.js';
import type { FeatureKeys } from './keys.js';
import type { LocalTier } from './local-tier.js';
import type { CacheCounters } from './stats.js';

/** Keys per UNLINK of a bulk invalidation. */
export const UNLINK_BATCH = 500;

/** Keys per SCAN page (the `COUNT` hint) of a bulk invalidation. */
const SCAN_COUNT = 1000;

/**
 * Like writes, invalidations never throw on a Redis error (they count it and report what was
 * done), only on a bad symbol or date, before anything is sent. Each deleted key is dropped from
 * the local tier before its delete and again once it has settled, as own writes are.
 */
export class FeatureInvalidation {
  readonly #client: RedisClient;
  readonly #keys: FeatureKeys;
  readonly #counters: CacheCounters;
  readonly #log: Logger;
  readonly #local: LocalTier | undefined;

  constructor(context: CacheContext) {
    this.#client = context.client;
    this.#keys = context.keys;
    this.#counters = context.counters;
    this.#log = context.log;
    this.#local = context.local;
  }

  /** See `FeatureCache.invalidate`. */
  async invalidate(symbol: string, date: string): Promise<boolean> {
    const key = this.#keys.key(symbol, date);
    this.#local?.delete(key);
    try {
      const deleted = await this.#client.del([key]);
      if (dc.cacheInvalidate.hasSubscribers) dc.cacheInvalidate.publish({ operation: 'invalidate', deleted, errors: 0 });
      return deleted > 0;
    } catch (err) {
      this.#counters.errors++;
      this.#log.warn({ err: errorMessage(err), key }, 'invalidate failed');
      if (dc.cacheInvalidate.hasSubscribers) dc.cacheInvalidate.publish({ operation: 'invalidate', deleted: 0, errors: 1 });
      return false;
    } finally {
      this.#local?.delete(key);
    }
  }

  /** See `FeatureCache.invalidateSymbol`. */
  async invalidateSymbol(symbol: string): Promise<number> {
    return this.#unlinkMatching(this.#keys.symbolPattern(symbol), 'invalidateSymbol');
  }

  /** See `FeatureCache.invalidateDate`. */
  async invalidateDate(date: string): Promise<number> {
    return this.#unlinkMatching(this.#keys.datePattern(date), 'invalidateDate');
  }

  async #unlinkMatching(pattern: string, operation: CacheInvalidateMessage['operation']): Promise<number> {
    let deleted = 0;
    let errors = 0;
    let batch: string[] = [];
    try {
      for await (const key of this.#client.scan({ match: pattern, count: SCAN_COUNT })) {
        batch.push(key);
        if (batch.length >= UNLINK_BATCH) {
          deleted += await this.#unlink(batch);
          batch = [];
        }
      }
      if (batch.length > 0) deleted += await this.#unlink(batch);
    } catch (err) {
      errors = 1;
      this.#counters.errors++;
      this.#log.warn({ err: errorMessage(err), pattern, deleted }, 'bulk invalidation failed');
    }
    if (dc.cacheInvalidate.hasSubscribers) dc.cacheInvalidate.publish({ operation, deleted, errors });
    return deleted;
  }

  /** One UNLINK of a batch, dropping its keys from the local tier around it. */
  async #unlink(keys: readonly string[]): Promise<number> {
    const local = this.#local;
    if (local) for (const key of keys) local.delete(key);
    try {
      return await this.#client.unlink(keys);
    } finally {
      if (local) for (const key of keys) local.delete(key);
    }
  }
}
