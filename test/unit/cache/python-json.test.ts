import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFeatures, encodeFeatures } from '../../../src/cache/codecs/index.js';
import { decodePythonJsonText, encodePythonJson } from '../../../src/cache/codecs/python-json.js';
import { pythonFloatRepr, pythonStringLiteral } from '../../../src/cache/codecs/python-repr.js';
import { ValidationError } from '../../../src/internal/errors.js';
import {
  alpha158Names,
  decoded,
  expectSameFeatures,
  fixtureBytes,
  jsonName,
  SPECIAL_VALUES,
  vectors,
} from '../../harness/cache/codecs.js';

describe('json codec: Python wire fixtures', () => {
  it('decodes the AAPL vector exactly, special tokens included', () => {
    const features = decoded(decodeFeatures(fixtureBytes('AAPL-2025-01-17.python-json.txt')));
    expect(Object.keys(features)).toEqual(alpha158Names());
    expect(features.CORR60).toBeNaN();
    expect(features.CORD60).toBeNaN();
    expect(features.VSUMD60).toBe(Infinity);
    expect(features.VSUMN60).toBe(-Infinity);
    expect(Object.is(features.KLOW2, -0)).toBe(true);
    expect(features.KUP2).toBe(5e-324);
    expect(features.KMID).toBe(1.0342340057801);
  });

  it.each(['AAPL-2025-01-17.python-json.txt', 'seed-example.python-json.txt'])(
    're-encodes %s to the exact bytes Python wrote',
    (name) => {
      const bytes = fixtureBytes(name);
      const text = bytes.toString('utf8');
      expect(encodePythonJson(decoded(decodeFeatures(text)))).toBe(text);
      expect(Buffer.from(encodeFeatures('json', decoded(decodeFeatures(bytes))), 'utf8').equals(bytes)).toBe(true);
    },
  );

  it('decodes the seed example', () => {
    expectSameFeatures(decoded(decodeFeatures(fixtureBytes('seed-example.python-json.txt'))), {
      feature_1: 0.5,
      feature_2: 0.3,
    });
  });
});

/** Floats and their `repr` (CPython 3.11), each checked alone and inside a vector. */
const FLOAT_FORMS: [number, string][] = [
  [1, '1.0'], [-1, '-1.0'], [0, '0.0'], [-0, '-0.0'], [0.5, '0.5'], [1e-4, '0.0001'],
  [9.999999999999999e-5, '9.999999999999999e-05'], [1e-5, '1e-05'], [1e-7, '1e-07'],
  [1.5e-7, '1.5e-07'], [1e16, '1e+16'], [9999999999999998, '9999999999999998.0'],
  [1234567890123456.8, '1234567890123456.8'], [123456789012345680000, '1.2345678901234568e+20'],
  [1e21, '1e+21'], [1e22, '1e+22'], [5e-324, '5e-324'], [Number.MAX_VALUE, '1.7976931348623157e+308'],
  [2.2250738585072014e-308, '2.2250738585072014e-308'], [0.1, '0.1'], [-0.000123, '-0.000123'],
  [123.456, '123.456'], [1e100, '1e+100'], [-2.5e-10, '-2.5e-10'],
  [0.30000000000000004, '0.30000000000000004'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
];

describe('json codec: Python text forms (expected strings produced by CPython 3.11 json.dumps)', () => {
  it.each(FLOAT_FORMS)('float %s is written as %s', (value, text) => {
    expect(pythonFloatRepr(value)).toBe(text);
  });

  it.each([
    ['plain', '"plain"'], ['quote"d', '"quote\\"d"'], ['back\\slash', '"back\\\\slash"'],
    ['tab\tnl\ncr\r', '"tab\\tnl\\ncr\\r"'], ['bs\bff\f', '"bs\\bff\\f"'],
    ['\u0000\u0001\u001f', '"\\u0000\\u0001\\u001f"'], ['\u007f', '"\\u007f"'], ['caf\u00e9', '"caf\\u00e9"'],
    ['\u4e2d\u6587', '"\\u4e2d\\u6587"'], ['\ud83d\ude00', '"\\ud83d\\ude00"'], ['\ud800', '"\\ud800"'],
    ['\udc00x', '"\\udc00x"'], ['\u2028', '"\\u2028"'],
  ])('key %j is written as %s', (key, text) => {
    expect(pythonStringLiteral(key)).toBe(text);
  });

  it.each(FLOAT_FORMS)('float %s inside a vector is written as %s', (value, text) => {
    expect(encodePythonJson({ a: 1.5, v: value })).toBe(`{"a": 1.5, "v": ${text}}`);
  });

  it('writes thousands of distinct names exactly (the memo of encoded names is bounded and starts over)', () => {
    for (let i = 0; i < 10_000; i++) {
      const name = `f\u00e9${i}`;
      expect(encodePythonJson({ [name]: i })).toBe(`{${pythonStringLiteral(name)}: ${i}.0}`);
    }
  });

  it('writes keys that look like tokens exactly as Python does, and reads them back unchanged', () => {
    const python =
      '{"NaN": 1.0, ": Infinity": -0.0, "x\\": NaN, \\"y": NaN, "Infinity": Infinity, "-Infinity": -Infinity}';
    const features = { NaN: 1, ': Infinity': -0, 'x": NaN, "y': NaN, Infinity: Infinity, '-Infinity': -Infinity };
    expect(encodePythonJson(features)).toBe(python);
    expectSameFeatures(decoded(decodePythonJsonText(python)), features);
  });
});

describe('json codec: round trips', () => {
  it('carries every special value exactly', () => {
    const text = encodePythonJson(SPECIAL_VALUES);
    expectSameFeatures(decoded(decodeFeatures(text)), SPECIAL_VALUES);
  });

  it('takes the JSON.parse path and the token path to the same values', () => {
    const plain = '{"a": -0.0, "b": 5e-324, "c": 1e400, "d": -1E-2}';
    const withToken = '{"a": -0.0, "b": 5e-324, "c": 1e400, "d": -1E-2, "e": NaN}';
    const fast = decoded(decodePythonJsonText(plain));
    const slow = decoded(decodePythonJsonText(withToken));
    expectSameFeatures(fast, { a: -0, b: 5e-324, c: Infinity, d: -0.01 });
    expectSameFeatures(slow, { ...fast, e: NaN });
  });

  it('accepts the whitespace and duplicate keys json.loads accepts (last value wins)', () => {
    const text = ' \r\n{\t"a" :1 ,"b":NaN,"a":\n-Infinity } \n';
    expectSameFeatures(decoded(decodePythonJsonText(text)), { a: -Infinity, b: NaN });
    expectSameFeatures(decoded(decodePythonJsonText('{}')), {});
    expectSameFeatures(decoded(decodePythonJsonText('{ }')), {});
  });

  it('decodes escaped keys on the token path like JSON.parse does', () => {
    const text = '{"\\u00e9\\n\\"\\\\\\ud83d\\ude00": NaN, "plain": Infinity}';
    expectSameFeatures(decoded(decodePythonJsonText(text)), { 'é\n"\\😀': NaN, plain: Infinity });
  });

  it('property: the encoding is each name and float in its Python form, joined as json.dumps joins them', () => {
    fc.assert(
      fc.property(vectors(jsonName), (features) => {
        const expected = Object.keys(features).map((name) => `${pythonStringLiteral(name)}: ${pythonFloatRepr(features[name] as number)}`);
        expect(encodePythonJson(features)).toBe(`{${expected.join(', ')}}`);
      }),
      { numRuns: 300 },
    );
  });

  it('property: decode(encode(x)) is x, key order and every value (Object.is)', () => {
    fc.assert(
      fc.property(vectors(jsonName), (features) => {
        const text = encodePythonJson(features);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expectSameFeatures(decoded(decodeFeatures(text)), features);
        expectSameFeatures(decoded(decodeFeatures(Buffer.from(text, 'utf8'))), features);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('json codec: null reads as NaN (what json.dumps writes for None)', () => {
  it('decodes the with-null fixture: null and NaN are both NaN, the rest exact', () => {
    const features = decoded(decodeFeatures(fixtureBytes('with-null.python-json.txt')));
    expect(Object.keys(features)).toEqual(['ret_1d', 'vol_20d', 'ma_5', 'rsv_60']);
    expectSameFeatures(features, { ret_1d: 0.0123, vol_20d: NaN, ma_5: 151.2, rsv_60: NaN });
  });

  it.each([
    ['a null among numbers', '{"a": null, "b": 1.5}', { a: NaN, b: 1.5 }],
    ['only null', '{"a": null}', { a: NaN }],
    ['null with tokens', '{"a": Infinity, "b": null, "c": -Infinity}', { a: Infinity, b: NaN, c: -Infinity }],
    ['null with other spacing', '{"a":null,"b":\n\t null }', { a: NaN, b: NaN }],
    ['a key named null', '{"null": null, ": null": 2.0}', { null: NaN, ': null': 2 }],
    ['an out-of-range number (as float() reads it)', '{"a": 1e400, "b": -1e400, "c": null}', { a: Infinity, b: -Infinity, c: NaN }],
  ])('%s', (_label, text, expected) => {
    expectSameFeatures(decoded(decodeFeatures(text)), expected);
    expectSameFeatures(decoded(decodeFeatures(Buffer.from(text))), expected);
  });
});

describe('json codec: valid JSON that is not a vector is foreign (a cache leaves it)', () => {
  // Each text is one CPython 3.11 json.loads reads (checked with python3 when written).
  it.each([
    ['an array', '[1.0, 2.0]'],
    ['an array with a token', '[NaN]'],
    ['an empty array', '[]'],
    ['a bare number', '1.0'],
    ['a bare out-of-range number', '1e400'],
    ['a bare token', 'NaN'],
    ['a bare -Infinity', '-Infinity'],
    ['null', 'null'],
    ['a bare string', '"abc"'],
    ['a bare boolean', 'true'],
    ['a nested object', '{"a": {"b": 1.0}}'],
    ['a nested object with a token', '{"a": NaN, "b": {"c": 1.0}}'],
    ['a nested object with null', '{"a": null, "b": {"c": null}}'],
    ['a string value', '{"a": "1.0"}'],
    ['a string value with a token', '{"a": "NaN"}'],
    ['a string value with null', '{"a": null, "b": "x"}'],
    ['a boolean value', '{"a": true}'],
    ['a false value with a token', '{"a": false, "b": Infinity}'],
    ['an array value', '{"a": [1.0]}'],
    ['an array value holding null', '{"a": [null]}'],
    ['deep nesting', `${'['.repeat(5000)}NaN${']'.repeat(5000)}`],
    ['duplicate keys, the last a string', '{"a": 1.0, "a": "x"}'],
    ['an escaped lone surrogate', '{"\\ud800": "x"}'],
    ['whitespace around everything', ' \r\n{\t"a" : [ NaN , null ] } \n'],
  ])('%s', (_label, text) => {
    for (const input of [text, Buffer.from(text)]) {
      expect(decodeFeatures(input)).toMatchObject({ ok: false, format: 'json', kind: 'foreign' });
    }
  });

  it('bytes that are not UTF-8 are another writer\'s format: foreign, not corrupt', () => {
    const result = decodeFeatures(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(result).toMatchObject({ ok: false, format: 'json', kind: 'foreign', reason: 'not valid UTF-8' });
    expect(decodeFeatures(Buffer.from([0x80, 0x04, 0x95]))).toMatchObject({ kind: 'foreign' });
  });

  it('names the feature that is not a number', () => {
    expect(decodeFeatures('{"a": 1.0, "bad": "x"}')).toMatchObject({ ok: false, kind: 'foreign', reason: expect.stringContaining('"bad"') });
  });
});

describe('json codec: text json.loads rejects is corrupt (a cache deletes it)', () => {
  // Each text is one CPython 3.11 json.loads rejects with JSONDecodeError (checked with python3).
  it.each([
    ['empty text', ''],
    ['only whitespace', ' \n'],
    ['bad JSON', '{"a": 1'],
    ['bad JSON with a token', '{"a": NaN'],
    ['bad JSON with null', '{"a": null'],
    ['a token Python does not write', '{"a": -NaN}'],
    ['+Infinity', '{"a": +Infinity}'],
    ['lowercase nan', '{"a": nan}'],
    ['inf', '{"a": inf}'],
    ['Python\'s None', '{"a": None}'],
    ['Python\'s True', '{"a": True}'],
    ['NULL', '{"a": NULL}'],
    ['-null', '{"a": -null}'],
    ['a longer word', '{"a": nulll}'],
    ['a truncated token', '{"a": Infinit}'],
    ['text after the object', '{"a": NaN} x'],
    ['a second object', '{"a": 1.0} {"b": 2.0}'],
    ['a trailing comma', '{"a": NaN,}'],
    ['a trailing comma in an array', '[null,]'],
    ['a trailing comma, no token', '{"a": 1.0,}'],
    ['a leading zero', '{"a": 01, "b": NaN}'],
    ['a bare decimal point', '{"a": 1., "b": NaN}'],
    ['no integer part', '{"a": .5}'],
    ['a plus sign', '{"a": +1}'],
    ['hex', '{"a": 0x10}'],
    ['a non-ASCII digit', '{"a": \u0661}'],
    ['a raw control character in a key', '{"a\u0001": NaN}'],
    ['a raw tab in a string value', '{"a": "x\ty", "b": null}'],
    ['an invalid escape in a key', '{"a\\x": NaN}'],
    ['a short \\u escape', '{"a": "\\u12", "b": null}'],
    ['an unterminated key', '{"a\\'],
    ['an unterminated string value with a token', '{"a": NaN, "b": "x'],
    ['a single-quoted key', "{'a': NaN}"],
    ['an unquoted key', '{a: null}'],
    ['a missing colon', '{"a" null}'],
    ['a byte order mark', '\ufeff{"a": 1.0}'],
    ['a byte order mark with null', '\ufeff{"a": null}'],
    ['a no-break space', '{"a": 1.0\u00a0}'],
    ['a form feed after the object', '{"a": null}\f'],
    ['a NUL after the object', '{"a": 1.0}\u0000'],
    ['unbalanced brackets', '[[NaN]'],
    ['a mismatched bracket', '{"a": [1.0}'],
  ])('%s', (_label, text) => {
    for (const input of [text, Buffer.from(text)]) {
      expect(decodeFeatures(input)).toMatchObject({ ok: false, format: 'json', kind: 'corrupt' });
    }
  });

  it('a UTF-8 byte order mark in bytes is corrupt too (Python reads the value as text, BOM included)', () => {
    expect(decodeFeatures(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"a": 1.0}')]))).toMatchObject({ kind: 'corrupt' });
  });
});

describe('json codec: prototype safety', () => {
  it.each([
    ['JSON.parse path', '{"__proto__": 1.5, "constructor": 2.0}'],
    ['token path', '{"__proto__": NaN, "constructor": 2.0}'],
  ])('keeps __proto__ as an own key on the %s', (_label, text) => {
    const features = decoded(decodeFeatures(text));
    expect(Object.getPrototypeOf(features)).toBe(Object.prototype);
    expect(Object.keys(features)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(features, '__proto__')?.enumerable).toBe(true);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('rejects a __proto__ object value without touching any prototype', () => {
    const result = decodeFeatures('{"a": NaN, "__proto__": {"polluted": 1.0}}');
    expect(result.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('json codec: encoding validates first', () => {
  it('throws ValidationError naming every non-number feature', () => {
    const bad = { ok: 1, s: '1', n: null, b: true, big: 1n, o: {} } as unknown as Record<string, number>;
    let caught: unknown;
    try {
      encodePythonJson(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path)).toEqual(['s', 'n', 'b', 'big', 'o']);
  });

  it.each([null, [], new Map(), 'x', 1])('throws ValidationError for %o as a vector', (value) => {
    expect(() => encodePythonJson(value as unknown as Record<string, number>)).toThrow(ValidationError);
  });
});
