import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCodec, type Features } from '../../../src/cache/codecs/index.js';
import { entriesOf, FeatureWrites, type WriteOptions, type WriteSettings } from '../../../src/cache/writes.js';
import { InvalidKeyError, ValidationError } from '../../../src/internal/errors.js';
import { testContext, type TestContext } from '../../harness/cache/context.js';

const DATE = '2025-01-17';
const SETTINGS: WriteSettings = { codec: getCodec('json'), ttlSeconds: 3600, maxValueBytes: 64 };

/** The issue paths of the ValidationError a call rejected with (fails if it did not). */
async function issuePaths(call: Promise<unknown>): Promise<string[]> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).issues.map((i) => i.path);
}

describe('FeatureWrites', () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx?.client.close();
    ctx = undefined;
  });

  it('set and setMany write with the cache TTL, or the per-call ttlSeconds (0: no expiry)', async () => {
    ctx = await testContext();
    const writes = new FeatureWrites(ctx, SETTINGS);
    expect(await writes.set('A', DATE, { a: 1 }, {})).toBe(true);
    expect(await writes.set('B', DATE, { a: 1 }, { ttlSeconds: 60 })).toBe(true);
    expect(await writes.setMany(DATE, { C: { a: 1 }, D: { a: 2 } }, { ttlSeconds: 0 })).toBe(true);
    const ttl = (s: string): Promise<number> => ctx!.client.ttl(ctx!.keys.key(s, DATE));
    expect(await ttl('A')).toBeGreaterThan(3500);
    expect(await ttl('B')).toBeGreaterThan(50);
    expect(await ttl('B')).toBeLessThanOrEqual(60);
    expect([await ttl('C'), await ttl('D')]).toEqual([-1, -1]);
    expect(await ctx.client.get(ctx.keys.key('D', DATE))).toBe('{"a": 2.0}');
    expect(ctx.counters.snapshot()).toMatchObject({ sets: 4, errors: 0 });
  });

  it('the deprecated per-call ttl still works; both names may be given only with one value', async () => {
    ctx = await testContext();
    const writes = new FeatureWrites(ctx, SETTINGS);
    expect(writes.ttlOf({})).toBe(3600);
    expect(writes.ttlOf({ ttl: 30 })).toBe(30);
    expect(writes.ttlOf({ ttlSeconds: 45 })).toBe(45);
    expect(writes.ttlOf({ ttlSeconds: 45, ttl: 45 })).toBe(45);
    expect(() => writes.ttlOf({ ttlSeconds: 45, ttl: 30 })).toThrow(/ttlSeconds \(45\) and its deprecated alias ttl \(30\) disagree/);
    expect(() => writes.ttlOf({ ttlSeconds: 0, ttl: 30 })).toThrow(ValidationError);
    expect(await writes.set('A', DATE, { a: 1 }, { ttl: 30 })).toBe(true);
    const ttl = await ctx.client.ttl(ctx.keys.key('A', DATE));
    expect(ttl).toBeGreaterThan(20);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('a bad per-call TTL is a ValidationError naming the option the caller used, before anything is sent', async () => {
    ctx = await testContext();
    const writes = new FeatureWrites(ctx, SETTINGS);
    const spies = (['set', 'setMany'] as const).map((m) => vi.spyOn(ctx!.client, m));
    const cases: Array<[WriteOptions, string]> = [
      [{ ttlSeconds: -1 }, 'ttlSeconds'],
      [{ ttlSeconds: 1.5 }, 'ttlSeconds'],
      [{ ttl: -1 }, 'ttl'],
      [{ ttl: Number.NaN }, 'ttl'],
      // Both names with different values: the conflict is reported under the new name.
      [{ ttlSeconds: -1, ttl: 5 }, 'ttlSeconds'],
      [{ ttlSeconds: 5, ttl: -1 }, 'ttlSeconds'],
    ];
    for (const [options, path] of cases) {
      expect(await issuePaths(writes.set('A', DATE, { a: 1 }, options)), JSON.stringify(options)).toEqual([path]);
      expect(await issuePaths(writes.setMany(DATE, { A: { a: 1 } }, options)), JSON.stringify(options)).toEqual([path]);
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('setMany is all or nothing: keys and values checked first, then sizes; oversized values are counted and logged', async () => {
    ctx = await testContext();
    const writes = new FeatureWrites(ctx, SETTINGS);
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i + 0.5]));
    const spies = (['set', 'setMany'] as const).map((m) => vi.spyOn(ctx!.client, m));
    await expect(writes.setMany(DATE, [['BIG', big], ['A:B', { a: 1 }]], {})).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(writes.setMany('2025-02-30', { A: { a: 1 } }, {})).rejects.toBeInstanceOf(InvalidKeyError);
    expect(ctx.counters.oversized).toBe(0);
    expect(await writes.setMany(DATE, [['OK', { a: 1 }], ['BIG', big], ['BIG2', big]], {})).toBe(false);
    expect(await writes.set('BIG', DATE, big, {})).toBe(false);
    expect(ctx.counters.oversized).toBe(3);
    expect(ctx.log.records.filter((r) => r.msg === 'feature vector too large; not written')).toHaveLength(3);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(await writes.setMany(DATE, [], {})).toBe(true);
  });

  it('a failed write is false and one counted error', async () => {
    ctx = await testContext();
    const writes = new FeatureWrites(ctx, SETTINGS);
    await ctx.client.close();
    expect(await writes.set('A', DATE, { a: 1 }, {})).toBe(false);
    expect(await writes.setMany(DATE, { A: { a: 1 }, B: { b: 1 } }, {})).toBe(false);
    expect(ctx.counters.snapshot()).toMatchObject({ errors: 2, sets: 0 });
  });

  it('drops written keys from the local tier before the write and again once it settled', async () => {
    ctx = await testContext({ local: true });
    const local = ctx.local!;
    const key = ctx.keys.key('A', DATE);
    local.fill(key, { a: 0 }, local.ticket());
    const writes = new FeatureWrites(ctx, SETTINGS);
    let ticketDuringWrite: ReturnType<typeof local.ticket> | undefined;
    const real = ctx.client.set.bind(ctx.client);
    vi.spyOn(ctx.client, 'set').mockImplementationOnce(async (...args) => {
      expect(local.get(key)).toBeUndefined();
      // A read that starts during the write fills the old value...
      ticketDuringWrite = local.ticket();
      local.fill(key, { a: 0 }, ticketDuringWrite);
      return real(...args);
    });
    expect(await writes.set('A', DATE, { a: 1 }, {})).toBe(true);
    // ...which the second drop removes.
    expect(local.get(key)).toBeUndefined();
  });
});

describe('entriesOf', () => {
  it('reads a Map, an object and an iterable of pairs, in order', () => {
    const pairs: Array<[string, Features]> = [
      ['B', { b: 1 }],
      ['A', { a: 1 }],
    ];
    expect(entriesOf(new Map(pairs))).toEqual(pairs);
    expect(entriesOf({ B: { b: 1 }, A: { a: 1 } })).toEqual(pairs);
    expect(entriesOf(pairs.values())).toEqual(pairs);
  });
});
