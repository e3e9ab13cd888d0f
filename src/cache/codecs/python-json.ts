/**
 * The `json` codec: feature vectors as Python's `json.dumps(dict)` writes them and
 * `json.loads` reads them, byte for byte.
 *
 * Decoding takes one of three paths: the template path (`python-json-template.ts`) for a value
 * with the names of one decoded before, as `json.dumps` writes it; otherwise one colon scan and
 * one `JSON.parse` when every value is a finite number; otherwise (Python's `NaN`/`Infinity`
 * tokens, which `JSON.parse` rejects, `null`s, colons in keys, foreign or corrupt text) the
 * exact scanner of `python-json-scanner.ts`. A text that is not a vector is then judged by
 * Python's grammar (`python-json-grammar.ts`): valid JSON is `foreign`, anything else `corrupt`.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { pythonFloatRepr, pythonStringLiteral } from './python-repr.js';
import { scanPythonJsonObject } from './python-json-scanner.js';
import { decodeByTemplate, learnTemplate } from './python-json-template.js';
import { pythonJsonError } from './python-json-grammar.js';
import { corrupt, foreign } from './types.js';
import type { DecodeResult, Features } from './types.js';
import { isPlainObject, validateFeatures } from './validate.js';

/**
 * Encodes a vector exactly as Python's `json.dumps(features)` does with default arguments:
 * `{"KMID": 1.0342340057801, "KLOW2": -0.0, "CORR60": NaN}` — separators `", "` and `": "`,
 * floats in Python's `repr` form, keys escaped to ASCII (`ensure_ascii=True`). The output is
 * pure ASCII, so its length in characters is its length in bytes.
 *
 * Keys come out in `Object.keys` order, which is insertion order except that integer-like keys
 * (`"7"`) come first; an integral value is written as a float (`1.0`), as Python writes floats.
 *
 * @throws ValidationError naming every feature whose value is not a number.
 */
export function encodePythonJson(features: Features): string {
  const names = isPlainObject(features) ? Object.keys(features) : validateFeatures(features, 'json');
  const values = new Array<number>(names.length);
  for (let i = 0; i < names.length; i++) {
    const value = features[names[i] as string];
    // Anything but numbers goes to the full check, which throws naming every bad feature.
    if (typeof value !== 'number') return validateFeatures(features, 'json') as never;
    values[i] = value;
  }
  // One JSON.stringify prints every digit string in one native call; inside Python's
  // plain-decimal range they are Python's digits too (measured: the encoder was the largest cost
  // of a cache miss in the signal-service profile; this is 1.6x faster than a call per float).
  // Other values (non-finite, zero, exponent forms) come from pythonFloatRepr.
  const digits = JSON.stringify(values).slice(1, -1).split(',');
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const value = values[i] as number;
    const abs = value < 0 ? -value : value;
    out += i === 0 ? keyLiteral(names[i] as string) : `, ${keyLiteral(names[i] as string)}`;
    out += abs >= 1e-4 && abs < 1e16 ? (Number.isInteger(value) ? `${digits[i] as string}.0` : (digits[i] as string)) : pythonFloatRepr(value);
  }
  return `${out}}`;
}

/** Encoded `"name": ` prefixes: vectors repeat the same ~158 names, so each is escaped once. */
const keyLiterals = new Map<string, string>();
/** Bound of {@link keyLiterals}: past it the memo starts over, so odd names cannot grow it. */
const MAX_KEY_LITERALS = 4096;

function keyLiteral(name: string): string {
  let literal = keyLiterals.get(name);
  if (literal === undefined) {
    if (keyLiterals.size >= MAX_KEY_LITERALS) keyLiterals.clear();
    literal = `${pythonStringLiteral(name)}: `;
    keyLiterals.set(name, literal);
  }
  return literal;
}

/**
 * Checks a `JSON.parse` result of a text without `null`: a non-array object whose own values are
 * all numbers, or why it is not one (the text being valid JSON, that makes it foreign).
 */
function checkParsed(parsed: unknown): Features | string {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return parsed === null ? 'null, not a JSON object' : Array.isArray(parsed) ? 'a JSON array, not an object' : `a JSON ${typeof parsed}, not an object`;
  }
  const record = parsed as Record<string, unknown>;
  const names = Object.keys(record);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = record[name];
    if (typeof value !== 'number') {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return `feature ${JSON.stringify(name)} is ${kind}, not a number`;
    }
  }
  return record as Features;
}

/**
 * Whether every `:` in `text` is followed, after JSON whitespace, by a digit or by `-` and a
 * digit: the start of a JSON number. One `indexOf` pass, much cheaper than visiting the values of
 * the parsed object (more than 127 properties make it a dictionary).
 *
 * If `JSON.parse(text)` gives an object, every one of its members is written as `key: value`
 * with a real colon, so `true` here means every value is a JSON number. A colon inside a key can
 * only make this say `false`, which just sends the text down the exact path. `NaN`, `Infinity`
 * and `-Infinity` values make it say `false` too.
 */
function valuesLookNumeric(text: string): boolean {
  for (let colon = text.indexOf(':'); colon !== -1; colon = text.indexOf(':', colon + 1)) {
    let at = colon + 1;
    let c = text.charCodeAt(at);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++at);
    if (c === 0x2d) c = text.charCodeAt(at + 1);
    if (!(c >= 0x30 && c <= 0x39)) return false;
  }
  return true;
}

/**
 * The exact path. A text holding one of the words `JSON.parse` does not read as a number
 * (`NaN`, `Infinity`, `null`) goes to the scanner, and when that finds no vector, to Python's
 * grammar to tell foreign from corrupt. Any other text goes to `JSON.parse`, whose verdict is
 * Python's for such a text (the two grammars differ only in those words), and a check of every
 * value.
 */
function decodeExactly(text: string): DecodeResult {
  if (text.includes('NaN') || text.includes('Infinity') || text.includes('null')) {
    const scanned = scanPythonJsonObject(text);
    if (typeof scanned !== 'string') return { ok: true, format: 'json', features: scanned };
    const invalid = pythonJsonError(text);
    return invalid === undefined ? foreign(scanned) : corrupt('json', `not valid JSON: ${invalid}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return corrupt('json', `not valid JSON: ${(error as Error).message}`);
  }
  const checked = checkParsed(parsed);
  return typeof checked === 'string' ? foreign(checked) : { ok: true, format: 'json', features: checked };
}

/**
 * The general path: one colon scan and one `JSON.parse` for finite numbers, the exact path for
 * anything else.
 */
function decodeGeneral(text: string): DecodeResult {
  if (valuesLookNumeric(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { ok: true, format: 'json', features: parsed as Features };
    }
  }
  return decodeExactly(text);
}

/**
 * Decodes JSON text the way Python's `json.loads` would, and accepts it only if it is one flat
 * object of numbers and `null`s. `NaN`, `Infinity` and `-Infinity` decode to the matching
 * doubles, `null` to `NaN`, `-0.0` to `-0`, `5e-324` to the smallest subnormal, an out-of-range
 * number such as `1e400` to `Infinity` (as `float` does). The result is a plain object whose keys
 * are own data properties (a `"__proto__"` key never touches any prototype).
 *
 * Any other text `json.loads` reads (strings, booleans, nesting, a list, a bare value) is
 * rejected as `foreign`; text it cannot read is rejected as `corrupt`.
 *
 * The usual value (the same names as the value decoded before, as Python writes them) takes the
 * template path of `python-json-template.ts`; any other text costs one colon scan and one
 * `JSON.parse`, or takes the exact path (non-finite tokens, colons in keys, corrupt text), which
 * gives the same features for every valid value and says why an invalid one is rejected.
 */
export function decodePythonJsonText(text: string): DecodeResult {
  const known = decodeByTemplate(text);
  if (known !== undefined) return { ok: true, format: 'json', features: known };
  const result = decodeGeneral(text);
  if (result.ok) learnTemplate(result.features, text);
  return result;
}

/**
 * Decodes a JSON value held in bytes. Bytes that are not UTF-8 are rejected as `foreign`: they
 * are no JSON text, but some other writer's format (Python's `FeatureCache.get` fails on them
 * while decoding the reply, and leaves them in Redis).
 *
 * Python writes pure ASCII (`ensure_ascii=True`), and for ASCII bytes Latin-1 decoding gives the
 * same text as UTF-8 decoding at about half the cost, so that case skips the UTF-8 decoder.
 */
export function decodePythonJsonBytes(bytes: Buffer): DecodeResult {
  if (isAscii(bytes)) return decodePythonJsonText(bytes.toString('latin1'));
  if (!isUtf8(bytes)) return foreign('not valid UTF-8');
  return decodePythonJsonText(bytes.toString('utf8'));
}
