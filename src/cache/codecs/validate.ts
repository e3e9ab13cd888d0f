/**
 * Validation of a feature vector before it is encoded: nothing is written unless every value is
 * a number and every name can be carried by the chosen codec.
 */
import { ValidationError } from '../../internal/errors.js';
import type { ValidationIssue } from '../../internal/errors.js';
import type { CodecName } from './types.js';

/** The subject named in the `ValidationError` message. */
const SUBJECT = 'feature vector';

/** Matches a lone (unpaired) UTF-16 surrogate, which UTF-8 cannot carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The most features one f64 value can hold (its count field is a u32). */
const F64_MAX_COUNT = 0xffff_ffff;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A non-null object whose prototype is `Object.prototype` or `null` (what a vector must be). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks that `features` is a plain object whose own values are all numbers (any double,
 * `NaN`, `±Infinity` and `-0` included) and, for `f64`, that every name can be stored in its
 * newline-separated UTF-8 names block.
 *
 * @returns the feature names in encoding order (`Object.keys` order).
 * @throws ValidationError listing every offending feature by name (the issue `path`).
 */
export function validateFeatures(features: unknown, codec: CodecName): string[] {
  if (!isPlainObject(features)) {
    throw new ValidationError(SUBJECT, [
      { path: '', message: `must be a plain object of feature name to number, got ${describe(features)}` },
    ]);
  }
  const names = Object.keys(features);
  const issues: ValidationIssue[] = [];
  for (const name of names) {
    const value = features[name];
    if (typeof value !== 'number') {
      issues.push({ path: name, message: `must be a number, got ${describe(value)}` });
    }
    if (codec === 'f64') {
      if (name.includes('\n')) {
        issues.push({ path: name, message: 'name must not contain a newline for the f64 codec' });
      } else if (LONE_SURROGATE.test(name)) {
        issues.push({ path: name, message: 'name must be well-formed Unicode for the f64 codec' });
      }
    }
  }
  if (codec === 'f64' && names.length > F64_MAX_COUNT) {
    issues.push({ path: '', message: `at most ${F64_MAX_COUNT} features fit in one f64 value` });
  }
  if (issues.length > 0) throw new ValidationError(SUBJECT, issues);
  return names;
}

