/**
 * The fast path of the JSON decoder, for the usual value: a vector with the same names, in the
 * same order, as one decoded before, written the way Python's `json.dumps` writes it (members
 * separated by `, `, `: ` after each key, keys escaped to ASCII).
 *
 * Such a text is a fixed skeleton (`{"KMID": `, `, "KLEN": `, ..., `}`) with one number in each
 * gap. Matching it checks every skeleton character, reads each number with JSON's number grammar
 * (or Python's `NaN`, `Infinity` and `-Infinity`, or a `null` as `NaN`), converts it with
 * `Number` (the same correctly rounded conversion `JSON.parse` uses), and builds the object with
 * the constructor compiled for those names (`f64-factory.ts`). That costs less than `JSON.parse`
 * plus the check that every value is a number, reads Python's non-finite tokens and `null`s
 * without the slow scanner, and gives objects with a fast, shared shape (`JSON.parse` makes a
 * dictionary of an object this large).
 *
 * A text that differs in anything (another name or order, other whitespace, another escape, a
 * value that is not a number, anything after the object) does not match and takes the general
 * path, so this path accepts exactly what the exact scanner accepts from such text and reads
 * the same keys, order and values. (Like `JSON.parse`, every path reads a bare integer `-0` as
 * `-0`, where `json.loads` makes it the integer 0; `json.dumps` never writes one for a float.)
 *
 * Only the template seen last is tried: name lists that alternate value by value, and share a
 * long prefix, pay a failed match before the general path.
 */
import { featureFactory, type FeatureFactory } from './f64-factory.js';
import { pythonStringLiteral } from './python-repr.js';
import type { Features } from './types.js';

/** The skeleton of one name list, and the constructor of its objects. */
export interface JsonTemplate {
  readonly names: readonly string[];
  /** Every separator's characters, one after another: `{"a": `, `, "b": `, ... */
  readonly skeleton: Uint16Array;
  /** `ends[i]`: where separator `i` ends in `skeleton` (the number of name `i` follows it). */
  readonly ends: Int32Array;
  /** Values as little-endian doubles, written here before the object is built. */
  readonly scratch: DataView;
  readonly build: FeatureFactory;
}

/** How many name lists keep their template; the oldest is dropped beyond this. */
export const TEMPLATE_CACHE_SIZE = 64;

/** Keyed by `JSON.stringify(names)`, which no two different lists share. */
const cache = new Map<string, JsonTemplate>();

/** The template that matched or was learned last: the one tried first. */
let last: JsonTemplate | undefined;

function createTemplate(names: readonly string[]): JsonTemplate {
  const separators = names.map((name, i) => `${i === 0 ? '{' : ', '}${pythonStringLiteral(name)}: `);
  const text = separators.join('');
  const skeleton = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) skeleton[i] = text.charCodeAt(i);
  const ends = new Int32Array(names.length);
  let end = 0;
  separators.forEach((s, i) => (ends[i] = end += s.length));
  return { names, skeleton, ends, scratch: new DataView(new ArrayBuffer(names.length * 8)), build: featureFactory(names) };
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/** End of the JSON number starting at `p` (`-? (0 | [1-9]\d*) (\.\d+)? ([eE][+-]?\d+)?`), or -1. */
function numberEnd(text: string, p: number): number {
  let c = text.charCodeAt(p);
  if (c === 0x2d) c = text.charCodeAt(++p);
  if (c === DIGIT_0) c = text.charCodeAt(++p);
  else if (c > DIGIT_0 && c <= DIGIT_9) {
    do c = text.charCodeAt(++p);
    while (isDigit(c));
  } else return -1;
  if (c === 0x2e) {
    c = text.charCodeAt(++p);
    if (!isDigit(c)) return -1;
    do c = text.charCodeAt(++p);
    while (isDigit(c));
  }
  if (c === 0x65 || c === 0x45) {
    c = text.charCodeAt(++p);
    if (c === 0x2b || c === 0x2d) c = text.charCodeAt(++p);
    if (!isDigit(c)) return -1;
    do c = text.charCodeAt(++p);
    while (isDigit(c));
  }
  return p;
}

/**
 * Reads the value at `p`: a JSON number, one of Python's non-finite tokens, or `null` (Python's
 * `None`), read as `NaN`. Stores it in `scratch` at `at` and returns where it ends, or -1 when
 * there is no such value. Numbers are tried first, so the usual value pays nothing for the rest.
 */
function readValue(text: string, p: number, scratch: DataView, at: number): number {
  const end = numberEnd(text, p);
  if (end !== -1) {
    scratch.setFloat64(at, Number(text.slice(p, end)), true);
    return end;
  }
  if (text.startsWith('NaN', p)) {
    scratch.setFloat64(at, NaN, true);
    return p + 3;
  }
  if (text.startsWith('Infinity', p)) {
    scratch.setFloat64(at, Infinity, true);
    return p + 8;
  }
  if (text.startsWith('-Infinity', p)) {
    scratch.setFloat64(at, -Infinity, true);
    return p + 9;
  }
  if (text.startsWith('null', p)) {
    scratch.setFloat64(at, NaN, true);
    return p + 4;
  }
  return -1;
}

/** The vector `text` holds if it is exactly `template`'s skeleton with a number in each gap. */
export function matchTemplate(text: string, template: JsonTemplate): Features | undefined {
  const { skeleton, ends, scratch } = template;
  let p = 0;
  let q = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    while (q < end) {
      if (text.charCodeAt(p) !== skeleton[q]) return undefined;
      p++;
      q++;
    }
    p = readValue(text, p, scratch, i * 8);
    if (p === -1) return undefined;
  }
  if (p !== text.length - 1 || text.charCodeAt(p) !== 0x7d) return undefined;
  return template.build(scratch, 0);
}

/** The vector `text` holds, if it matches the template seen last; `undefined` otherwise. */
export function decodeByTemplate(text: string): Features | undefined {
  return last === undefined ? undefined : matchTemplate(text, last);
}

/** Name lists seen once by {@link learnTemplate} and not compiled yet (bounded, then cleared). */
const seenOnce = new Set<string>();
const SEEN_ONCE_LIMIT = 64;

/**
 * Makes the names of a vector the general path just decoded from `text` the template tried
 * first, so the next value with those names takes the fast path. A list is learned only from
 * text its template could match (written the way `json.dumps` writes it: the text starts with
 * the first key and `": "`), and compiled the second time it is seen, so texts from other
 * writers and one-off name lists cost a cheap check, not a compile.
 */
export function learnTemplate(features: Features, text: string): void {
  const names = Object.keys(features);
  if (names.length === 0 || !text.startsWith(`{${pythonStringLiteral(names[0] as string)}: `)) return;
  const key = JSON.stringify(names);
  let template = cache.get(key);
  if (template === undefined) {
    if (!seenOnce.has(key)) {
      if (seenOnce.size >= SEEN_ONCE_LIMIT) seenOnce.clear();
      seenOnce.add(key);
      return;
    }
    seenOnce.delete(key);
    if (cache.size >= TEMPLATE_CACHE_SIZE) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    template = createTemplate(Object.freeze(names));
    cache.set(key, template);
  }
  last = template;
}

/** Number of cached templates (for tests and diagnostics). */
export function cachedTemplateCount(): number {
  return cache.size;
}
