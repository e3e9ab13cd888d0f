/** Decimal prices as text, the way Python's `Decimal` reads them and Pydantic writes them (`str(Decimal)`); never through a float. */

/** What Python's `Decimal(text)` makes of a finite value: its sign and whether it is zero. */
export interface DecimalReading {
  readonly negative: boolean;
  readonly zero: boolean;
}

// After `strip()` and dropping every `_`, as CPython's Decimal constructor does.
const LENIENT = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE][+-]?\d+)?$/;
const NON_ZERO_DIGIT = /[1-9]/;

/**
 * Reads `value` as Python's `Decimal(str(value))` does in upstream `parse_redis_price_json`: a
 * string (surrounding whitespace and any `_` ignored: `" 1_000.5 "` is 1000.5) or a JSON number.
 * Returns `undefined` for anything Python rejects (`InvalidOperation`: letters, `"."`, booleans,
 * lists, `null`) and for NaN and the infinities, which no price check accepts. ASCII digits only:
 * the other Unicode decimal digits Python also reads are not recognised.
 */
export function readDecimal(value: unknown): DecimalReading | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return { negative: value < 0 || Object.is(value, -0), zero: value === 0 };
  }
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (text.includes('_')) text = text.replaceAll('_', '');
  const match = LENIENT.exec(text);
  if (match === null) return undefined;
  const digits = `${match[2] ?? ''}${match[3] ?? ''}${match[4] ?? ''}`;
  return { negative: match[1] === '-', zero: !NON_ZERO_DIGIT.test(digits) };
}

// What `set` accepts: an unsigned decimal, optionally with an exponent; no whitespace, no `_`.
const STRICT = /^\+?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d{1,9}))?$/;

/**
 * The text Pydantic writes for `Decimal(text)` in `model_dump_json()`, which is `str(Decimal)`:
 * leading zeros dropped, trailing zeros kept (`"0150.250"` -> `"150.250"`), scientific notation
 * when the exponent is positive or the value is smaller than 1e-6 (`"1e2"` -> `"1E+2"`,
 * `"0.0000001"` -> `"1E-7"`). `undefined` when `text` is not an unsigned decimal (digits, one
 * optional `.`, an optional exponent of at most 9 digits; no sign but `+`, no whitespace).
 */
export function canonicalDecimal(text: string): string | undefined {
  const match = STRICT.exec(text);
  if (match === null) return undefined;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? match[3] ?? '';
  let exponent = Number(match[4] ?? '0') - fraction.length;
  let coefficient = `${whole}${fraction}`.replace(/^0+/, '');
  if (coefficient === '') coefficient = '0';
  const adjusted = exponent + coefficient.length - 1;
  if (exponent <= 0 && adjusted >= -6) {
    if (exponent === 0) return coefficient;
    const point = coefficient.length + exponent;
    return point > 0 ? `${coefficient.slice(0, point)}.${coefficient.slice(point)}` : `0.${'0'.repeat(-point)}${coefficient}`;
  }
  exponent = adjusted;
  const mantissa = coefficient.length > 1 ? `${coefficient[0] ?? ''}.${coefficient.slice(1)}` : coefficient;
  return `${mantissa}E${exponent >= 0 ? '+' : '-'}${Math.abs(exponent)}`;
}
