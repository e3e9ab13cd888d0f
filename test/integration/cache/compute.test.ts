import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FeatureCache, RedisClient, ValidationError, type Features } from '../../../src/index.js';
import { keygen, waitFor } from '../../harness/index.js';
import { expectSameFeatures, vector } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';

/** A promise that settles when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Records every unhandled rejection while a test runs. */
function trackUnhandled(): { reasons: unknown[]; stop: () => void } {
  const reasons: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void reasons.push(reason);
  process.on('unhandledRejection', onUnhandled);
  return { reasons, stop: () => process.off('unhandledRejection', onUnhandled) };
}

/** Lets pending rejections be reported as unhandled (two macrotask turns). */
async function settleTurns(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('FeatureCache getOrCompute and getManyOrCompute', () => {
  let client: RedisClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: inject('redisUrl') });
  });
  afterAll(async () => {
    await client.close();
  });

  it('100 concurrent getOrCompute calls for one key compute once and all get the vector', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    let computes = 0;
    const g = gate();
    const compute = async (): Promise<Features> => {
      computes++;
      await g.promise;
      return vector(7);
    };
    const calls = Array.from({ length: 100 }, () => cache.getOrCompute('AAPL', DATE, compute));
    g.open();
    const results = await Promise.all(calls);
    expect(computes).toBe(1);
    for (const r of results) expectSameFeatures(r, vector(7));
    expectSameFeatures(await cache.get('AAPL', DATE), vector(7));
    expect(await cache.getOrCompute('AAPL', DATE, compute)).toEqual(vector(7));
    expect(computes).toBe(1);
  });

  it('a failing compute rejects every waiter, caches nothing, and the next call computes again', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    const boom = new Error('model exploded');
    let computes = 0;
    const g = gate();
    const failing = async (): Promise<Features> => {
      computes++;
      await g.promise;
      throw boom;
    };
    const calls = Array.from({ length: 100 }, () => cache.getOrCompute('AAPL', DATE, failing).then(() => 'resolved', (e: unknown) => e));
    g.open();
    const outcomes = await Promise.all(calls);
    expect(computes).toBe(1);
    expect(outcomes.every((o) => o === boom)).toBe(true);
    expect(await client.get(cache.key('AAPL', DATE))).toBeNull();
    expect(await cache.getOrCompute('AAPL', DATE, () => vector(1))).toEqual(vector(1));
  });

  it('getOrCompute with an invalid vector rejects with ValidationError and writes nothing', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    const bad = { a: 1, b: '2' } as unknown as Features;
    await expect(cache.getOrCompute('AAPL', DATE, () => bad)).rejects.toBeInstanceOf(ValidationError);
    expect(await client.get(cache.key('AAPL', DATE))).toBeNull();
  });

  it('getManyOrCompute keeps input order with cached and missing interleaved; computeMissing gets only the missing, once', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    await cache.set('B', DATE, vector(2));
    await cache.set('D', DATE, vector(4));
    const calls: string[][] = [];
    const out = await cache.getManyOrCompute(['A', 'B', 'C', 'D', 'E'], DATE, (missing) => {
      calls.push(missing);
      // Returned out of order on purpose: the result must still follow the input order.
      return new Map(missing.toReversed().map((s) => [s, vector(s.charCodeAt(0) - 64)]));
    });
    expect(calls).toEqual([['A', 'C', 'E']]);
    expect([...out.keys()]).toEqual(['A', 'B', 'C', 'D', 'E']);
    ['A', 'B', 'C', 'D', 'E'].forEach((s, i) => expectSameFeatures(out.get(s), vector(i + 1)));
    const stored = await cache.getMany(['A', 'C', 'E'], DATE);
    expectSameFeatures(stored.get('E'), vector(5));
    calls.length = 0;
    await cache.getManyOrCompute(['E', 'A'], DATE, (m) => (calls.push(m), {}));
    expect(calls).toEqual([]);
  });

  it('computeMissing may return an object or pairs', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    const fromObject = await cache.getManyOrCompute(['X', 'Y'], DATE, () => ({ Y: vector(2), X: vector(1) }));
    expect([...fromObject.keys()]).toEqual(['X', 'Y']);
    const fromPairs = await cache.getManyOrCompute(['P'], DATE, async () => [['P', vector(3)] as const]);
    expect(fromPairs.get('P')).toEqual(vector(3));
  });

  it('concurrent getManyOrCompute calls overlapping on symbols compute each symbol once', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    const computed = new Map<string, number>();
    const g = gate();
    const computeMissing = async (missing: string[]): Promise<Map<string, Features>> => {
      for (const s of missing) computed.set(s, (computed.get(s) ?? 0) + 1);
      await g.promise;
      return new Map(missing.map((s) => [s, vector(s.charCodeAt(0))]));
    };
    const groups = [['A', 'B', 'C'], ['B', 'C', 'D'], ['D', 'E', 'A'], ['A', 'B', 'C', 'D', 'E']];
    const runs = groups.map((g2) => cache.getManyOrCompute(g2, DATE, computeMissing));
    // Every call has read its 3 or 5 misses (and so joined or started its flights) and every
    // symbol is being computed before any computation may finish.
    await waitFor(() => cache.stats().misses === 14 && computed.size === 5, { intervalMs: 1, description: 'all calls in flight' });
    g.open();
    const results = await Promise.all(runs);
    expect(Object.fromEntries(computed)).toEqual({ A: 1, B: 1, C: 1, D: 1, E: 1 });
    results.forEach((r, i) => {
      expect([...r.keys()]).toEqual(groups[i]);
      for (const s of groups[i] as string[]) expectSameFeatures(r.get(s), vector(s.charCodeAt(0)));
    });
  });

  it('computeMissing omitting a symbol rejects every caller with ValidationError, leaves no unhandled rejection, caches nothing', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    const unhandled = trackUnhandled();
    try {
      const err: unknown = await cache
        .getManyOrCompute(['A', 'B', 'C', 'D'], DATE, (missing) => new Map(missing.filter((s) => s !== 'C').map((s) => [s, vector(1)])))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message + JSON.stringify((err as ValidationError).issues)).toContain('C');
      await settleTurns();
      expect(unhandled.reasons).toEqual([]);
    } finally {
      unhandled.stop();
    }
    const stored = await cache.getMany(['A', 'B', 'C', 'D'], DATE);
    expect([...stored.values()]).toEqual([null, null, null, null]);
  });

  it('a rejecting computeMissing rejects the call with its error and leaves no unhandled rejection', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('compute').prefix });
    await cache.set('B', DATE, vector(2));
    const boom = new Error('feature service down');
    const unhandled = trackUnhandled();
    try {
      await expect(
        cache.getManyOrCompute(['A', 'B', 'C', 'D'], DATE, () => Promise.reject(boom)),
      ).rejects.toBe(boom);
      await settleTurns();
      expect(unhandled.reasons).toEqual([]);
    } finally {
      unhandled.stop();
    }
    expect(await cache.getManyOrCompute(['A'], DATE, () => ({ A: vector(1) }))).toEqual(new Map([['A', vector(1)]]));
  });
});
