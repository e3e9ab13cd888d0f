/** `RedisKeys`: the platform's Redis key formats (upstream `libs/core/redis_client/keys.py`), every part validated. */
import { validateDate, validateSymbol } from '../cache/keys.js';
import { InvalidKeyError } from '../internal/errors.js';

/** Longest identifier part (strategy id, strategy name, breaker id) a key may carry. */
export const MAX_KEY_ID_LENGTH = 256;

/** Whitespace, control characters and `:`, the separator between key parts. */
const ID_FORBIDDEN = /[\s\p{Cc}:]/u;

/**
 * Checks an identifier part (a strategy id or name, a circuit-breaker id): a non-empty string of
 * at most {@link MAX_KEY_ID_LENGTH} characters with no whitespace, no control characters and no
 * `:` (the separator: `quarantine:a:b:AAPL` would not say which part is the strategy). Anything
 * else the Python services may use is kept, `_` and `*` included (`quarantine:*:AAPL` is the
 * all-strategies flag).
 *
 * @throws InvalidKeyError naming the part (`context.part`) and what is wrong with it.
 */
export function validateKeyId(part: string, value: string): string {
  const why =
    typeof value !== 'string'
      ? 'must be a string'
      : value.length === 0
        ? 'must not be empty'
        : value.length > MAX_KEY_ID_LENGTH
          ? `is ${value.length} characters long, at most ${MAX_KEY_ID_LENGTH} allowed`
          : ID_FORBIDDEN.test(value)
            ? 'must not contain whitespace, control characters or ":"'
            : undefined;
  if (why === undefined) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new InvalidKeyError(`Invalid ${part} ${shown}: ${why}`, { context: { part, [part]: value } });
}

/**
 * The key formats the platform's Python services use, under the names of upstream `RedisKeys`
 * (camelCase). Each part is checked before a key is built, so an invalid one throws an
 * `InvalidKeyError` naming it and nothing is sent: symbols as FeatureCache checks them (1-32
 * ASCII letters, digits, `.`, `-`; case kept), dates as real `YYYY-MM-DD` days, identifiers by
 * {@link validateKeyId}.
 *
 * @example
 * ```ts
 * RedisKeys.price('AAPL');                     // 'price:AAPL'
 * RedisKeys.feature('MSFT', '2025-01-17');     // 'feature:MSFT:2025-01-17'
 * RedisKeys.quarantine('*', 'AAPL');           // 'quarantine:*:AAPL'
 * ```
 */
export const RedisKeys = Object.freeze({
  /**
   * `price:{symbol}`: the latest quote as `PriceData` JSON, written by the market-data service
   * and read by the execution gateway (see `PriceCache`).
   * @throws InvalidKeyError for an invalid symbol.
   */
  price(symbol: string): string {
    return `price:${validateSymbol(symbol)}`;
  },

  /**
   * `feature:{symbol}:{date}`, exactly as upstream `RedisKeys.feature` writes it: **singular**
   * `feature:`. Upstream's `FeatureCache` (and this SDK's `FeatureCache`, whose default prefix is
   * `features`) stores vectors under the **plural** `features:{symbol}:{date}` instead, so this
   * key does not find what a `FeatureCache` wrote; use `FeatureCache.key()` for those. Both are
   * kept as Python has them.
   * @throws InvalidKeyError for an invalid symbol or date.
   */
  feature(symbol: string, date: string): string {
    return `feature:${validateSymbol(symbol)}:${validateDate(date)}`;
  },

  /**
   * `cb:{breakerId}`: a circuit breaker's state (`'global'`, or a symbol).
   * @throws InvalidKeyError for an invalid breaker id.
   */
  circuitBreaker(breakerId: string): string {
    return `cb:${validateKeyId('breakerId', breakerId)}`;
  },

  /**
   * `model:version:{strategyName}`: the model version a strategy serves (hot reload).
   * @throws InvalidKeyError for an invalid strategy name.
   */
  modelVersion(strategyName: string): string {
    return `model:version:${validateKeyId('strategyName', strategyName)}`;
  },

  /**
   * `quarantine:{strategyId}:{symbol}`: trading on the symbol is blocked for the strategy; the
   * strategy id `'*'` blocks it for every strategy.
   * @throws InvalidKeyError for an invalid strategy id or symbol.
   */
  quarantine(strategyId: string, symbol: string): string {
    return `quarantine:${validateKeyId('strategyId', strategyId)}:${validateSymbol(symbol)}`;
  },

  /**
   * `orphan_exposure:{strategyId}:{symbol}`: the cached exposure of orphan orders.
   * @throws InvalidKeyError for an invalid strategy id or symbol.
   */
  orphanExposure(strategyId: string, symbol: string): string {
    return `orphan_exposure:${validateKeyId('strategyId', strategyId)}:${validateSymbol(symbol)}`;
  },

  /**
   * `reduce_only_lock:{symbol}`: the lock held while a reduce-only order is validated.
   * @throws InvalidKeyError for an invalid symbol.
   */
  reduceOnlyLock(symbol: string): string {
    return `reduce_only_lock:${validateSymbol(symbol)}`;
  },
});
