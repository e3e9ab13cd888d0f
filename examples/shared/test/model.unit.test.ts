import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { computeAlpha158 } from '../features/alpha158.js';
import { ALPHA158_NAMES } from '../features/names.js';
import { loadModel, parseModel, score } from '../model/model.js';
import type { LinearModel } from '../model/model.js';

const MODEL_PATH = fileURLToPath(new URL('../model/model.json', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'model-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const VALID = { strategy: 'alpha158_linear', version: '1.0.0', bias: 0.5, weights: { ROC5: 2, KMID: -1 } };

function problemsOf(input: unknown): readonly string[] {
  try {
    parseModel(input, 'm.json');
  } catch (error) {
    if (error instanceof ModelError) return error.problems;
    throw error;
  }
  throw new Error('expected a ModelError');
}

describe('loadModel', () => {
  it('loads the committed alpha158_linear model', async () => {
    const model = await loadModel(MODEL_PATH);
    expect(model.strategy).toBe('alpha158_linear');
    expect(model.version).toBe('1.0.0');
    expect(model.bias).toBe(-0.038);
    expect(model.weights.get('ROC5')).toBe(0.05);
    expect(model.weights.size).toBe(7);
    for (const name of model.weights.keys()) expect(ALPHA158_NAMES).toContain(name);
  });

  it('reports a missing file and invalid JSON with the path', async () => {
    const missing = join(scratch, 'absent.json');
    await expect(loadModel(missing)).rejects.toThrow(/absent\.json: invalid model: cannot read file/);
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{"strategy": ');
    await expect(loadModel(broken)).rejects.toThrow(ModelError);
    await expect(loadModel(broken)).rejects.toThrow(/broken\.json: invalid model: not valid JSON/);
  });

  it('reports schema problems from a file, each with its path', async () => {
    const path = join(scratch, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...VALID, version: 'one', weights: { FOO: 1 } }));
    const error = await loadModel(path).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).problems).toEqual([
      'version: must be a semantic version such as 1.0.0',
      'weights.FOO: unknown feature FOO (not an Alpha158 name)',
    ]);
  });
});

describe('parseModel', () => {
  it('accepts a valid model and keeps weights in file order', () => {
    const model = parseModel(VALID);
    expect([...model.weights]).toEqual([['ROC5', 2], ['KMID', -1]]);
    expect(model.description).toBeUndefined();
  });

  it.each([
    [{ ...VALID, strategy: '' }, 'strategy: must not be empty'],
    [{ ...VALID, bias: 'x' }, 'bias: must be a number'],
    [{ ...VALID, bias: Number.POSITIVE_INFINITY }, 'bias: must be finite'],
    [{ ...VALID, weights: {} }, 'weights: must name at least one feature'],
    [{ ...VALID, weights: 'ROC5' }, 'weights: must be an object of feature name to weight'],
    [{ ...VALID, weights: { ROC5: '1' } }, 'weights.ROC5: must be a number'],
    [{ ...VALID, extra: true }, expect.stringMatching(/^extra: /)],
  ])('rejects %j', (input, problem) => {
    expect(problemsOf(input)).toEqual([problem]);
  });

  it('rejects a non-object and a missing field', () => {
    expect(problemsOf(null)).toHaveLength(1);
    const { bias: _bias, ...withoutBias } = VALID;
    expect(problemsOf(withoutBias)).toEqual([expect.stringMatching(/^bias: /)]);
  });
});

describe('score', () => {
  const model: LinearModel = parseModel(VALID);
  const features = computeAlpha158(
    Array.from({ length: 6 }, (_, i) => ({
      date: `2024-05-0${i + 1}`, open: 10, high: 12, low: 9, close: 10 + i, volume: 100, vwap: 10,
    })),
    5,
  );

  it('is bias plus weight x feature', () => {
    // ROC5 = 10 / 15, KMID = (15 - 10) / 10.
    expect(score(model, features)).toBeCloseTo(0.5 + 2 * (10 / 15) - 1 * 0.5, 12);
  });

  it('counts a NaN feature as 0', () => {
    expect(score(model, { ...features, ROC5: Number.NaN })).toBeCloseTo(0.5 - 0.5, 12);
  });

  it('rejects features that lack a weighted name', () => {
    expect(() => score(model, { KMID: 1 })).toThrow(/features lack 'ROC5'/);
  });
});
