import { afterEach, describe, expect, it, vi } from 'vitest';
import { FeatureInvalidation, UNLINK_BATCH } from '../../../src/cache/invalidation.js';
import { InvalidKeyError } from '../../../src/internal/errors.js';
import { testContext, type TestContext } from '../../harness/cache/context.js';

const DATE = '2025-01-17';

async function keysLeft(ctx: TestContext): Promise<string[]> {
  const left: string[] = [];
  for await (const k of ctx.client.scan({ match: '*' })) left.push(k);
  return left.sort();
}

describe('FeatureInvalidation', () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx?.client.close();
    ctx = undefined;
  });

  it('invalidate, invalidateSymbol and invalidateDate delete exactly their keys, glob characters of the prefix escaped', async () => {
    ctx = await testContext({ prefix: 'p.x' });
    for (const s of ['A', 'AB', 'B']) for (const d of ['2025-01-16', DATE]) await ctx.client.set(ctx.keys.key(s, d), '{}');
    await ctx.client.set('pax:A:2025-01-16', 'x');
    const inv = new FeatureInvalidation(ctx);
    expect(await inv.invalidate('B', '2025-01-16')).toBe(true);
    expect(await inv.invalidate('B', '2025-01-16')).toBe(false);
    expect(await inv.invalidateSymbol('A')).toBe(2);
    expect(await inv.invalidateDate(DATE)).toBe(2);
    expect(await keysLeft(ctx)).toEqual(['p.x:AB:2025-01-16', 'pax:A:2025-01-16']);
  });

  it(`unlinks in batches of ${UNLINK_BATCH} and counts every key`, async () => {
    ctx = await testContext();
    const n = UNLINK_BATCH * 2 + 7;
    const found = Array.from({ length: n }, (_, i) => ctx!.keys.key(`S${i}`, DATE));
    // SCAN stubbed: the embedded server's SCAN skips keys deleted during the iteration, Redis does not.
    const scan = vi.spyOn(ctx.client, 'scan').mockImplementation(async function* () {
      yield* found;
    });
    const unlink = vi.spyOn(ctx.client, 'unlink').mockImplementation(async (keys) => keys.length);
    expect(await new FeatureInvalidation(ctx).invalidateDate(DATE)).toBe(n);
    expect(scan.mock.calls).toEqual([[{ match: `p:*:${DATE}`, count: 1000 }]]);
    expect(unlink.mock.calls.map(([keys]) => keys)).toEqual([found.slice(0, UNLINK_BATCH), found.slice(UNLINK_BATCH, 2 * UNLINK_BATCH), found.slice(2 * UNLINK_BATCH)]);
  });

  it('a Redis error is counted and logged; a bulk invalidation resolves the number deleted before it', async () => {
    ctx = await testContext();
    const found = Array.from({ length: UNLINK_BATCH + 3 }, (_, i) => ctx!.keys.key(`S${i}`, DATE));
    vi.spyOn(ctx.client, 'scan').mockImplementationOnce(async function* () {
      yield* found;
    });
    vi.spyOn(ctx.client, 'unlink')
      .mockImplementationOnce(async (keys) => keys.length)
      .mockImplementationOnce(() => Promise.reject(new Error('down')));
    const inv = new FeatureInvalidation(ctx);
    expect(await inv.invalidateDate(DATE)).toBe(UNLINK_BATCH);
    expect(ctx.counters.errors).toBe(1);
    expect(ctx.log.records.map((r) => r.msg)).toEqual(['bulk invalidation failed']);
    await ctx.client.close();
    expect(await inv.invalidate('A', DATE)).toBe(false);
    expect(await inv.invalidateSymbol('A')).toBe(0);
    expect(ctx.counters.errors).toBe(3);
  });

  it('bad symbols and dates reject before anything is sent', async () => {
    ctx = await testContext();
    const spies = (['del', 'unlink', 'scan'] as const).map((m) => vi.spyOn(ctx!.client, m));
    const inv = new FeatureInvalidation(ctx);
    await expect(inv.invalidate('A*', DATE)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(inv.invalidateSymbol('A?')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(inv.invalidateDate('2025-13-01')).rejects.toBeInstanceOf(InvalidKeyError);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('drops deleted keys from the local tier before the delete and again once it settled', async () => {
    ctx = await testContext({ local: true });
    const local = ctx.local!;
    const [a, b] = ['A', 'B'].map((s) => ctx!.keys.key(s, DATE)) as [string, string];
    for (const key of [a, b]) {
      await ctx.client.set(key, '{}');
      local.fill(key, { a: 0 }, local.ticket());
    }
    /** While the command is in flight: the key is gone, and a racing read fills the old value. */
    const racing = (key: string): void => {
      expect(local.get(key)).toBeUndefined();
      local.fill(key, { a: 0 }, local.ticket());
    };
    const del = ctx.client.del.bind(ctx.client);
    const unlink = ctx.client.unlink.bind(ctx.client);
    vi.spyOn(ctx.client, 'del').mockImplementation(async (...keys) => (racing(a), del(...keys)));
    vi.spyOn(ctx.client, 'unlink').mockImplementation(async (keys) => (racing(b), unlink(keys)));
    const inv = new FeatureInvalidation(ctx);
    expect(await inv.invalidate('A', DATE)).toBe(true);
    expect(local.get(a)).toBeUndefined();
    expect(await inv.invalidateSymbol('B')).toBe(1);
    expect(local.get(b)).toBeUndefined();
  });
});
