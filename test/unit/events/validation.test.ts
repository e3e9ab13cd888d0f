import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { parseJsonOrThrow, parseOrThrow, toValidationIssues } from '../../../src/internal/validation.js';

const Schema = v.object({ a: v.string(), nested: v.object({ n: v.number() }), list: v.array(v.number()) });

describe('validation helpers', () => {
  it('parseOrThrow returns the output when valid', () => {
    expect(parseOrThrow('thing', Schema, { a: 'x', nested: { n: 1 }, list: [1], extra: 1 })).toEqual({
      a: 'x', nested: { n: 1 }, list: [1],
    });
  });

  it('parseOrThrow lists every issue by dotted path with the ValiError as cause', () => {
    let caught: unknown;
    try {
      parseOrThrow('thing', Schema, { a: 1, nested: { n: 'x' }, list: [1, 'y'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.issues.map((i) => i.path)).toEqual(['a', 'nested.n', 'list.1']);
    expect(error.message).toMatch(/^Invalid thing: a: /);
    expect(v.isValiError(error.cause)).toBe(true);
    expect((error.cause as v.ValiError<typeof Schema>).issues).toHaveLength(3);
  });

  it('toValidationIssues uses an empty path for the root value', () => {
    const result = v.safeParse(Schema, 'nope');
    expect(result.success).toBe(false);
    expect(toValidationIssues(result.issues ?? [])).toEqual([{ path: '', message: expect.stringMatching(/Object/) }]);
  });

  it('parseJsonOrThrow parses JSON and turns a syntax error into a ValidationError', () => {
    expect(parseJsonOrThrow('thing', '{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonOrThrow('thing', '{')).toThrow(ValidationError);
    expect(() => parseJsonOrThrow('thing', '{')).toThrow(/^Invalid thing: not valid JSON/);
  });
});
