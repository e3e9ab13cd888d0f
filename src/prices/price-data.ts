/** `PriceData` JSON under `price:{symbol}`: read as leniently as upstream `parse_redis_price_json`, written exactly as Pydantic's `model_dump_json()`. */
import { validateSymbol } from '../cache/keys.js';
import { ValidationError } from '../internal/errors.js';
import type { ValidationIssue } from '../internal/errors.js';
import { replacePythonTokens } from '../internal/python-tokens.js';
import { timestampProblem } from '../events/formats.js';
import { canonicalDecimal, readDecimal } from './decimal.js';
import { parsePythonIsoDatetime } from './iso-datetime.js';

/**
 * Upstream `PriceData` (`libs/data/market_data/types.py`) as JSON: Decimals as strings, in this
 * key order, no spaces: `{"symbol":"AAPL","bid":"150.24","ask":"150.26","mid":"150.25",
 * "bid_size":300,"ask_size":200,"timestamp":"2025-01-17T14:30:15.123456+00:00","exchange":"V"}`.
 */
export interface PriceDataWire {
  symbol: string;
  bid: string;
  ask: string;
  mid: string;
  bid_size: number;
  ask_size: number;
  timestamp: string;
  exchange: string | null;
}

/** A quote to store with `PriceCache.set` (camelCase; prices as decimal strings, never floats). */
export interface PriceInit {
  /** Ticker symbol: 1-32 ASCII letters, digits, `.`, `-` (the key is `price:{symbol}`). */
  symbol: string;
  /** Best bid, a decimal string >= 0 (`"150.24"`, `"1E+2"`); written as `str(Decimal(bid))`. */
  bid: string;
  /** Best ask, a decimal string >= 0. */
  ask: string;
  /** Mid price, a decimal string > 0 (readers refuse a zero mid). */
  mid: string;
  /** Shares at the bid, an integer >= 0. @default 0 */
  bidSize?: number;
  /** Shares at the ask, an integer >= 0. @default 0 */
  askSize?: number;
  /**
   * When the quote was made: a timezone-aware RFC 3339 string, stored as given, or a `Date`,
   * stored as Python's `datetime.isoformat()` writes UTC (`2025-01-17T14:30:15.123000+00:00`).
   */
  timestamp: string | Date;
  /** Exchange code (`"V"`, `"NASDAQ"`). @default null */
  exchange?: string | null;
}

/**
 * A price read from `price:{symbol}`. Only the checks of upstream `parse_redis_price_json` decide
 * whether it is returned (symbol equal to the key's, a timestamp, a finite `mid` > 0, not stale,
 * not more than 5 s in the future); every other field is reported as found, and
 * {@link nonconforming} lists the fields that `PriceCache.set` would not have written so.
 * Decimal fields are the stored text (a JSON number as JavaScript prints it); no float is made.
 */
export interface CachedPrice {
  readonly symbol: string;
  /** The mid price as stored (a JSON number as its shortest text). */
  readonly mid: string;
  /** Best bid as stored, or `null` when absent or not a decimal >= 0. */
  readonly bid: string | null;
  /** Best ask as stored, or `null` when absent or not a decimal >= 0. */
  readonly ask: string | null;
  /** Bid size; `0` when absent (the model's default), `null` when not an integer >= 0. */
  readonly bidSize: number | null;
  /** Ask size; `0` when absent, `null` when not an integer >= 0. */
  readonly askSize: number | null;
  /** The timestamp text as stored. */
  readonly timestamp: string;
  /** The timestamp in epoch milliseconds (a naive one read as UTC, as upstream does). */
  readonly timestampMs: number;
  /** Exchange code, or `null` when absent or not a string. */
  readonly exchange: string | null;
  /** Wire names of the fields `set` would have written otherwise; empty for a conforming value. */
  readonly nonconforming: readonly string[];
}

/** How far in the future a timestamp may be (clock skew between hosts), as upstream allows. */
export const FUTURE_TOLERANCE_MS = 5000;

/** Why a stored value was not returned: `stale` (older than the allowed age) or `invalid`. */
export type PriceRejection = { readonly kind: 'stale' | 'invalid'; readonly reason: string };

const CONFORMING: readonly string[] = Object.freeze([]);

function decimalText(value: unknown): string {
  return typeof value === 'number' ? String(value) : (value as string);
}

/** What a stored decimal is, as flags: readable, >= 0, > 0, and canonical (what `set` writes). */
const VALID = 1;
const NON_NEGATIVE = 2;
const POSITIVE = 4;
const CANONICAL = 8;
/** Most stored prices: canonical and > 0 at sight (`150.25`), so one test answers every flag. */
const PLAIN_POSITIVE = /^[1-9]\d*(?:\.\d+)?$/;

function decimalFlags(value: unknown): number {
  if (typeof value === 'string' && PLAIN_POSITIVE.test(value)) return VALID | NON_NEGATIVE | POSITIVE | CANONICAL;
  const reading = readDecimal(value);
  if (reading === undefined) return 0;
  let flags = VALID;
  if (reading.zero || !reading.negative) flags |= NON_NEGATIVE;
  if (!reading.zero && !reading.negative) flags |= POSITIVE;
  if (typeof value === 'string' && canonicalDecimal(value) === value) flags |= CANONICAL;
  return flags;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Reads one stored value as upstream `parse_redis_price_json(raw, expected_symbol,
 * max_price_age_seconds)` does, in its order: JSON object, symbol equal to `symbol`, timestamp
 * present and readable by `datetime.fromisoformat` (naive means UTC), not more than
 * {@link FUTURE_TOLERANCE_MS} ahead of `nowMs`, not older than `maxAgeMs` (when given), `mid`
 * present, a finite decimal > 0. Returns the price, or why it was refused.
 */
export function readPriceData(raw: string, symbol: string, nowMs: number, maxAgeMs: number | undefined): CachedPrice | PriceRejection {
  const data = parsePythonJson(raw);
  if (data === NOT_JSON) return { kind: 'invalid', reason: 'not JSON' };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { kind: 'invalid', reason: 'not a JSON object' };
  const d = data as Record<string, unknown>;
  if (d.symbol === undefined || d.symbol === null) return { kind: 'invalid', reason: 'symbol missing' };
  if (d.symbol !== symbol) return { kind: 'invalid', reason: `symbol ${JSON.stringify(d.symbol)} does not match the key` };
  const ts = d.timestamp;
  if (ts === undefined || ts === null) return { kind: 'invalid', reason: 'timestamp missing' };
  // Python reads str(timestamp): an integer such as 20250117 is a basic-format date to it.
  const tsText = typeof ts === 'string' ? ts : typeof ts === 'number' && Number.isSafeInteger(ts) ? String(ts) : undefined;
  const timestampMs = tsText === undefined ? undefined : parsePythonIsoDatetime(tsText);
  if (tsText === undefined || timestampMs === undefined) return { kind: 'invalid', reason: 'timestamp is not an ISO 8601 date-time' };
  const ageMs = nowMs - timestampMs;
  if (ageMs < -FUTURE_TOLERANCE_MS) return { kind: 'invalid', reason: `timestamp ${-ageMs} ms in the future` };
  if (maxAgeMs !== undefined && ageMs > maxAgeMs) return { kind: 'stale', reason: `${ageMs} ms old, at most ${maxAgeMs} allowed` };
  if (d.mid === undefined || d.mid === null) return { kind: 'invalid', reason: 'mid missing' };
  const mid = decimalFlags(d.mid);
  if ((mid & POSITIVE) === 0) return { kind: 'invalid', reason: 'mid is not a finite decimal > 0' };
  return build(d, symbol, mid, tsText, timestampMs);
}

const NOT_JSON = Symbol('not JSON');

/**
 * `json.loads`: JSON, plus the `NaN`, `Infinity` and `-Infinity` tokens Python's `json.dumps`
 * writes for non-finite floats, read here as `null` (no check accepts a non-finite price, and
 * every other field reads `null` as absent). Tried only when `JSON.parse` fails.
 */
function parsePythonJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    const replaced = replacePythonTokens(raw, () => 'null');
    if (replaced === undefined) return NOT_JSON;
    try {
      return JSON.parse(replaced) as unknown;
    } catch {
      return NOT_JSON;
    }
  }
}

function build(d: Record<string, unknown>, symbol: string, midFlags: number, timestamp: string, timestampMs: number): CachedPrice {
  let nonconforming: string[] | undefined;
  const note = (field: string): void => void (nonconforming ??= []).push(field);
  if ((midFlags & CANONICAL) === 0) note('mid');
  const bidFlags = decimalFlags(d.bid);
  const bid = bidFlags & NON_NEGATIVE ? decimalText(d.bid) : null;
  if ((bidFlags & CANONICAL) === 0) note('bid');
  const askFlags = decimalFlags(d.ask);
  const ask = askFlags & NON_NEGATIVE ? decimalText(d.ask) : null;
  if ((askFlags & CANONICAL) === 0) note('ask');
  const bidSize = d.bid_size === undefined ? 0 : isCount(d.bid_size) ? d.bid_size : null;
  if (bidSize === null) note('bid_size');
  const askSize = d.ask_size === undefined ? 0 : isCount(d.ask_size) ? d.ask_size : null;
  if (askSize === null) note('ask_size');
  if (timestampProblem(timestamp) !== undefined) note('timestamp');
  const exchange = typeof d.exchange === 'string' ? d.exchange : null;
  if (d.exchange !== undefined && d.exchange !== null && exchange === null) note('exchange');
  return {
    symbol,
    mid: decimalText(d.mid),
    bid,
    ask,
    bidSize,
    askSize,
    timestamp,
    timestampMs,
    exchange,
    nonconforming: nonconforming === undefined ? CONFORMING : Object.freeze(nonconforming),
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `datetime.isoformat()` of an aware UTC datetime: microseconds only when not zero. */
function pythonUtcIsoformat(date: Date): string | undefined {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return undefined;
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  const text = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ within years 0000-9999
  const millis = date.getUTCMilliseconds();
  return `${text.slice(0, 19)}${millis === 0 ? '' : `.${String(millis).padStart(3, '0')}000`}+00:00`;
}

/**
 * Validates a quote and encodes it exactly as upstream `PriceData(...).model_dump_json()` would:
 * compact JSON in the model's field order, Decimals as `str(Decimal)`, sizes as integers,
 * `exchange` as a string or `null`.
 *
 * @throws InvalidKeyError for an invalid symbol.
 * @throws ValidationError naming every invalid field by its wire name.
 */
export function encodePriceData(price: PriceInit): string {
  const symbol = validateSymbol(price.symbol);
  const issues: ValidationIssue[] = [];
  const decimal = (field: 'bid' | 'ask' | 'mid'): string => {
    const value: unknown = price[field];
    const text = typeof value === 'string' ? canonicalDecimal(value) : undefined;
    if (text === undefined) {
      issues.push({ path: field, message: `must be a decimal string >= 0 such as "150.25", got ${describe(value)}` });
      return '';
    }
    if (field === 'mid' && !/[1-9]/.test(text.split('E')[0] ?? '')) issues.push({ path: field, message: 'must be > 0: readers refuse a zero mid' });
    return text;
  };
  const count = (field: 'bid_size' | 'ask_size', value: unknown): number => {
    if (value === undefined) return 0;
    if (isCount(value)) return value;
    issues.push({ path: field, message: `must be an integer >= 0, got ${describe(value)}` });
    return 0;
  };
  const bid = decimal('bid');
  const ask = decimal('ask');
  const mid = decimal('mid');
  const bidSize = count('bid_size', price.bidSize);
  const askSize = count('ask_size', price.askSize);
  let timestamp: string | undefined;
  if (price.timestamp instanceof Date) {
    timestamp = pythonUtcIsoformat(price.timestamp);
    if (timestamp === undefined) issues.push({ path: 'timestamp', message: 'must be a valid Date within years 1-9999' });
  } else if (typeof price.timestamp === 'string') {
    const why = timestampProblem(price.timestamp);
    if (why === undefined) timestamp = price.timestamp;
    else issues.push({ path: 'timestamp', message: `${JSON.stringify(price.timestamp)} ${why}` });
  } else issues.push({ path: 'timestamp', message: `must be an RFC 3339 string or a Date, got ${describe(price.timestamp)}` });
  const exchange = price.exchange ?? null;
  if (exchange !== null && (typeof exchange !== 'string' || LONE_SURROGATE.test(exchange))) {
    issues.push({ path: 'exchange', message: 'must be a string of well-formed Unicode, or null' });
  }
  if (issues.length > 0) throw new ValidationError('PriceData', issues);
  const wire: PriceDataWire = { symbol, bid, ask, mid, bid_size: bidSize, ask_size: askSize, timestamp: timestamp as string, exchange };
  return JSON.stringify(wire);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (typeof value === 'number') return `the number ${String(value)}`;
  return value === null ? 'null' : typeof value;
}
