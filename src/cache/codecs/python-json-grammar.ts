/** Whether a text is JSON as Python's `json.loads` reads it (its `NaN`/`Infinity` tokens included): tells a foreign value, left in Redis, from a corrupt one, deleted. */

/** Python's JSON number grammar, which is also JSON's (ASCII digits only, as in CPython's scanner). */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

/** The characters JSON allows after a backslash, besides `u`. */
const SHORT_ESCAPES = '"\\/bfnrt';

/** Four hex digits, as a `\u` escape needs. */
const HEX4 = /[0-9a-fA-F]{4}/y;

/** The bare words `json.loads` reads as values. */
const WORDS = ['null', 'true', 'false', 'NaN', 'Infinity', '-Infinity'] as const;

const OBJECT = 0x7b;
const ARRAY = 0x5b;

/** End of the JSON whitespace (space, tab, newline, carriage return) at `p`. */
function skipWhitespace(text: string, p: number): number {
  let c = text.charCodeAt(p);
  while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++p);
  return p;
}

/** End of the string literal at `p` (which holds `"`), or -1: no raw control character, only JSON's escapes. */
function stringEnd(text: string, p: number): number {
  for (let i = p + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const escape = text.charAt(++i);
      if (escape === 'u') {
        HEX4.lastIndex = i + 1;
        if (!HEX4.test(text)) return -1;
        i += 4;
      } else if (escape === '' || !SHORT_ESCAPES.includes(escape)) return -1;
    }
  }
  return -1;
}

/** End of the scalar value at `p` (a string, a number or a bare word), or -1. */
function scalarEnd(text: string, p: number): number {
  if (text.charCodeAt(p) === 0x22) return stringEnd(text, p);
  for (const word of WORDS) if (text.startsWith(word, p)) return p + word.length;
  NUMBER.lastIndex = p;
  return NUMBER.test(text) ? NUMBER.lastIndex : -1;
}

/**
 * Why Python's `json.loads(text)` would raise `JSONDecodeError`, or `undefined` when it reads
 * `text`: any JSON value (not only an object), with `NaN`, `Infinity` and `-Infinity` allowed
 * wherever a value is, duplicate keys, escaped lone surrogates and JSON whitespace around
 * tokens. A byte order mark, a trailing comma, single quotes, `nan`, `+1`, `01`, `1.` and raw
 * control characters in strings are rejected, as Python rejects them.
 *
 * Iterative, so any depth of nesting is checked without recursion. (CPython gives up on very
 * deep nesting with a `RecursionError`, not a `JSONDecodeError`, and its `FeatureCache` keeps
 * such a value; it is accepted here so the cache keeps it too.)
 */
export function pythonJsonError(text: string): string | undefined {
  const end = valueEnd(text, skipWhitespace(text, 0));
  if (typeof end === 'string') return end;
  const p = skipWhitespace(text, end);
  return p === text.length ? undefined : `extra data at offset ${p}`;
}

/**
 * Where the one JSON value (as `json.loads` reads values) starting at `p` ends, or why there is
 * none there. Containers are followed with a stack, not recursion.
 */
export function valueEnd(text: string, p: number): number | string {
  const open: number[] = [];
  value: for (;;) {
    const c = text.charCodeAt(p);
    if (c === OBJECT || c === ARRAY) {
      p = skipWhitespace(text, p + 1);
      if (text.charCodeAt(p) === (c === OBJECT ? 0x7d : 0x5d)) p++;
      else {
        open.push(c);
        if (c === OBJECT) {
          const key = memberStart(text, p);
          if (typeof key === 'string') return key;
          p = key;
        }
        continue value;
      }
    } else {
      const end = scalarEnd(text, p);
      if (end === -1) return `expecting a value at offset ${p}`;
      p = end;
    }
    // After a value: the end of the outermost one, or a comma and the next, or a container's end.
    for (;;) {
      const inside = open[open.length - 1];
      if (inside === undefined) return p;
      p = skipWhitespace(text, p);
      const next = text.charCodeAt(p);
      if (next === 0x2c) {
        p = skipWhitespace(text, p + 1);
        if (inside === OBJECT) {
          const key = memberStart(text, p);
          if (typeof key === 'string') return key;
          p = key;
        }
        continue value;
      }
      if (next !== (inside === OBJECT ? 0x7d : 0x5d)) return `expecting ',' or the end of ${inside === OBJECT ? 'an object' : 'an array'} at offset ${p}`;
      open.pop();
      p++;
    }
  }
}

/** Reads `"key" :` at `p` and returns where the member's value starts, or why it cannot. */
function memberStart(text: string, p: number): number | string {
  if (text.charCodeAt(p) !== 0x22) return `expecting a property name in double quotes at offset ${p}`;
  const end = stringEnd(text, p);
  if (end === -1) return `invalid property name at offset ${p}`;
  const colon = skipWhitespace(text, end);
  if (text.charCodeAt(colon) !== 0x3a) return `expecting ':' at offset ${colon}`;
  return skipWhitespace(text, colon + 1);
}
