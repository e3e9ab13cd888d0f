/**
 * Bridge between valibot and the SDK's error hierarchy: run a schema and turn its issues into a
 * {@link ValidationError} that lists every problem by dotted path, with the valibot `ValiError`
 * kept as `cause`.
 */
import * as v from 'valibot';
import { errorMessage } from './error-text.js';
import { ValidationError } from './errors.js';
import type { ValidationIssue } from './errors.js';

/** Any valibot schema without async parts, whatever its input and output types. */
export type SyncSchema<TOutput> = v.GenericSchema<unknown, TOutput>;

/**
 * Converts valibot issues into SDK issues: `path` is `v.getDotPath(issue)` (the keys of the
 * validated data, `''` for the root value) and `message` is valibot's message.
 */
export function toValidationIssues(issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }));
}

/**
 * Builds a {@link ValidationError} about `subject` from valibot issues, with a `ValiError`
 * carrying the original issues as its `cause`.
 *
 * @example
 * const result = v.safeParse(schema, input);
 * if (!result.success) throw validationErrorFromIssues('SignalEvent', result.issues);
 */
export function validationErrorFromIssues(
  subject: string,
  issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]],
): ValidationError {
  return new ValidationError(subject, toValidationIssues(issues), { cause: new v.ValiError(issues) });
}

/**
 * Validates `input` against `schema` and returns the typed output, or throws a
 * {@link ValidationError} naming `subject` and listing every issue (valibot does not stop at the
 * first one).
 *
 * @throws {ValidationError} when the input does not match the schema.
 */
export function parseOrThrow<TOutput>(subject: string, schema: SyncSchema<TOutput>, input: unknown): TOutput {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw validationErrorFromIssues(subject, result.issues);
}

/**
 * Parses JSON text, turning a syntax error into a {@link ValidationError} about `subject` (path
 * `''`) whose `cause` is the `SyntaxError`.
 *
 * @throws {ValidationError} when `text` is not JSON.
 */
export function parseJsonOrThrow(subject: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(subject, [{ path: '', message: `not valid JSON (${errorMessage(error)})` }], { cause: error });
  }
}
