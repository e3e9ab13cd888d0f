import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePythonJsonText } from '../../../src/cache/codecs/python-json.js';
import { decoded, expectSameFeatures, jsonName } from '../../harness/cache/codecs.js';

/**
 * What the decoder must do for a text with no NaN/Infinity token (JSON.parse's grammar is then
 * json.loads'): accept exactly the objects whose values are all numbers or null (null as NaN),
 * with JSON.parse's keys, order and values; reject any other JSON as foreign and the rest as
 * corrupt.
 */
function reference(text: string): Record<string, number> | 'foreign' | 'corrupt' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'corrupt';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'foreign';
  const record = parsed as Record<string, unknown>;
  if (!Object.values(record).every((v) => typeof v === 'number' || v === null)) return 'foreign';
  for (const key of Object.keys(record)) if (record[key] === null) record[key] = NaN;
  return record as Record<string, number>;
}

function expectLikeReference(text: string): void {
  const result = decodePythonJsonText(text);
  const expected = reference(text);
  if (typeof expected === 'string') {
    expect(result).toMatchObject({ ok: false, kind: expected });
  } else {
    expectSameFeatures(decoded(result), expected);
  }
}

/** Any JSON value a corrupt or foreign writer could put in a member. */
const anyValue = fc.oneof(
  { weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], [1], {}, { a: 1 }, '1', '-1', ':1') },
);

describe('json codec: fast path (colon scan + JSON.parse) agrees with the exact path', () => {
  it('accepts keys that hold colons, quotes and number-like text', () => {
    const text = '{"a: b": 1.5, ":\\"x\\"": -2.0, "k:": 3e-05, ": -": 4.0, "\\u003a1": 0.0}';
    expectSameFeatures(decoded(decodePythonJsonText(text)), { 'a: b': 1.5, ':"x"': -2, 'k:': 3e-5, ': -': 4, ':1': 0 });
  });

  it.each([
    ['a string value', '{"a": 1.0, "b": "2"}', 'foreign', 'feature "b" is a string, not a number'],
    ['a string value after a key with a colon', '{"a:": 1.0, "b": "x"}', 'foreign', 'feature "b" is a string, not a number'],
    ['a nested object', '{"a": {"b": 1.0}}', 'foreign', /^feature "a" is an? object, not a number$/],
    ['an array value', '{"a": [1.0]}', 'foreign', 'feature "a" is an array, not a number'],
    ['a boolean', '{"a":true}', 'foreign', 'feature "a" is a boolean, not a number'],
    ['a null and a string', '{"a":\n\t null, "b": "x"}', 'foreign', 'feature "b" is a string, not a number'],
    ['a lone minus', '{"a": -}', 'corrupt', /^not valid JSON/],
    ['a top-level array', '[1.0, 2.0]', 'foreign', 'a JSON array, not an object'],
    ['a top-level number', '-5', 'foreign', 'a JSON number, not an object'],
    ['a top-level string', '"x"', 'foreign', 'a JSON string, not an object'],
    ['a truncated object', '{"a": 1.0', 'corrupt', /^not valid JSON/],
  ])('rejects %s with the kind and reason the exact path gives', (_label, text, kind, reason) => {
    const result = decodePythonJsonText(text);
    expect(result).toMatchObject({ ok: false, kind });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('reads null as NaN whatever the spacing, and a string or list holding null is still foreign', () => {
    expectSameFeatures(decoded(decodePythonJsonText('{"a":\n\t null,"b":1}')), { a: NaN, b: 1 });
    expect(decodePythonJsonText('{"a": "null"}')).toMatchObject({ ok: false, kind: 'foreign' });
    expect(decodePythonJsonText('{"a": [null]}')).toMatchObject({ ok: false, kind: 'foreign' });
  });

  it('accepts any JSON whitespace between the colon and a number', () => {
    expectSameFeatures(decoded(decodePythonJsonText('{"a":\t\r\n -1.5,"b":0}')), { a: -1.5, b: 0 });
  });

  it('property: any flat object, any spacing, same result as JSON.parse plus a number check', () => {
    fc.assert(
      fc.property(fc.dictionary(jsonName, anyValue, { maxKeys: 30 }), fc.constantFrom(undefined, 0, 1, '\t', ' \r\n'), (object, space) => {
        expectLikeReference(JSON.stringify(object, null, space));
      }),
      { numRuns: 500 },
    );
  });

  it('property: keys full of colons and number-like text never hide a non-number value', () => {
    const colonKey = fc.string({ unit: fc.constantFrom(':', ' ', '-', '1', '"', 'a', '\\'), maxLength: 8 });
    fc.assert(
      fc.property(fc.dictionary(colonKey, anyValue, { maxKeys: 10 }), (object) => {
        expectLikeReference(JSON.stringify(object));
      }),
      { numRuns: 500 },
    );
  });
});
