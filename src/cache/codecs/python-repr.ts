/**
 * Python's text forms of a float and of a string, as `json.dumps` writes them with its
 * defaults (`ensure_ascii=True`, `allow_nan=True`). Producing the same bytes as Python means a
 * value written by either side is byte-identical, so caches and diffs agree.
 */

/**
 * Python's `repr(float)`, which `json.dumps` uses for floats (`NaN`, `Infinity` and `-Infinity`
 * for the non-finite values).
 *
 * Both Python and JavaScript print the shortest digit string that round-trips; they differ only
 * in layout. Python uses plain decimals when the decimal exponent is in [-4, 16) and always
 * shows a fraction (`1.0`, `-0.0`); otherwise it writes `d[.ddd]e±XX` with at least two exponent
 * digits (`1e-05`, `1e+16`, `5e-324`).
 *
 * @example
 * ```ts
 * pythonFloatRepr(1);      // '1.0'
 * pythonFloatRepr(1e-5);   // '1e-05'
 * pythonFloatRepr(1e16);   // '1e+16'
 * pythonFloatRepr(-0);     // '-0.0'
 * ```
 */
export function pythonFloatRepr(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = x < 0 ? -x : x;
  // JavaScript prints plain decimals for [1e-6, 1e21), a superset of Python's [1e-4, 1e16).
  if (abs >= 1e-4 && abs < 1e16) {
    const text = String(x);
    return Number.isInteger(x) ? `${text}.0` : text;
  }
  // toExponential() without an argument gives the shortest round-trip digits: "1.5e-7".
  const exp = x.toExponential();
  const e = exp.indexOf('e');
  const sign = exp.charAt(e + 1);
  const digits = exp.slice(e + 2);
  return `${exp.slice(0, e)}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

/** Characters Python's `ensure_ascii` output keeps as they are: printable ASCII except `"` and `\`. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/**
 * A JSON string literal exactly as Python's `json.dumps` writes it with `ensure_ascii=True`:
 * printable ASCII kept, `"` `\` and `\b\f\n\r\t` as short escapes, everything else as `\uXXXX`
 * with lowercase hex. Characters outside the BMP come out as a surrogate pair, which is what
 * JavaScript strings already hold, so escaping each UTF-16 unit matches Python (lone surrogates
 * included).
 */
export function pythonStringLiteral(text: string): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit <= 0x7e && unit !== 0x22 && unit !== 0x5c) {
      out += text.charAt(i);
    } else {
      out += SHORT_ESCAPES[unit] ?? `\\u${unit.toString(16).padStart(4, '0')}`;
    }
  }
  return `${out}"`;
}
