import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { featureFactory, loopFeatureFactory, MAX_COMPILED_NAMES, type FeatureFactory } from '../../../src/cache/codecs/f64-factory.js';
import type { Features } from '../../../src/cache/codecs/index.js';
import { alpha158Names, anyDouble, expectSameFeatures, f64Name, SPECIAL_VALUES } from '../../harness/cache/codecs.js';

/** Names that would break generated code if they were pasted into it unescaped. */
const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '7',
  '0',
  '"',
  "'",
  '\\',
  '\\"',
  '`${globalThis.pwned = 1}`',
  '"]; globalThis.pwned = 1; this["',
  '*/ globalThis.pwned = 1; /*',
  '\u2028',
  '\u2029',
  '\u0000',
  '\t',
  'é😀',
  '',
];

/** `values` as little-endian doubles `offset` bytes into a DataView, as in a pooled reply. */
function run(factory: FeatureFactory, values: readonly number[], offset = 3): Features {
  const bytes = Buffer.alloc(offset + values.length * 8, 0xaa);
  values.forEach((value, i) => bytes.writeDoubleLE(value, offset + i * 8));
  return factory(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset);
}

function build(factory: FeatureFactory, names: readonly string[]): Features {
  return run(factory, names.map((_, i) => i + 0.5));
}

/** Own property descriptors of every key, in key order, for comparing two objects exactly. */
function describeObject(features: Features): Array<[string, PropertyDescriptor | undefined]> {
  return Reflect.ownKeys(features).map((key) => [String(key), Object.getOwnPropertyDescriptor(features, key)]);
}

describe('f64 object factory', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    delete (globalThis as { pwned?: unknown }).pwned;
  });

  it('builds plain objects identical to the loop, hostile names included', () => {
    const features = build(featureFactory(HOSTILE_NAMES), HOSTILE_NAMES);
    const expected = build(loopFeatureFactory(HOSTILE_NAMES), HOSTILE_NAMES);
    expect(Object.getPrototypeOf(features)).toBe(Object.prototype);
    expect(describeObject(features)).toEqual(describeObject(expected));
    expect(Object.getOwnPropertyDescriptor(features, '__proto__')).toEqual({ value: 0.5, writable: true, enumerable: true, configurable: true });
    expect(features['"]; globalThis.pwned = 1; this["']).toBe(11.5);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('7');
  });

  it('carries every special value exactly (Object.is), -0 and NaN included, at every alignment', () => {
    const names = Object.keys(SPECIAL_VALUES);
    const values = names.map((n) => SPECIAL_VALUES[n] as number);
    for (let offset = 0; offset < 8; offset++) {
      expectSameFeatures(run(featureFactory(names), values, offset), SPECIAL_VALUES);
      expectSameFeatures(run(loopFeatureFactory(names), values, offset), SPECIAL_VALUES);
    }
  });

  it('gives each call a fresh object', () => {
    const names = alpha158Names();
    const factory = featureFactory(names);
    const a = run(factory, names.map(() => 1));
    const b = run(factory, names.map(() => 2));
    expect(a).not.toBe(b);
    expect(a.KMID).toBe(1);
    expect(b.KMID).toBe(2);
    expect(Object.keys(a)).toEqual(names);
  });

  it('falls back to the loop when code generation is not allowed', () => {
    const names = ['a', '__proto__', 'b'];
    vi.stubGlobal('Function', function refuse(): never {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    const factory = featureFactory(names);
    vi.unstubAllGlobals();
    const features = build(factory, names);
    expect(describeObject(features)).toEqual(describeObject(build(loopFeatureFactory(names), names)));
    expect(Object.getPrototypeOf(features)).toBe(Object.prototype);
  });

  it('builds a name set larger than the compile limit with the loop', () => {
    const names = Array.from({ length: MAX_COMPILED_NAMES + 1 }, (_, i) => `f${i}`);
    const features = build(featureFactory(names), names);
    expect(Object.keys(features)).toEqual(names);
    expect(features[`f${MAX_COMPILED_NAMES}`]).toBe(MAX_COMPILED_NAMES + 0.5);
  });

  it('property: compiled and loop factories build the same object for any names and values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(f64Name, { maxLength: 20 }), fc.array(anyDouble, { minLength: 20, maxLength: 20 }), (names, values) => {
        const input = values.slice(0, names.length);
        const compiled = run(featureFactory(names), input);
        const looped = run(loopFeatureFactory(names), input);
        expect(Object.getPrototypeOf(compiled)).toBe(Object.prototype);
        expect(Object.keys(compiled)).toEqual(Object.keys(looped));
        expectSameFeatures(compiled, looped);
      }),
      { numRuns: 200 },
    );
  });
});
