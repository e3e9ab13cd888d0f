/**
 * Pydantic v2's lax-mode conversions in JSON mode for `int` and `Decimal` fields, as the Python
 * services' models apply them when they read a message (pydantic-core 2.46, confirmed against
 * it). Each reader returns the converted value, or a `LaxProblem` saying why Pydantic refuses
 * the input. Used only on the lenient read path: a message that meets the SDK's own rules never
 * comes here.
 */
import { PYTHON_TOKEN_KEY } from './python-json.js';

/** Why a value is refused, in words for a `ValidationIssue`. */
export class LaxProblem {
  constructor(readonly message: string) {}
}

// Rust's `str::trim` (Unicode White_Space), which pydantic-core applies to integer strings: no
// U+001C-U+001F, no U+FEFF.
const RUST_TRIM = /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
// Python's `str.strip()` (what `Decimal()` strips): Rust's set plus U+001C-U+001F.
// eslint-disable-next-line no-control-regex -- those separators are whitespace to Python
const PYTHON_TRIM = /^[\t-\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

// An integer string as pydantic-core reads it after trimming: ASCII digits, one optional sign,
// single underscores between digits, and an optional fraction made only of zeros ("5.00").
const INT_TEXT = /^[+-]?\d+(?:_\d+)*(?:\.0+)?$/;

// `Decimal()`'s grammar with any Unicode decimal digit: CPython strips the text (`str.strip`),
// then drops every underscore, then reads what is left.
const DECIMAL_TEXT = /^[+-]?(?:\p{Nd}+(?:\.\p{Nd}*)?|\.\p{Nd}+)(?:[eE][+-]?\p{Nd}+)?$/u;
const DECIMAL_SPECIAL = /^[+-]?(?:inf|infinity|s?nan\p{Nd}*)$/iu;
const UNICODE_DIGIT = /\p{Nd}/u;

const I64_LIMIT = 2 ** 63;
const NOT_FINITE = new LaxProblem('must be a finite number (Pydantic refuses NaN and infinities)');

/**
 * The integer a Pydantic `int` field reads from a JSON value: an integral number (`5`, `5.0`,
 * `1e3`; below 2^63 in size), a boolean (`true` is 1), or a string of digits with an optional sign, surrounding
 * whitespace, single underscores between digits and a fraction of zeros (`" 5"`, `"+5"`,
 * `"1_000"`, `"5.00"`). `-0` reads as 0. Beyond ±2^53 JavaScript holds the nearest double: the
 * SDK's own rules then report the field as nonconforming.
 */
export function laxInt(value: unknown): number | LaxProblem {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NOT_FINITE;
    if (!Number.isInteger(value)) return new LaxProblem(`must be an integer; got ${value}, which has a fractional part`);
    // Python takes a float up to 2^63 and an integer literal of any size; JSON.parse keeps no
    // trace of which it was, and a float is what Python writes for a number this large.
    if (Math.abs(value) >= I64_LIMIT) return new LaxProblem(`must be an integer below 2^63 in size; got ${value}`);
    return value + 0;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.replace(RUST_TRIM, '');
    if (!INT_TEXT.test(text)) return new LaxProblem(`must be an integer; ${JSON.stringify(value)} is not one`);
    const point = text.indexOf('.');
    return Number((point === -1 ? text : text.slice(0, point)).replaceAll('_', '')) + 0;
  }
  return new LaxProblem(`must be an integer; got ${describe(value)}`);
}

/** Whether `text` is a decimal `Decimal()` reads as finite, after Pydantic's clean-up. */
function decimalTextProblem(value: string): LaxProblem | undefined {
  const text = value.replace(PYTHON_TRIM, '').replaceAll('_', '');
  if (DECIMAL_TEXT.test(text)) return undefined;
  return DECIMAL_SPECIAL.test(text) ? NOT_FINITE : new LaxProblem(`must be a decimal; ${JSON.stringify(value)} is not one`);
}

/** The value (0-9) of the Unicode decimal digit whose code point is `code`. */
function unicodeDigitValue(code: number): number {
  // Decimal digits come in runs of ten consecutive code points, 0 to 9: count back to the run's
  // first digit. Adjacent runs (mathematical digits) stay aligned on ten.
  let start = code;
  while (UNICODE_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return (code - start) % 10;
}

/** Whether a decimal text `Decimal()` accepts is below zero (`-0` and `-0e5` are not). */
function isNegativeDecimalText(value: string): boolean {
  const text = value.replace(PYTHON_TRIM, '').replaceAll('_', '');
  if (!text.startsWith('-')) return false;
  for (const char of text.slice(1)) {
    if (char === 'e' || char === 'E') break;
    const code = char.codePointAt(0) ?? 0;
    if (code >= 48 && code <= 57) {
      if (code !== 48) return true;
    } else if (char !== '.' && unicodeDigitValue(code) !== 0) return true;
  }
  return false;
}

/** Whether the double `value` (positive) lies exactly halfway between `digits` and `digits + 1` units of 10^exponent. */
function isHalfway(value: number, digits: bigint, exponent: number): boolean {
  if (value === 0) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased !== 0) mantissa |= 1n << 52n;
  const binaryExponent = (biased === 0 ? 1 : biased) - 1075;
  // value = mantissa x 2^binaryExponent; halfway = (2 x digits + 1) x 10^exponent / 2
  let left = 2n * mantissa;
  let right = 2n * digits + 1n;
  if (binaryExponent >= 0) left <<= BigInt(binaryExponent);
  else right <<= BigInt(-binaryExponent);
  if (exponent >= 0) right *= 10n ** BigInt(exponent);
  else left *= 10n ** BigInt(-exponent);
  return left === right;
}

/**
 * The text Pydantic's `model_dump_json` writes for the `Decimal` it makes of a JSON number: the
 * shortest digits that read back as the same double, an integer spelled out in full
 * (`1e21` -> `"1000000000000000000000"`), a fraction as `str(Decimal)` writes it (`2.5e-5` ->
 * `"0.000025"`, `1e-7` -> `"1E-7"`), `-0.0` as `"-0"`.
 */
export function decimalTextOfNumber(value: number): string {
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  let digits = mantissa.replace('.', '');
  // |value| = digits x 10^exponent, digits an integer without trailing zeros
  let exponent = Number(exponentText) - (digits.length - 1);
  const up = (BigInt(digits) + 1n).toString();
  // Of two equally short digit strings exactly as near the double, Pydantic takes the larger
  // (JavaScript, like Python's repr, the even one): 135843487761042.125 is written ...42.13.
  if (isHalfway(Math.abs(value), BigInt(digits), exponent) && Number(`${up}e${exponent}`) === Math.abs(value)) {
    digits = up.replace(/0+$/, '');
    exponent += up.length - digits.length;
  }
  if (exponent >= 0) return `${sign}${digits}${'0'.repeat(exponent)}`;
  const leftDigits = exponent + digits.length;
  if (leftDigits > -6) {
    const text = leftDigits <= 0 ? `0.${'0'.repeat(-leftDigits)}${digits}` : `${digits.slice(0, leftDigits)}.${digits.slice(leftDigits)}`;
    return `${sign}${text}`;
  }
  const adjusted = leftDigits - 1;
  const head = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
  return `${sign}${head}E${adjusted}`;
}

/**
 * The text a Pydantic `Decimal` field keeps for a JSON value: a string `Decimal()` reads as a
 * finite number (Unicode digits, underscores and surrounding whitespace allowed), kept exactly
 * as written; a finite JSON number, as `model_dump_json` would write it
 * ({@link decimalTextOfNumber}). Booleans, `null` and containers are refused; with
 * `nonNegative` (Pydantic `ge=0`) so is anything below zero.
 */
export function laxDecimalText(value: unknown, nonNegative: boolean): string | LaxProblem {
  let text: string;
  if (typeof value === 'string') {
    const problem = decimalTextProblem(value);
    if (problem) return problem;
    text = value;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NOT_FINITE;
    text = decimalTextOfNumber(value);
  } else {
    return new LaxProblem(`must be a decimal (a string or a number); got ${describe(value)}`);
  }
  if (nonNegative && isNegativeDecimalText(text)) return new LaxProblem(`must be greater than or equal to 0; got ${JSON.stringify(text)}`);
  return text;
}

/** `a boolean`, `null`, `an array`, `an object`, `NaN`: what a reader received, for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const token: unknown = Object.hasOwn(value, PYTHON_TOKEN_KEY) ? (value as Record<string, unknown>)[PYTHON_TOKEN_KEY] : undefined;
    return typeof token === 'string' ? token : 'an object';
  }
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}`;
  return `a ${typeof value}`;
}
