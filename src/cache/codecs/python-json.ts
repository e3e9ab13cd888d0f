/**
 * The `json` codec: feature vectors as Python's `json.dumps(dict)` writes them and
 * `json.loads` reads them, byte for byte.
 *
 * Decoding is one `JSON.parse` in the common case. Only text that contains `NaN` or `Infinity`
 * (which Python writes for non-finite floats and `JSON.parse` rejects) goes through the exact
 * scanner of `python-json-scanner.ts`.
 */
import { isUtf8 } from 'node:buffer';
import { pythonFloatRepr, pythonStringLiteral } from './python-repr.js';
import { scanPythonJsonObject } from './python-json-scanner.js';
import { corrupt } from './types.js';
import type { DecodeResult, Features } from './types.js';
import { validateFeatures } from './validate.js';

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
  const names = validateFeatures(features, 'json');
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (i > 0) out += ', ';
    out += `${pythonStringLiteral(name)}: ${pythonFloatRepr(features[name] as number)}`;
  }
  return `${out}}`;
}

/** Checks a `JSON.parse` result: a non-array object whose own values are all numbers. */
function checkParsed(parsed: unknown): Features | string {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'not a JSON object';
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
 * Decodes JSON text the way Python's `json.loads` would, and accepts it only if it is one flat
 * object of numbers. `NaN`, `Infinity` and `-Infinity` decode to the matching doubles, `-0.0`
 * to `-0`, `5e-324` to the smallest subnormal. The result is a plain object whose keys are own
 * data properties (a `"__proto__"` key never touches any prototype).
 */
export function decodePythonJsonText(text: string): DecodeResult {
  let result: Features | string;
  if (text.includes('NaN') || text.includes('Infinity')) {
    result = scanPythonJsonObject(text);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return corrupt('json', `not valid JSON: ${(error as Error).message}`);
    }
    result = checkParsed(parsed);
  }
  return typeof result === 'string' ? corrupt('json', result) : { ok: true, format: 'json', features: result };
}

/**
 * Decodes a JSON value held in bytes. The bytes must be valid UTF-8 (Python's `json.loads`
 * rejects anything else too); invalid sequences are reported instead of being replaced.
 */
export function decodePythonJsonBytes(bytes: Buffer): DecodeResult {
  if (!isUtf8(bytes)) return corrupt('json', 'not valid UTF-8');
  return decodePythonJsonText(bytes.toString('utf8'));
}
