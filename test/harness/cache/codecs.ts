/** Shared fixtures, arbitraries and comparisons for the codec tests. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { DecodeResult, Features } from '../../../src/cache/codecs/index.js';

const FIXTURES = new URL('../../fixtures/wire/features/', import.meta.url);

/** Raw bytes of a fixture in test/fixtures/wire/features/. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

/** The 158 Alpha158 names, in order. */
export function alpha158Names(): string[] {
  return JSON.parse(fixtureBytes('alpha158-names.json').toString('utf8')) as string[];
}

/** The values every codec must carry exactly. */
export const SPECIAL_VALUES: Readonly<Record<string, number>> = {
  nan: NaN,
  inf: Infinity,
  negInf: -Infinity,
  negZero: -0,
  zero: 0,
  minSubnormal: 5e-324,
  max: Number.MAX_VALUE,
  min: Number.MIN_VALUE,
  tiny: 1e-7,
  big: 1e16,
  huge: 123456789012345680000,
  minNormal: 2.2250738585072014e-308,
  negMax: -Number.MAX_VALUE,
};

/** A value's exact identity as text: `-0` kept apart from `0`, NaN as `NaN`. */
function tag(value: unknown): string {
  return Object.is(value, -0) ? '-0' : typeof value === 'number' ? String(value) : `<${typeof value}>`;
}

/** The first difference between two vectors (key order, key, or value by `Object.is`), if any. */
function firstDifference(actual: Features, expected: Features): string | undefined {
  const actualKeys = Object.keys(actual);
  const expectedKeys = Object.keys(expected);
  if (actualKeys.length !== expectedKeys.length) return `${actualKeys.length} keys, expected ${expectedKeys.length}`;
  for (let i = 0; i < expectedKeys.length; i++) {
    const key = expectedKeys[i] as string;
    if (actualKeys[i] !== key) return `key #${i} is ${JSON.stringify(actualKeys[i])}, expected ${JSON.stringify(key)}`;
    if (!Object.is(actual[key], expected[key])) {
      return `${JSON.stringify(key)} is ${tag(actual[key])}, expected ${tag(expected[key])}`;
    }
  }
  return undefined;
}

/** Asserts same keys in the same order and the same value per key by `Object.is`. */
export function expectSameFeatures(actual: Features, expected: Features): void {
  expect(firstDifference(actual, expected)).toBeUndefined();
}

/** The features of a successful decode; fails the test on a corrupt result. */
export function decoded(result: DecodeResult): Features {
  if (!result.ok) throw new Error(`expected a valid vector, got corrupt: ${result.reason}`);
  return result.features;
}

/** Any UTF-16 code unit, lone surrogates included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Doubles of every kind, with the special values made frequent. */
export const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(...Object.values(SPECIAL_VALUES)),
  fc.integer().map((n) => n),
);

/** Feature names for JSON: any UTF-16 string, or a full-Unicode one, or an Alpha158-like one. */
export const jsonName = fc.oneof(
  fc.string({ unit: anyUnit, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.stringMatching(/^[A-Z]{2,6}[0-9]{0,2}$/),
);

/** Feature names for f64: well-formed Unicode without a newline. */
export const f64Name = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.stringMatching(/^[A-Z]{2,6}[0-9]{0,2}$/),
).filter((name) => !name.includes('\n'));

/** Vectors of 1 to 1000 features. */
export function vectors(name: fc.Arbitrary<string>): fc.Arbitrary<Features> {
  return fc.dictionary(name, anyDouble, { minKeys: 1, maxKeys: 1000, size: 'max' });
}
