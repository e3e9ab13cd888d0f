import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFeatures, type Features } from '../../../src/cache/codecs/index.js';
import { FeatureReads } from '../../../src/cache/reads.js';
import { InvalidKeyError } from '../../../src/internal/errors.js';
import { expectSameFeatures, SPECIAL_VALUES } from '../../harness/cache/codecs.js';
import { testContext, type TestContext } from '../../harness/cache/context.js';

const DATE = '2025-01-17';

/** A JSON value, an f64 value, a corrupt value of each format, and a miss. */
async function seed(ctx: TestContext): Promise<void> {
  await ctx.client.set(ctx.keys.key('J', DATE), encodeFeatures('json', SPECIAL_VALUES));
  await ctx.client.set(ctx.keys.key('F', DATE), encodeFeatures('f64', SPECIAL_VALUES));
  await ctx.client.set(ctx.keys.key('BADJ', DATE), '{"a": "x"}');
  await ctx.client.set(ctx.keys.key('BADF', DATE), encodeFeatures('f64', { a: 1 }).subarray(0, 20));
}

describe('FeatureReads: one decoding step for get, getMany and getMatrix', () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx?.client.close();
    ctx = undefined;
  });

  it.each(['get', 'getMany', 'getMatrix'] as const)('%s: both formats decode, corrupt values of both are counted, logged and deleted', async (method) => {
    ctx = await testContext();
    await seed(ctx);
    const reads = new FeatureReads(ctx);
    const symbols = ['J', 'F', 'BADJ', 'BADF', 'NONE'];
    let got: Array<Features | null>;
    if (method === 'get') got = await Promise.all(symbols.map((s) => reads.get(s, DATE)));
    else if (method === 'getMany') got = [...(await reads.getMany(symbols, DATE)).values()];
    else {
      const m = await reads.getMatrix(symbols, DATE, { names: Object.keys(SPECIAL_VALUES) });
      got = symbols.map((s) => m.features(s));
      expect(m.found).toEqual([true, true, false, false, false]);
    }
    expectSameFeatures(got[0] as Features, SPECIAL_VALUES);
    expectSameFeatures(got[1] as Features, SPECIAL_VALUES);
    expect(got.slice(2)).toEqual([null, null, null]);
    expect(ctx.counters.snapshot()).toMatchObject({ hits: 2, misses: 3, corrupt: 2, errors: 0 });
    expect(ctx.log.records.filter((r) => r.msg === 'corrupt feature entry deleted').map((r) => r.fields.key)).toEqual([
      ctx.keys.key('BADJ', DATE),
      ctx.keys.key('BADF', DATE),
    ]);
    await vi.waitFor(async () => expect(await ctx!.client.get(ctx!.keys.key('BADF', DATE))).toBeNull());
    expect(await ctx.client.get(ctx.keys.key('BADJ', DATE))).toBeNull();
  });

  it('a failed read is a miss per key and one error, for each method', async () => {
    ctx = await testContext();
    const reads = new FeatureReads(ctx);
    await ctx.client.close();
    expect(await reads.get('A', DATE)).toBeNull();
    expect([...(await reads.getMany(['A', 'B'], DATE)).values()]).toEqual([null, null]);
    expect((await reads.getMatrix(['A', 'B', 'C'], DATE, {})).found).toEqual([false, false, false]);
    expect(ctx.counters.snapshot()).toMatchObject({ hits: 0, misses: 6, errors: 3 });
    expect(ctx.log.records.every((r) => r.msg === 'feature read failed; treating as a miss')).toBe(true);
  });

  it('bad symbols and dates reject before anything is sent', async () => {
    ctx = await testContext();
    const reads = new FeatureReads(ctx);
    const spies = (['getBuffer', 'mgetBuffer'] as const).map((m) => vi.spyOn(ctx!.client, m));
    await expect(reads.get('A:B', DATE)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(reads.getMany(['A', 'A*'], DATE)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(reads.getMatrix(['A'], '2025-02-30', {})).rejects.toBeInstanceOf(InvalidKeyError);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('with a local tier: vectors read are frozen and fill the tier; held ones are served without a round trip', async () => {
    ctx = await testContext({ local: true });
    await seed(ctx);
    const reads = new FeatureReads(ctx);
    const first = await reads.getMany(['J', 'F'], DATE);
    for (const v of first.values()) expect(Object.isFrozen(v)).toBe(true);
    const mget = vi.spyOn(ctx.client, 'mgetBuffer');
    const again = await reads.getMany(['F', 'J'], DATE);
    expect(mget).not.toHaveBeenCalled();
    expect(again.get('F')).toBe(first.get('F'));
    expect(await reads.get('J', DATE)).toBe(first.get('J'));
    const m = await reads.getMatrix(['J', 'NONE', 'F'], DATE, {});
    expect(m.found).toEqual([true, false, true]);
    expect(mget).toHaveBeenCalledTimes(1);
    expect(mget.mock.calls[0]?.[0]).toEqual([ctx.keys.key('NONE', DATE)]);
    expect(ctx.counters.snapshot()).toMatchObject({ hits: 7, localHits: 5, misses: 1 });
  });

  it('an invalidation during a read keeps its value out of the local tier', async () => {
    ctx = await testContext({ local: true });
    await seed(ctx);
    const reads = new FeatureReads(ctx);
    const key = ctx.keys.key('J', DATE);
    const real = ctx.client.getBuffer.bind(ctx.client);
    vi.spyOn(ctx.client, 'getBuffer').mockImplementationOnce(async (k) => {
      const value = await real(k);
      ctx!.local!.invalidate(key);
      return value;
    });
    expect(await reads.get('J', DATE)).not.toBeNull();
    expect(ctx.local!.get(key)).toBeUndefined();
  });
});
