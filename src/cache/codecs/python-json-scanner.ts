/**
 * The slow, exact path of the JSON decoder: a scanner for one flat JSON object of numbers that
 * also accepts Python's `NaN`, `Infinity` and `-Infinity` tokens in value position, exactly as
 * `json.loads` does, and `null` (Python's `None`), which it reads as `NaN`. Used only when the
 * text contains those words; string literals are scanned as strings, so a key such as `"NaN"`
 * or `": null"` is never touched.
 */
import { valueEnd } from './python-json-grammar.js';
import type { Features } from './types.js';

/** Thrown inside the scanner on the first syntax problem; caught by `scanPythonJsonObject`. */
class ScanFailure extends Error {}

/** Python's JSON number grammar, which is also JSON's. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

const NON_NUMBER_VALUES: Readonly<Record<string, string>> = {
  '"': 'a string',
  '{': 'a nested object',
  '[': 'an array',
  t: 'a boolean',
  f: 'a boolean',
};

class Scanner {
  pos = 0;

  constructor(private readonly text: string) {}

  fail(message: string): never {
    throw new ScanFailure(`${message} at offset ${this.pos}`);
  }

  /** Skips JSON whitespace: space, tab, newline, carriage return (Python accepts the same). */
  skipWhitespace(): void {
    const { text } = this;
    let c = text.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++this.pos);
  }

  expect(char: string, what: string): void {
    this.skipWhitespace();
    if (this.text.charAt(this.pos) !== char) this.fail(`expected ${what}`);
    this.pos++;
  }

  /** Reads a string literal; decodes escapes with JSON.parse, which follows the same rules. */
  key(): string {
    const { text } = this;
    const start = this.pos;
    let escaped = false;
    for (let i = start + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        if (!escaped) return text.slice(start + 1, i);
        try {
          return JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return this.fail('invalid escape in a key');
        }
      }
      if (c === 0x5c) {
        escaped = true;
        i++;
      } else if (c < 0x20) {
        this.pos = i;
        this.fail('control character in a key');
      }
    }
    this.pos = text.length;
    return this.fail('unterminated key');
  }

  /**
   * The value at the cursor: a number (`null` as `NaN`), or `undefined` for any other JSON value,
   * which is skipped (a later duplicate key may still replace it, as in `json.loads`).
   */
  value(): number | undefined {
    this.skipWhitespace();
    const { text, pos } = this;
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match !== null) {
      this.pos = pos + match[0].length;
      return Number(match[0]);
    }
    if (text.startsWith('NaN', pos)) {
      this.pos = pos + 3;
      return NaN;
    }
    if (text.startsWith('Infinity', pos)) {
      this.pos = pos + 8;
      return Infinity;
    }
    if (text.startsWith('-Infinity', pos)) {
      this.pos = pos + 9;
      return -Infinity;
    }
    if (text.startsWith('null', pos)) {
      this.pos = pos + 4;
      return NaN;
    }
    const end = valueEnd(text, pos);
    if (typeof end === 'string') throw new ScanFailure(end);
    this.pos = end;
    return undefined;
  }
}

/** Own data property, so a `__proto__` key stays a key and never replaces the prototype. */
function setFeature(target: Features, name: string, value: number): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[name] = value;
  }
}

/**
 * Parses `text` as one flat JSON object of numbers with Python's non-finite tokens allowed and
 * `null` read as `NaN`. Duplicate keys keep the last value, as with `json.loads` and `JSON.parse`.
 *
 * @returns the features, or a string saying why the text is not such an object (which may still
 * be valid JSON: the caller tells which).
 */
export function scanPythonJsonObject(text: string): Features | string {
  const scanner = new Scanner(text);
  const features: Features = {};
  /** Keys whose last value so far is not a number, with what that value is. */
  let others: Map<string, string> | undefined;
  try {
    scanner.expect('{', 'a JSON object');
    scanner.skipWhitespace();
    if (text.charAt(scanner.pos) === '}') {
      scanner.pos++;
    } else {
      for (;;) {
        scanner.skipWhitespace();
        if (text.charAt(scanner.pos) !== '"') scanner.fail('expected a key');
        const name = scanner.key();
        scanner.expect(':', '":"');
        scanner.skipWhitespace();
        const kind = NON_NUMBER_VALUES[text.charAt(scanner.pos)];
        const value = scanner.value();
        if (value === undefined) {
          (others ??= new Map()).set(name, kind ?? 'not a number');
          // A placeholder keeps the key where json.loads puts it, should a duplicate replace it.
          setFeature(features, name, NaN);
        } else {
          others?.delete(name);
          setFeature(features, name, value);
        }
        scanner.skipWhitespace();
        const next = text.charAt(scanner.pos++);
        if (next === '}') break;
        if (next !== ',') {
          scanner.pos--;
          scanner.fail('expected "," or "}"');
        }
      }
    }
    scanner.skipWhitespace();
    if (scanner.pos !== text.length) scanner.fail('unexpected text after the object');
  } catch (error) {
    if (error instanceof ScanFailure) return error.message;
    throw error;
  }
  const other = others?.entries().next();
  if (other !== undefined && other.done !== true) return `feature ${JSON.stringify(other.value[0])} is ${other.value[1]}, not a number`;
  return features;
}
