import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFeatures, type Features } from '../../../src/cache/codecs/index.js';
import { decodeByTemplate } from '../../../src/cache/codecs/python-json-template.js';
import { FeatureReads } from '../../../src/cache/reads.js';
import { InvalidKeyError } from '../../../src/internal/errors.js';
import { expectSameFeatures, SPECIAL_VALUES } from '../../harness/cache/codecs.js';
import { testContext, type TestContext } from '../../harness/cache/context.js';

const DATE = '2025-01-17';

/** A JSON value, an f64 value, a corrupt value of each format, and a miss. */
async function seed(ctx: TestContext): Promise<void> {
  await ctx.client.set(ctx.keys.key('J', DATE), encodeFeatures('json', SPECIAL_VALUES));
  await ctx.client.set(ctx.keys.key('F', DATE), encodeFeatures('f64', SPECIAL_VALUES));
  await ctx.client.set(ctx.keys.key('BADJ', DATE), '{"a": 1.0,}');
  await ctx.client.set(ctx.keys.key('BADF', DATE), encodeFeatures('f64', { a: 1 }).subarray(0, 20));
}

/** An f64 value of a version newer than this SDK reads. */
function newerF64(): Buffer {
  const bytes = encodeFeatures('f64', { a: 1 });
  bytes[4] = 2;
  return bytes;
}

/** Values another writer may put under the cache's keys, which this SDK does not read as vectors. */
const LEFT_IN_PLACE: ReadonlyArray<[symbol: string, value: string | Buffer, kind: 'foreign' | 'unsupported']> = [
  ['STR', '{"a": "x", "b": 1.5}', 'foreign'],
  ['BOOL', '{"a": true}', 'foreign'],
  ['NEST', '{"a": {"b": 1.0}}', 'foreign'],
  ['LIST', '[1.0, null]', 'foreign'],
  ['TOKS', '{"a": NaN, "b": [Infinity]}', 'foreign'],
  ['BIN', Buffer.from([0x80, 0x04, 0x95, 0xff]), 'foreign'],
  ['NEWER', newerF64(), 'unsupported'],
];

/** Reads `symbols` with one of the three methods; a matrix row that was not found reads as null. */
async function readWith(reads: FeatureReads, method: 'get' | 'getMany' | 'getMatrix', symbols: string[], names?: string[]): Promise<Array<Features | null>> {
  if (method === 'get') {
    const out: Array<Features | null> = [];
    for (const s of symbols) out.push(await reads.get(s, DATE));
    return out;
  }
  if (method === 'getMany') return [...(await reads.getMany(symbols, DATE)).values()];
  const m = await reads.getMatrix(symbols, DATE, names === undefined ? {} : { names });
  return symbols.map((s) => m.features(s));
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
    const got = await readWith(reads, method, symbols, Object.keys(SPECIAL_VALUES));
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

  it.each(['get', 'getMany', 'getMatrix'] as const)(
    '%s: foreign and unsupported values are misses, counted by kind, left in Redis, logged at warn once per kind',
    async (method) => {
      ctx = await testContext();
      for (const [symbol, value] of LEFT_IN_PLACE) await ctx.client.set(ctx.keys.key(symbol, DATE), value);
      await ctx.client.set(ctx.keys.key('OK', DATE), '{"a": 1.0, "b": 2.0}');
      const reads = new FeatureReads(ctx);
      const symbols = ['OK', ...LEFT_IN_PLACE.map(([symbol]) => symbol)];
      for (let round = 0; round < 2; round++) {
        const got = await readWith(reads, method, symbols, ['a', 'b']);
        expect(got).toEqual([{ a: 1, b: 2 }, ...LEFT_IN_PLACE.map(() => null)]);
      }
      const rounds = 2;
      expect(ctx.counters.snapshot()).toMatchObject({ hits: rounds, misses: rounds * 7, foreign: rounds * 6, unsupported: rounds, corrupt: 0, errors: 0 });
      // Never deleted: every value is still there, byte for byte, after the reads settle.
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const [symbol, value] of LEFT_IN_PLACE) {
        expect((await ctx.client.getBuffer(ctx.keys.key(symbol, DATE)))?.equals(Buffer.from(value)), symbol).toBe(true);
      }
      const warned = ctx.log.records.filter((r) => r.level === 'warn');
      expect(warned.map((r) => [r.msg, r.fields.key])).toEqual([
        ['foreign feature entry left in place (not a vector of numbers)', ctx.keys.key('STR', DATE)],
        ['unsupported feature entry left in place (newer f64 version)', ctx.keys.key('NEWER', DATE)],
      ]);
      expect(warned[0]?.fields.reason).toBe('feature "a" is a string, not a number');
      const debugged = ctx.log.records.filter((r) => r.level === 'debug').map((r) => r.fields.key);
      expect(debugged).toHaveLength(rounds * 7 - 2);
      expect(ctx.log.records.some((r) => r.msg === 'corrupt feature entry deleted')).toBe(false);
    },
  );

  it.each(['get', 'getMany', 'getMatrix'] as const)('%s: a null Python wrote reads as NaN, on the first read and on the template path, and stays', async (method) => {
    ctx = await testContext();
    // Names no other test uses, so the first read cannot take a template learned elsewhere.
    const text = `{"n_${method}": null, "x_${method}": 1.5, "y_${method}": NaN}`;
    const expected = { [`n_${method}`]: NaN, [`x_${method}`]: 1.5, [`y_${method}`]: NaN };
    await ctx.client.set(ctx.keys.key('NUL', DATE), text);
    const reads = new FeatureReads(ctx);
    expect(decodeByTemplate(text)).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      const [got] = await readWith(reads, method, ['NUL']);
      expectSameFeatures(got as Features, expected);
    }
    // The third read took the template path: the names were learned from the first two.
    expectSameFeatures(decodeByTemplate(text) as Features, expected);
    expect(ctx.counters.snapshot()).toMatchObject({ hits: 3, misses: 0, corrupt: 0, foreign: 0 });
    expect(await ctx.client.get(ctx.keys.key('NUL', DATE))).toBe(text);
  });

  it('a matrix row from a vector holding null is found, with NaN in that column', async () => {
    ctx = await testContext();
    await ctx.client.set(ctx.keys.key('A', DATE), '{"a": null, "b": 1.5}');
    await ctx.client.set(ctx.keys.key('B', DATE), encodeFeatures('f64', { a: 2, b: 3 }));
    await ctx.client.set(ctx.keys.key('C', DATE), '{"a": "x", "b": 1.5}');
    const m = await new FeatureReads(ctx).getMatrix(['A', 'B', 'C'], DATE, {});
    expect(m.names).toEqual(['a', 'b']);
    expect(m.found).toEqual([true, true, false]);
    expect([...m.values]).toEqual([NaN, 1.5, 2, 3, NaN, NaN]);
    expect(ctx.counters.snapshot()).toMatchObject({ hits: 2, misses: 1, foreign: 1 });
  });

  it('with a local tier: a foreign value is not held, and stays a miss on every read', async () => {
    ctx = await testContext({ local: true });
    await ctx.client.set(ctx.keys.key('S', DATE), '{"a": "x"}');
    const reads = new FeatureReads(ctx);
    expect(await reads.get('S', DATE)).toBeNull();
    expect(ctx.local!.get(ctx.keys.key('S', DATE))).toBeUndefined();
    expect([...(await reads.getMany(['S'], DATE)).values()]).toEqual([null]);
    expect(ctx.counters.snapshot()).toMatchObject({ foreign: 2, misses: 2, localHits: 0 });
    expect(await ctx.client.get(ctx.keys.key('S', DATE))).toBe('{"a": "x"}');
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
