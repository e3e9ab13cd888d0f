import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCodec, type Features } from '../../../src/cache/codecs/index.js';
import { FeatureCompute } from '../../../src/cache/compute.js';
import { FeatureReads } from '../../../src/cache/reads.js';
import { FeatureWrites } from '../../../src/cache/writes.js';
import { ValidationError } from '../../../src/internal/errors.js';
import { testContext, type TestContext } from '../../harness/cache/context.js';

const DATE = '2025-01-17';

/** A promise that settles when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function parts(ctx: TestContext): { compute: FeatureCompute; reads: FeatureReads } {
  const reads = new FeatureReads(ctx);
  const writes = new FeatureWrites(ctx, { codec: getCodec('json'), ttlSeconds: 3600, maxValueBytes: 1 << 20 });
  return { compute: new FeatureCompute(ctx.keys, reads, writes), reads };
}

describe('FeatureCompute', () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx?.client.close();
    ctx = undefined;
  });

  it('getManyOrCompute joins a getOrCompute already computing a symbol, and computes only the others', async () => {
    ctx = await testContext();
    const { compute } = parts(ctx);
    const g = gate();
    const single = compute.getOrCompute('A', DATE, async () => (await g.promise, { v: 1 }), {});
    // Let the single flight start its read before the batch looks for misses.
    await vi.waitFor(() => expect(ctx!.counters.misses).toBe(1));
    const asked: string[][] = [];
    const batch = compute.getManyOrCompute(['A', 'B'], DATE, (missing) => (asked.push(missing), { B: { v: 2 } }), {});
    g.open();
    const out = await batch;
    expect(asked).toEqual([['B']]);
    expect([...out.entries()]).toEqual([
      ['A', { v: 1 }],
      ['B', { v: 2 }],
    ]);
    expect(await single).toEqual({ v: 1 });
  });

  it('a computeMissing result lacking a symbol rejects every caller with a ValidationError naming it, and writes nothing', async () => {
    ctx = await testContext();
    const { compute, reads } = parts(ctx);
    const err = await compute.getManyOrCompute(['A', 'B', 'C'], DATE, () => ({ B: { v: 2 } }), {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain('no features returned for A, C');
    expect([...(await reads.getMany(['A', 'B', 'C'], DATE)).values()]).toEqual([null, null, null]);
  });

  it('checks the per-call TTL before reading, and writes computed vectors with it', async () => {
    ctx = await testContext();
    const { compute } = parts(ctx);
    const spies = (['getBuffer', 'mgetBuffer'] as const).map((m) => vi.spyOn(ctx!.client, m));
    const work = vi.fn((): Features => ({ v: 1 }));
    await expect(compute.getOrCompute('A', DATE, work, { ttlSeconds: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(compute.getManyOrCompute(['A'], DATE, () => ({}), { ttl: 1.5 })).rejects.toBeInstanceOf(ValidationError);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(work).not.toHaveBeenCalled();
    await compute.getOrCompute('A', DATE, work, { ttlSeconds: 40 });
    await compute.getManyOrCompute(['B'], DATE, () => ({ B: { v: 2 } }), { ttl: 30 });
    expect(await ctx.client.ttl(ctx.keys.key('A', DATE))).toBeLessThanOrEqual(40);
    expect(await ctx.client.ttl(ctx.keys.key('A', DATE))).toBeGreaterThan(30);
    expect(await ctx.client.ttl(ctx.keys.key('B', DATE))).toBeLessThanOrEqual(30);
  });

  it('a cached vector is returned without computing', async () => {
    ctx = await testContext();
    const { compute } = parts(ctx);
    await ctx.client.set(ctx.keys.key('A', DATE), '{"v": 3.0}');
    const work = vi.fn((): Features => ({ v: 1 }));
    const workMany = vi.fn((): Record<string, Features> => ({ A: { v: 1 } }));
    expect(await compute.getOrCompute('A', DATE, work, {})).toEqual({ v: 3 });
    expect(await compute.getManyOrCompute(['A'], DATE, workMany, {})).toEqual(new Map([['A', { v: 3 }]]));
    expect(work).not.toHaveBeenCalled();
    expect(workMany).not.toHaveBeenCalled();
  });
});
