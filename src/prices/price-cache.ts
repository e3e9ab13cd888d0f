/** `PriceCache`: the latest quote per symbol under `price:{symbol}`, shared with the Python market-data service. */
import type { RedisClient } from '../client/redis-client.js';
import { dc } from '../diagnostics/channels.js';
import { integerOption } from '../internal/config.js';
import { errorMessage } from '../internal/error-text.js';
import { ValidationError } from '../internal/errors.js';
import { componentLogger } from '../internal/logger.js';
import type { Logger } from '../internal/logger.js';
import { RedisKeys } from '../keys/redis-keys.js';
import { encodePriceData, readPriceData } from './price-data.js';
import type { CachedPrice, PriceInit } from './price-data.js';

/** Options of {@link PriceCache}. Defaults are in {@link PRICE_CACHE_DEFAULTS}. */
export interface PriceCacheOptions {
  /** Seconds before a written price expires; `0` writes without expiry. @default 300 (upstream `price_ttl`) */
  ttlSeconds?: number;
  /**
   * Oldest price a read returns, in milliseconds from its `timestamp`; older ones read as `null`
   * (counted as `stale`). Per-read `maxAgeMs` overrides it. @default undefined (no age limit)
   */
  maxAgeMs?: number;
  /** Where the cache logs (refused values at `warn`, stale ones at `debug`). @default silent */
  logger?: Logger;
}

/** The defaults of {@link PriceCacheOptions}. */
export const PRICE_CACHE_DEFAULTS = Object.freeze({ ttlSeconds: 300 });

/** Per-read options of {@link PriceCache.get} and {@link PriceCache.getMany}. */
export interface PriceReadOptions {
  /** Oldest price returned, in ms; overrides the cache's `maxAgeMs`. An integer >= 0. */
  maxAgeMs?: number;
}

/** Per-write options of {@link PriceCache.set}. */
export interface PriceWriteOptions {
  /** Seconds before expiry for this write, `0` for none; overrides the cache's `ttlSeconds`. */
  ttlSeconds?: number;
}

/** Counters of one {@link PriceCache}, since construction or the last `resetStats()`. */
export interface PriceCacheStats {
  /** Reads that returned a price. */
  hits: number;
  /** Reads that returned `null`: absent, invalid, stale, or Redis failed. */
  misses: number;
  /** Stored values refused by the read checks (each also a miss; never deleted). */
  invalid: number;
  /** Stored values older than the allowed age (each also a miss). */
  stale: number;
  /** Redis errors on reads and writes (each failed read is also a miss per symbol). */
  errors: number;
  /** Prices written. */
  sets: number;
  /** `hits / (hits + misses)`, `0` before any read. */
  hitRate: number;
}

/** A per-call option: `undefined`, or an integer >= 0. @throws ValidationError naming it. */
function callOption(subject: string, name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(subject, [{ path: name, message: `must be an integer >= 0, got ${String(value)}` }]);
  }
  return value;
}

/**
 * The price cache of the platform: upstream `PriceData` JSON under `price:{symbol}` (see
 * {@link RedisKeys.price}), written by the Python market-data service with a 300 s TTL and read
 * by its execution gateway and orchestrator.
 *
 * Reads are as lenient as upstream `parse_redis_price_json` and fail open: a value it would refuse
 * (symbol not the key's, no readable timestamp, timestamp more than 5 s ahead, too old for
 * `maxAgeMs`, `mid` missing or not > 0, not JSON) reads as `null`, is counted and logged, and is
 * **left in Redis** (another writer may still read it); a Redis error reads as `null`, counted and
 * logged. Writes are strict: `set` refuses what the Python model would not write canonically
 * (typed errors before anything is sent) and writes exactly the bytes of Pydantic's
 * `model_dump_json()`. Prices stay decimal strings end to end.
 *
 * @example
 * ```ts
 * const prices = new PriceCache(client, { maxAgeMs: 30_000 });
 * await prices.set({ symbol: 'AAPL', bid: '150.24', ask: '150.26', mid: '150.25', timestamp: new Date() });
 * const quotes = await prices.getMany(['AAPL', 'MSFT']); // Map in input order, null for misses
 * ```
 */
export class PriceCache {
  readonly #client: RedisClient;
  readonly #log: Logger;
  readonly #ttlSeconds: number;
  readonly #maxAgeMs: number | undefined;
  #hits = 0;
  #misses = 0;
  #invalid = 0;
  #stale = 0;
  #errors = 0;
  #sets = 0;

  /** @throws ConfigError naming an invalid option. */
  constructor(client: RedisClient, options: PriceCacheOptions = {}) {
    this.#client = client;
    this.#ttlSeconds = integerOption(options.ttlSeconds, PRICE_CACHE_DEFAULTS.ttlSeconds, 'ttlSeconds', { min: 0 });
    this.#maxAgeMs = options.maxAgeMs === undefined ? undefined : integerOption(options.maxAgeMs, 0, 'maxAgeMs', { min: 0 });
    this.#log = componentLogger(options.logger, 'price-cache');
  }

  /** The key of a symbol's price, `price:{symbol}`. @throws InvalidKeyError */
  key(symbol: string): string {
    return RedisKeys.price(symbol);
  }

  /**
   * The latest price of `symbol`, or `null` when absent, refused by the read checks, older than
   * `maxAgeMs`, or Redis failed.
   * @throws InvalidKeyError (bad symbol), ValidationError (bad `maxAgeMs`), before anything is sent.
   */
  async get(symbol: string, options: PriceReadOptions = {}): Promise<CachedPrice | null> {
    const key = RedisKeys.price(symbol);
    const maxAgeMs = callOption('read options', 'maxAgeMs', options.maxAgeMs) ?? this.#maxAgeMs;
    const tally = dc.priceRead.hasSubscribers ? new ReadTally('get') : undefined;
    let raw: string | null;
    try {
      raw = await this.#client.get(key);
    } catch (err) {
      this.#readFailed(err, 1, tally);
      return null;
    }
    const price = this.#read(key, symbol, raw, Date.now(), maxAgeMs, tally);
    tally?.publish();
    return price;
  }

  /**
   * Prices of many symbols in one `MGET` round trip (one per slot on a cluster), as a Map in
   * input order with `null` for each miss; every symbol `null` when Redis failed.
   * @throws InvalidKeyError (any bad symbol), ValidationError (bad `maxAgeMs`), before anything is sent.
   */
  async getMany(symbols: readonly string[], options: PriceReadOptions = {}): Promise<Map<string, CachedPrice | null>> {
    const keys = symbols.map((symbol) => RedisKeys.price(symbol));
    const maxAgeMs = callOption('read options', 'maxAgeMs', options.maxAgeMs) ?? this.#maxAgeMs;
    const result = new Map<string, CachedPrice | null>();
    if (keys.length === 0) return result;
    const tally = dc.priceRead.hasSubscribers ? new ReadTally('getMany') : undefined;
    let raws: Array<string | null>;
    try {
      raws = await this.#client.mget(keys);
    } catch (err) {
      this.#readFailed(err, keys.length, tally);
      for (const symbol of symbols) result.set(symbol, null);
      return result;
    }
    const now = Date.now();
    for (let i = 0; i < keys.length; i++) {
      const symbol = symbols[i] as string;
      result.set(symbol, this.#read(keys[i] as string, symbol, raws[i] ?? null, now, maxAgeMs, tally));
    }
    tally?.publish();
    return result;
  }

  /**
   * Stores a price as upstream `PriceData` JSON, byte for byte what Pydantic's
   * `model_dump_json()` writes, with the cache's TTL (or `options.ttlSeconds`). `false` when
   * Redis failed (counted, logged).
   * @throws InvalidKeyError (bad symbol), ValidationError naming each bad field (or `ttlSeconds`),
   * before anything is sent.
   */
  async set(price: PriceInit, options: PriceWriteOptions = {}): Promise<boolean> {
    const ttlSeconds = callOption('write options', 'ttlSeconds', options.ttlSeconds) ?? this.#ttlSeconds;
    const value = encodePriceData(price);
    const key = RedisKeys.price(price.symbol);
    try {
      await this.#client.set(key, value, ttlSeconds === 0 ? {} : { ttlSeconds });
    } catch (err) {
      this.#errors++;
      this.#log.warn({ key, err: errorMessage(err) }, 'price write failed');
      if (dc.priceWrite.hasSubscribers) dc.priceWrite.publish(WRITE_ERROR);
      return false;
    }
    this.#sets++;
    if (dc.priceWrite.hasSubscribers) dc.priceWrite.publish(WRITTEN);
    return true;
  }

  /** Counters since construction or the last {@link resetStats}. */
  stats(): PriceCacheStats {
    const reads = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      invalid: this.#invalid,
      stale: this.#stale,
      errors: this.#errors,
      sets: this.#sets,
      hitRate: reads === 0 ? 0 : this.#hits / reads,
    };
  }

  /** Zeroes the counters. */
  resetStats(): void {
    this.#hits = this.#misses = this.#invalid = this.#stale = this.#errors = this.#sets = 0;
  }

  #read(key: string, symbol: string, raw: string | null, now: number, maxAgeMs: number | undefined, tally: ReadTally | undefined): CachedPrice | null {
    if (raw === null) {
      this.#misses++;
      if (tally) tally.absent++;
      return null;
    }
    const read = readPriceData(raw, symbol, now, maxAgeMs);
    if ('symbol' in read) {
      this.#hits++;
      if (tally) tally.hits++;
      return read;
    }
    this.#misses++;
    if (tally) tally[read.kind]++;
    if (read.kind === 'stale') {
      this.#stale++;
      this.#log.debug({ key, reason: read.reason }, 'stale price; read as a miss');
    } else {
      this.#invalid++;
      this.#log.warn({ key, reason: read.reason }, 'invalid price entry; read as a miss and left in place');
    }
    return null;
  }

  #readFailed(err: unknown, reads: number, tally: ReadTally | undefined): void {
    this.#errors++;
    this.#misses += reads;
    this.#log.warn({ err: errorMessage(err) }, 'price read failed; treating as a miss');
    if (tally) {
      tally.failed += reads;
      tally.errors++;
      tally.publish();
    }
  }
}

const WRITTEN = Object.freeze({ outcome: 'written' as const });
const WRITE_ERROR = Object.freeze({ outcome: 'error' as const });

/** One read call's outcomes, counted while `trading-platform:prices:read` has subscribers and published when it settles. */
class ReadTally {
  hits = 0;
  absent = 0;
  invalid = 0;
  stale = 0;
  failed = 0;
  errors = 0;

  constructor(readonly operation: 'get' | 'getMany') {}

  publish(): void {
    const { operation, hits, absent, invalid, stale, failed, errors } = this;
    dc.priceRead.publish({ operation, hits, absent, invalid, stale, failed, errors });
  }
}
