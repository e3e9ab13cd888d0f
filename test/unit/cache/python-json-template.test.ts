import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePythonJson, decodePythonJsonText } from '../../../src/cache/codecs/python-json.js';
import { scanPythonJsonObject } from '../../../src/cache/codecs/python-json-scanner.js';
import {
  cachedTemplateCount,
  decodeByTemplate,
  learnTemplate,
  TEMPLATE_CACHE_SIZE,
} from '../../../src/cache/codecs/python-json-template.js';
import { alpha158Names, anyDouble, decoded, expectSameFeatures, fixtureBytes, jsonName, SPECIAL_VALUES, vectors } from '../../harness/cache/codecs.js';
import type { Features } from '../../../src/cache/codecs/index.js';

/** Teaches the decoder `features`' name list (a list is compiled the second time it is seen). */
function learn(features: Features): void {
  const text = encodePythonJson(features);
  learnTemplate(features, text);
  learnTemplate(features, text);
}

/** The template path's answer for `text` after learning `features`' names (undefined: not taken). */
function viaTemplate(features: Features, text: string): Features | undefined {
  learn(features);
  return decodeByTemplate(text);
}

/** json.loads' answer: the exact scanner (it accepts NaN/Infinity tokens like Python). */
function exact(text: string): Features | undefined {
  const result = scanPythonJsonObject(text);
  return typeof result === 'string' ? undefined : result;
}

const VECTOR = { KMID: 1.0342340057801, KLOW2: -0, CORR60: NaN, 'é😀': Infinity, x: 5e-324, '"q\\': -Infinity, __proto__x: 1e16 };

describe('JSON decoder: template path', () => {
  it('reads what json.dumps writes for a known name list, every special value included', () => {
    const text = encodePythonJson(VECTOR);
    const fast = viaTemplate(VECTOR, text);
    expect(fast).toBeDefined();
    expectSameFeatures(fast as Features, VECTOR);
    expectSameFeatures(viaTemplate(SPECIAL_VALUES, encodePythonJson(SPECIAL_VALUES)) as Features, SPECIAL_VALUES);
  });

  it('reads the Python-written AAPL fixture (NaN included) exactly like the exact scanner', () => {
    const text = fixtureBytes('AAPL-2025-01-17.python-json.txt').toString('latin1');
    const expected = exact(text) as Features;
    expect(Object.keys(expected)).toEqual(alpha158Names());
    expectSameFeatures(viaTemplate(expected, text) as Features, expected);
  });

  it('reads null as NaN, in any member, exactly like the exact scanner', () => {
    const names = { a: 1, b: 2, c: 3 };
    for (const text of ['{"a": null, "b": 2.0, "c": 3.0}', '{"a": 1.0, "b": null, "c": NaN}', '{"a": null, "b": null, "c": null}']) {
      const fast = viaTemplate(names, text);
      expect(fast, text).toBeDefined();
      expectSameFeatures(fast as Features, exact(text) as Features);
      expect(Object.values(fast as Features).filter((v) => Number.isNaN(v)).length).toBe((text.match(/null|NaN/g) ?? []).length);
    }
  });

  it('a vector holding null is learned like any other: its names take the template path next time', () => {
    const text = '{"ret_1d": 0.0123, "vol_20d": null, "ma_5": 151.2, "rsv_60": NaN}';
    learn({ unrelated: 1 });
    expectSameFeatures(decoded(decodePythonJsonText(text)), { ret_1d: 0.0123, vol_20d: NaN, ma_5: 151.2, rsv_60: NaN });
    expectSameFeatures(decoded(decodePythonJsonText(text)), { ret_1d: 0.0123, vol_20d: NaN, ma_5: 151.2, rsv_60: NaN });
    expectSameFeatures(decodeByTemplate('{"ret_1d": null, "vol_20d": 1.0, "ma_5": null, "rsv_60": 2.0}') as Features, {
      ret_1d: NaN,
      vol_20d: 1,
      ma_5: NaN,
      rsv_60: 2,
    });
  });

  it('learns from the general path: a name list seen twice takes the template from then on', () => {
    const a = encodePythonJson({ p: 1.5, q: NaN });
    const b = encodePythonJson({ p: -2.25, q: 3 });
    learn({ other: 1 });
    expect(decodeByTemplate(a)).toBeUndefined();
    expectSameFeatures(decoded(decodePythonJsonText(a)), { p: 1.5, q: NaN });
    expect(decodeByTemplate(b)).toBeUndefined(); // seen once: not compiled yet
    expectSameFeatures(decoded(decodePythonJsonText(b)), { p: -2.25, q: 3 });
    expectSameFeatures(decodeByTemplate(a) as Features, { p: 1.5, q: NaN });
  });

  it('does not compile name lists seen once, nor learn from text a template could not match', () => {
    learn({ settled: 1 });
    const count = cachedTemplateCount();
    for (let i = 0; i < 20; i++) expect(decodePythonJsonText(encodePythonJson({ [`one-off${i}`]: i })).ok).toBe(true);
    // Compact separators (orjson, JSON.stringify): read by the general path every time, never learned.
    for (let i = 0; i < 3; i++) expectSameFeatures(decoded(decodePythonJsonText('{"c":1,"d":2}')), { c: 1, d: 2 });
    expect(cachedTemplateCount()).toBe(count);
    expect(decodeByTemplate('{"settled": 2.0}')).toEqual({ settled: 2 });
  });

  it('keeps a "__proto__" key an own property, with Object.prototype as the prototype', () => {
    const features = JSON.parse('{"__proto__": 2.5, "a": 1}') as Features;
    const fast = viaTemplate(features, '{"__proto__": 2.5, "a": 1}') as Features;
    expect(Object.getPrototypeOf(fast)).toBe(Object.prototype);
    expect(Object.keys(fast)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(fast, '__proto__')?.value).toBe(2.5);
  });

  it.each([
    ['compact separators', '{"a":1, "b": 2}'],
    ['a newline', '{"a": 1,\n "b": 2}'],
    ['another order', '{"b": 2, "a": 1}'],
    ['a missing key', '{"a": 1}'],
    ['an extra key', '{"a": 1, "b": 2, "c": 3}'],
    ['a repeated key', '{"a": 1, "a": 2, "b": 2}'],
    ['another escape of the same key', '{"\\u0061": 1, "b": 2}'],
    ['text after the object', '{"a": 1, "b": 2} '],
    ['a second object', '{"a": 1, "b": 2}{}'],
    ['a string value', '{"a": "1", "b": 2}'],
    ['nul', '{"a": nul, "b": 2}'],
    ['-null', '{"a": -null, "b": 2}'],
    ['true', '{"a": true, "b": 2}'],
    ['an array', '{"a": [1], "b": 2}'],
    ['an object', '{"a": {}, "b": 2}'],
    ['a leading zero', '{"a": 01, "b": 2}'],
    ['a bare point', '{"a": 1., "b": 2}'],
    ['no integer part', '{"a": .5, "b": 2}'],
    ['a plus sign', '{"a": +1, "b": 2}'],
    ['an empty exponent', '{"a": 1e, "b": 2}'],
    ['a lone minus', '{"a": -, "b": 2}'],
    ['hex', '{"a": 0x10, "b": 2}'],
    ['a lowercase token', '{"a": nan, "b": 2}'],
    ['a longer token', '{"a": NaNa, "b": 2}'],
    ['-NaN', '{"a": -NaN, "b": 2}'],
    ['a truncated value', '{"a": 1, "b": 2'],
    ['an empty text', ''],
  ])('does not take a text with %s', (_, text) => {
    expect(viaTemplate({ a: 1, b: 2 }, text)).toBeUndefined();
  });

  it('property: for a known name list, the template reads any dumps output exactly', () => {
    fc.assert(
      fc.property(vectors(jsonName), (features) => {
        const text = encodePythonJson(features);
        const fast = viaTemplate(features, text);
        // Integer-like names come first in Object.keys order, so such a list may not match its text.
        if (fast === undefined) expect(Object.keys(features).some((k) => /^(0|[1-9]\d*)$/.test(k))).toBe(true);
        else expectSameFeatures(fast, exact(text) as Features);
      }),
      { numRuns: 200 },
    );
  });

  it('property: a corrupted text is either refused or read exactly as json.loads reads it', () => {
    const alphabet = fc.constantFrom(...'0123456789-+.eE ,:"{}[]NaIfinity\\tnul'.split(''), 'null', 'NaN');
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[A-Za-z]{1,6}$/), anyDouble, { minKeys: 1, maxKeys: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), alphabet), { minLength: 1, maxLength: 4 }),
        (features, edits) => {
          let text = encodePythonJson(features);
          for (const [at, kind, char] of edits) {
            const i = at % (text.length + 1);
            if (kind === 'insert') text = text.slice(0, i) + char + text.slice(i);
            else if (kind === 'replace') text = text.slice(0, i) + char + text.slice(i + 1);
            else text = text.slice(0, i) + text.slice(i + 1);
          }
          const fast = viaTemplate(features, text);
          if (fast !== undefined) {
            const reference = exact(text);
            expect(reference).toBeDefined();
            expectSameFeatures(fast, reference as Features);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps at most TEMPLATE_CACHE_SIZE templates', () => {
    for (let i = 0; i < TEMPLATE_CACHE_SIZE + 10; i++) learn({ [`k${i}`]: 1 });
    expect(cachedTemplateCount()).toBe(TEMPLATE_CACHE_SIZE);
  });
});
