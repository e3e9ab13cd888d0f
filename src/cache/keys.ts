/**
 * Feature keys, shared with the Python services: `{prefix}:{SYMBOL}:{YYYY-MM-DD}`
 * (`features:AAPL:2025-01-17` with the default prefix). Every part is validated before a key is
 * built, so an invalid symbol or date throws before anything is sent to Redis.
 */
import { isoDateProblem } from '../internal/dates.js';
import { ConfigError, InvalidKeyError } from '../internal/errors.js';

/** The key prefix Python and TypeScript services use by default. */
export const DEFAULT_FEATURE_PREFIX = 'features';

const SYMBOL = /^[A-Za-z0-9.-]{1,32}$/;
/** Characters Redis's glob matcher treats specially, plus the escape character itself. */
const GLOB_CHARS = /[*?[\]\\]/g;
const PREFIX_FORBIDDEN = /[*?[\]\\\s\p{Cc}]/u;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Checks a ticker symbol: 1 to 32 characters, each an ASCII letter, digit, `.` or `-`
 * (`AAPL`, `BRK.B`, `RDS-A`). Case is kept as given; Python writes the key with the same text.
 *
 * @throws InvalidKeyError naming the symbol and what is wrong with it.
 */
export function validateSymbol(symbol: string): string {
  if (typeof symbol !== 'string') {
    throw new InvalidKeyError(`Invalid symbol ${show(symbol)}: must be a string`, { context: { symbol } });
  }
  if (SYMBOL.test(symbol)) return symbol;
  const why =
    symbol.length === 0
      ? 'must not be empty'
      : symbol.length > 32
        ? `is ${symbol.length} characters long, at most 32 allowed`
        : 'may contain only letters, digits, "." and "-"';
  throw new InvalidKeyError(`Invalid symbol ${show(symbol)}: ${why}`, { context: { symbol } });
}

/**
 * Checks a trading date: `YYYY-MM-DD` (as Python's `date.isoformat()` writes it) naming a real
 * calendar day of years 0001-9999, leap years included (`2024-02-29` is valid, `2025-02-29`
 * is not).
 *
 * @throws InvalidKeyError naming the date and what is wrong with it.
 */
export function validateDate(date: string): string {
  const why = isoDateProblem(date);
  if (why !== undefined) throw new InvalidKeyError(`Invalid date ${show(date)}: ${why}`, { context: { date } });
  return date;
}

/**
 * Checks a key prefix: non-empty, with no whitespace, control characters or glob characters
 * (`* ? [ ] \`), so keys and SCAN patterns built from it mean what they say.
 *
 * @throws ConfigError naming the prefix and what is wrong with it.
 */
export function validatePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new ConfigError(`Invalid key prefix ${show(prefix)}: must be a non-empty string`, { context: { prefix } });
  }
  if (PREFIX_FORBIDDEN.test(prefix)) {
    throw new ConfigError(
      `Invalid key prefix ${show(prefix)}: must not contain whitespace, control or glob characters (* ? [ ] \\)`,
      { context: { prefix } },
    );
  }
  return prefix;
}

/**
 * The Redis key of one feature vector, `{prefix}:{symbol}:{date}`. The symbol and date are
 * validated here; the prefix is expected to have passed `validatePrefix` once, at construction.
 *
 * @example
 * ```ts
 * featureKey('features', 'AAPL', '2025-01-17'); // 'features:AAPL:2025-01-17'
 * ```
 * @throws InvalidKeyError for an invalid symbol or date.
 */
export function featureKey(prefix: string, symbol: string, date: string): string {
  return `${prefix}:${validateSymbol(symbol)}:${validateDate(date)}`;
}

/**
 * Escapes text for a Redis glob pattern (SCAN MATCH, KEYS): `*`, `?`, `[`, `]` and `\` get a
 * backslash, so the text matches only itself.
 *
 * @see https://redis.io/docs/latest/commands/keys/
 */
export function escapeGlob(text: string): string {
  return text.replace(GLOB_CHARS, '\\$&');
}

/**
 * SCAN MATCH pattern for every date of one symbol: `features:AAPL:*`.
 *
 * @throws InvalidKeyError for an invalid symbol.
 */
export function symbolPattern(prefix: string, symbol: string): string {
  return `${escapeGlob(prefix)}:${escapeGlob(validateSymbol(symbol))}:*`;
}

/**
 * SCAN MATCH pattern for every symbol on one date: `features:*:2025-01-17`.
 *
 * @throws InvalidKeyError for an invalid date.
 */
export function datePattern(prefix: string, date: string): string {
  return `${escapeGlob(prefix)}:*:${escapeGlob(validateDate(date))}`;
}

/** How many symbols' keys {@link FeatureKeys} keeps for the date it built last. */
export const KEY_MEMO_SIZE = 10_000;

/**
 * The keys and SCAN patterns of one cache, under its prefix (checked once, with
 * {@link validatePrefix}, before this is built).
 *
 * A service reads the same universe for the same date over and over, so {@link keys} keeps the
 * keys of the date it built last by symbol (up to {@link KEY_MEMO_SIZE}): a known symbol costs
 * one lookup instead of a check and a new string that node-redis would have to flatten again.
 * Only checked symbols are kept.
 */
export class FeatureKeys {
  readonly #prefix: string;
  #memo: { readonly date: string; readonly keys: Map<string, string> } | undefined;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** The key of one vector. @throws InvalidKeyError */
  key(symbol: string, date: string): string {
    return featureKey(this.#prefix, symbol, date);
  }

  /** The keys of many symbols of one date, in order. @throws InvalidKeyError */
  keys(symbols: readonly string[], date: string): string[] {
    let memo = this.#memo;
    if (memo === undefined || memo.date !== date) {
      validateDate(date);
      memo = this.#memo = { date, keys: new Map() };
    }
    const known = memo.keys;
    const prefix = `${this.#prefix}:`;
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

  /** The SCAN pattern of every date of a symbol. @throws InvalidKeyError */
  symbolPattern(symbol: string): string {
    return symbolPattern(this.#prefix, symbol);
  }

  /** The SCAN pattern of every symbol of a date. @throws InvalidKeyError */
  datePattern(date: string): string {
    return datePattern(this.#prefix, date);
  }
}
