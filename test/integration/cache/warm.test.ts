import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient, type Features, type WarmCompute, type WarmProgress } from '../../../src/index.js';
import { keygen, useRedisServer, waitFor } from '../../harness/index.js';
import { callDelta, commandCalls, expectSameFeatures, getRaw, plainClient, vector, type PlainClient } from '../../harness/cache/helpers.js';

const SYMBOLS = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);
const DATES = ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09', '2025-01-10', '2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16', '2025-01-17'];

/** The vector of a symbol on a date (distinct for every pair). */
function vectorOf(symbol: string, date: string): Features {
  return vector(Number(symbol.slice(1)) * 100 + Number(date.slice(8)));
}

/** A gate the test opens. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('FeatureCache.warm on a real Redis', () => {
  // A server of its own, so INFO commandstats counts only this file's commands.
  const redis = useRedisServer();
  let client: RedisClient;
  let plain: PlainClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url });
    plain = await plainClient(redis.url);
  });
  afterAll(async () => {
    await plain.quit();
    await client.close();
  });

  it('warms 20 symbols x 10 dates with some pre-cached: one MGET per date, computes only the misses, and reports like HydrationResult', async () => {
    const { prefix } = keygen('warm');
    const cache = new FeatureCache(client, { prefix, ttlSeconds: 600 });
    // Pre-cached by a Python-shaped writer: date 0 complete, dates 1-4 the first five symbols each.
    const python = (symbol: string, date: string): string =>
      `{${Object.entries(vectorOf(symbol, date))
        .map(([k, v]) => `"${k}": ${Number.isInteger(v) ? v.toFixed(1) : String(v)}`)
        .join(', ')}}`;
    let preCached = 0;
    for (const [d, date] of DATES.entries()) {
      const symbols = d === 0 ? SYMBOLS : d <= 4 ? SYMBOLS.slice(0, 5) : [];
      for (const symbol of symbols) {
        await plain.set(`${prefix}:${symbol}:${date}`, python(symbol, date));
        preCached++;
      }
    }
    expect(preCached).toBe(40);

    const asked: Array<[string, string[]]> = [];
    const compute: WarmCompute = async (date, missing) => {
      asked.push([date, missing]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Map(missing.map((s) => [s, vectorOf(s, date)]));
    };
    const progress: WarmProgress[] = [];
    const before = await commandCalls(redis.server);
    const report = await cache.warm({ symbols: SYMBOLS, dates: DATES, compute, concurrency: 3, timeoutMs: 30_000, onProgress: (p) => void progress.push(p) });
    const delta = callDelta(before, await commandCalls(redis.server));

    expect(report).toEqual({ datesAttempted: 10, datesSucceeded: 10, datesFailed: 0, cached: 160, skipped: 40, stopped: null });
    // One MGET per date, and one SET per computed vector (setMany's pipeline), nothing else.
    expect(delta).toEqual({ mget: 10, set: 160 });
    expect(asked.map(([date]) => date).sort()).toEqual(DATES.slice(1));
    for (const [date, missing] of asked) {
      expect(missing).toEqual(DATES.indexOf(date) <= 4 ? SYMBOLS.slice(5) : SYMBOLS);
    }
    expect(progress).toHaveLength(10);
    expect(progress.every((p) => p.status === 'succeeded' && p.cached + p.skipped === 20)).toBe(true);
    expect(progress.map((p) => p.datesDone)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // Redis holds every vector: the pre-cached ones byte for byte as written, the computed ones with the cache's TTL.
    for (const date of DATES) {
      const got = await cache.getMany(SYMBOLS, date);
      for (const symbol of SYMBOLS) expectSameFeatures(got.get(symbol), vectorOf(symbol, date));
    }
    expect((await getRaw(plain, `${prefix}:S00:${DATES[1]}`))?.toString()).toBe(python('S00', DATES[1] as string));
    expect(await plain.ttl(`${prefix}:S00:${DATES[1]}`)).toBe(-1);
    const ttl = await plain.ttl(`${prefix}:S19:${DATES[1]}`);
    expect(ttl).toBeGreaterThan(500);
    expect(ttl).toBeLessThanOrEqual(600);
    expect(await plain.keys(`${prefix}:*`)).toHaveLength(200);

    // A second warm finds everything cached: no computation, every symbol skipped.
    const again = await cache.warm({ symbols: SYMBOLS, dates: DATES, compute });
    expect(again).toEqual({ datesAttempted: 10, datesSucceeded: 10, datesFailed: 0, cached: 0, skipped: 200, stopped: null });
    expect(asked).toHaveLength(9);
  });

  it('a request reading while the warm computes joins the warm through the same cache (one computation per key)', async () => {
    const { prefix } = keygen('warm');
    const warmer = new FeatureCache(client, { prefix });
    const g = gate();
    let computing = false;
    const warming = warmer.warm({
      symbols: SYMBOLS,
      dates: DATES.slice(0, 1),
      compute: async (date, missing) => ((computing = true), await g.promise, new Map(missing.map((s) => [s, vectorOf(s, date)]))),
    });
    await waitFor(() => computing, { description: 'the warm computing' });
    let readerComputes = 0;
    const read = warmer.getManyOrCompute(SYMBOLS.slice(0, 3), DATES[0] as string, (missing) => {
      readerComputes += missing.length;
      return new Map(missing.map((s) => [s, { other: 1 }]));
    });
    g.open();
    const got = await read;
    expect(readerComputes).toBe(0);
    for (const symbol of SYMBOLS.slice(0, 3)) expectSameFeatures(got.get(symbol), vectorOf(symbol, DATES[0] as string));
    expect(await warming).toMatchObject({ datesSucceeded: 1, cached: 20, skipped: 0 });
  });

  it('stops at timeoutMs against a real server: the dates not started are never read, the in-flight ones land later', async () => {
    const { prefix } = keygen('warm');
    const cache = new FeatureCache(client, { prefix });
    const g = gate();
    const before = await commandCalls(redis.server);
    const report = await cache.warm({
      symbols: SYMBOLS.slice(0, 4),
      dates: DATES,
      concurrency: 2,
      timeoutMs: 100,
      compute: async (date, missing) => (await g.promise, new Map(missing.map((s) => [s, vectorOf(s, date)]))),
    });
    expect(report).toEqual({ datesAttempted: 2, datesSucceeded: 0, datesFailed: 2, cached: 0, skipped: 0, stopped: 'timeout' });
    expect(callDelta(before, await commandCalls(redis.server))).toEqual({ mget: 2 });
    g.open();
    await waitFor(async () => (await plain.keys(`${prefix}:*`)).length === 8, { description: 'the two in-flight dates written' });
    expect((await plain.keys(`${prefix}:*`)).sort()).toEqual(
      DATES.slice(0, 2)
        .flatMap((date) => SYMBOLS.slice(0, 4).map((s) => `${prefix}:${s}:${date}`))
        .sort(),
    );
  });
});
