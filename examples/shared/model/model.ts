/**
 * A linear model over Alpha158 features: predicted return = bias + sum of weight x feature.
 * Loaded from a JSON file such as `model.json` beside this module, and validated.
 */
import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { ModelError } from '../errors.js';
import type { Alpha158Name } from '../features/names.js';
import { ALPHA158_NAMES } from '../features/names.js';

const FiniteNumber = v.pipe(v.number('must be a number'), v.finite('must be finite'));

/** Schema of a model file; unknown top-level keys are rejected to catch typos. */
export const ModelFileSchema = v.strictObject({
  strategy: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
  version: v.pipe(
    v.string('must be a string'),
    v.regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.0.0'),
  ),
  description: v.optional(v.string('must be a string')),
  bias: FiniteNumber,
  weights: v.pipe(
    v.record(
      v.picklist(ALPHA158_NAMES, (issue) => `unknown feature ${String(issue.input)} (not an Alpha158 name)`),
      FiniteNumber,
      'must be an object of feature name to weight',
    ),
    v.minEntries(1, 'must name at least one feature'),
  ),
});

/** A validated linear model. */
export interface LinearModel {
  readonly strategy: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly bias: number;
  /** Weight per feature, in file order. */
  readonly weights: ReadonlyMap<Alpha158Name, number>;
}

/**
 * Validate parsed JSON as a model. `source` labels the input in error messages.
 * @throws {ModelError} listing each problem with its path, e.g. `weights.FOO: unknown feature`.
 */
export function parseModel(input: unknown, source = 'model'): LinearModel {
  const result = v.safeParse(ModelFileSchema, input);
  if (!result.success) {
    const problems = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
    throw new ModelError(source, problems, { cause: new v.ValiError(result.issues) });
  }
  const file = result.output;
  const weights = new Map<Alpha158Name, number>();
  for (const [name, weight] of Object.entries(file.weights)) {
    weights.set(name as Alpha158Name, weight as number);
  }
  return Object.freeze({
    strategy: file.strategy,
    version: file.version,
    description: file.description,
    bias: file.bias,
    weights,
  });
}

/**
 * Read and validate a model file.
 *
 * @example
 * const model = await loadModel('examples/shared/model/model.json');
 * const predicted = score(model, computeAlpha158(bars, bars.length - 1));
 * @throws {ModelError} when the file is unreadable, not JSON, or not a valid model.
 */
export async function loadModel(path: string): Promise<LinearModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelError(path, [`cannot read file: ${(error as Error).message}`], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError(path, [`not valid JSON: ${(error as Error).message}`], { cause: error });
  }
  return parseModel(json, path);
}

/**
 * Predicted return of one symbol: bias plus weight x feature over the model's features. A NaN
 * feature (too little history, constant window) contributes 0.
 * @throws {ModelError} when `features` lacks a feature the model weights.
 */
export function score(model: LinearModel, features: Readonly<Record<string, number>>): number {
  let total = model.bias;
  for (const [name, weight] of model.weights) {
    const value = features[name];
    if (value === undefined) {
      throw new ModelError(model.strategy, [`features lack '${name}'`]);
    }
    if (!Number.isNaN(value)) total += weight * value;
  }
  return total;
}
