import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmbeddedClient } from '../../../src/embedded.js';
import { WARM_DEFAULTS, type WarmCompute, type WarmProgress } from '../../../src/cache/warm.js';
import { FeatureCache, InvalidKeyError, RedisTimeoutError, ValidationError, type Features, type RedisClient, type WarmOptions } from '../../../src/index.js';
import { recordingLogger } from '../../harness/cache/context.js';

const DATES = ['2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16', '2025-01-17', '2025-01-20'];

/** A promise that settles when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** The vector the tests compute for a symbol on a date. */
function vectorOf(symbol: string, date: string): Features {
  return { v: symbol.length + Number(date.slice(8)), d: Number(date.slice(5, 7)) };
}

/** A compute that records each call and returns {@link vectorOf} for every symbol it is given. */
function recordingCompute(): { calls: Array<[string, string[]]>; compute: WarmCompute } {
  const calls: Array<[string, string[]]> = [];
  return { calls, compute: (date, symbols) => (calls.push([date, [...symbols]]), new Map(symbols.map((s) => [s, vectorOf(s, date)]))) };
}

describe('FeatureCache.warm', () => {
  let client: RedisClient;
  let cache: FeatureCache;

  beforeEach(async () => {
    client = await createEmbeddedClient().connect();
    cache = new FeatureCache(client, { prefix: 'w', ttlSeconds: 120 });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await client.close();
  });

  it('computes only the misses, one getMany per date, and counts like upstream HydrationResult', async () => {
    const [d1, d2, d3] = DATES as [string, string, string];
    await cache.setMany(d1, { A: { v: 1 }, BB: { v: 2 }, CCC: { v: 3 } }, { ttlSeconds: 0 });
    await cache.set('BB', d2, { v: 9 }, { ttlSeconds: 0 });
    const mget = vi.spyOn(client, 'mgetBuffer');
    const { calls, compute } = recordingCompute();
    const report = await cache.warm({ symbols: ['A', 'BB', 'CCC'], dates: [d1, d2, d3], compute });
    expect(report).toEqual({ datesAttempted: 3, datesSucceeded: 3, datesFailed: 0, cached: 5, skipped: 4, stopped: null });
    expect(mget).toHaveBeenCalledTimes(3);
    // A fully cached date is never computed; the others only for their misses, in input order.
    expect(calls).toEqual([
      [d2, ['A', 'CCC']],
      [d3, ['A', 'BB', 'CCC']],
    ]);
    expect(await cache.get('BB', d2)).toEqual({ v: 9 });
    expect(await cache.get('A', d2)).toEqual(vectorOf('A', d2));
    expect(await cache.get('CCC', d3)).toEqual(vectorOf('CCC', d3));
    // Written with the cache's TTL; what was cached before keeps its own.
    const ttl = await client.ttl(cache.key('A', d3));
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await client.ttl(cache.key('A', d1))).toBe(-1);
  });

  it("computes over another writer's value but never writes it, counting it neither cached nor skipped", async () => {
    const [d1] = DATES as [string];
    await client.set(cache.key('A', d1), '{"a": "text"}');
    const { compute } = recordingCompute();
    const report = await cache.warm({ symbols: ['A', 'BB'], dates: [d1], compute });
    expect(report).toEqual({ datesAttempted: 1, datesSucceeded: 1, datesFailed: 0, cached: 1, skipped: 0, stopped: null });
    expect(await client.get(cache.key('A', d1))).toBe('{"a": "text"}');
    expect(await cache.get('BB', d1)).toEqual(vectorOf('BB', d1));
  });

  it('counts a date whose compute throws, omits a symbol or returns a bad vector as failed, writes nothing for it, and never rejects', async () => {
    const [d1, d2, d3, d4] = DATES as [string, string, string, string];
    const log = recordingLogger();
    cache = new FeatureCache(client, { prefix: 'w', logger: log });
    await cache.set('A', d4, { v: 1 });
    const boom = new Error('model exploded');
    const compute: WarmCompute = (date, symbols) => {
      if (date === d1) throw boom;
      if (date === d2) return { A: { v: 1 } };
      if (date === d3) return Object.fromEntries(symbols.map((s) => [s, { v: 'x' as unknown as number }]));
      return Object.fromEntries(symbols.map((s) => [s, vectorOf(s, date)]));
    };
    const progress: WarmProgress[] = [];
    const report = await cache.warm({ symbols: ['A', 'B'], dates: [d1, d2, d3, d4], compute, concurrency: 1, onProgress: (p) => void progress.push(p) });
    expect(report).toEqual({ datesAttempted: 4, datesSucceeded: 1, datesFailed: 3, cached: 1, skipped: 1, stopped: null });
    for (const date of [d1, d2, d3]) expect([...(await cache.getMany(['A', 'B'], date)).values()]).toEqual([null, null]);
    expect(await cache.get('B', d4)).toEqual(vectorOf('B', d4));
    expect(progress.map((p) => [p.date, p.status, p.cached, p.skipped, p.datesDone, p.datesTotal])).toEqual([
      [d1, 'failed', 0, 0, 1, 4],
      [d2, 'failed', 0, 0, 2, 4],
      [d3, 'failed', 0, 0, 3, 4],
      [d4, 'succeeded', 1, 1, 4, 4],
    ]);
    expect(progress[0]?.error).toBe(boom);
    expect(progress[1]?.error).toBeInstanceOf(ValidationError);
    expect(String((progress[1]?.error as Error).message)).toContain('no features returned for B');
    expect(progress[2]?.error).toBeInstanceOf(ValidationError);
    expect('error' in (progress[3] as WarmProgress)).toBe(false);
    const failures = log.records.filter((r) => r.msg === 'feature warm: date failed');
    expect(failures.map((r) => r.fields.date)).toEqual([d1, d2, d3]);
    expect(failures[0]?.fields.err).toBe('model exploded');
  });

  it('never has more than `concurrency` dates in flight, and keeps that many busy', async () => {
    const gates = new Map(DATES.map((d) => [d, gate()]));
    let inFlight = 0;
    let most = 0;
    const compute: WarmCompute = async (date, symbols) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await gates.get(date)?.promise;
      inFlight--;
      return Object.fromEntries(symbols.map((s) => [s, vectorOf(s, date)]));
    };
    const mget = vi.spyOn(client, 'mgetBuffer');
    const warming = cache.warm({ symbols: ['A', 'B'], dates: DATES, compute, concurrency: 2 });
    await vi.waitFor(() => expect(inFlight).toBe(2));
    // Only the first two dates were even read.
    expect(mget).toHaveBeenCalledTimes(2);
    gates.get(DATES[1] as string)?.open();
    await vi.waitFor(() => expect(mget).toHaveBeenCalledTimes(3));
    await vi.waitFor(() => expect(inFlight).toBe(2));
    for (const g of gates.values()) g.open();
    expect(await warming).toMatchObject({ datesAttempted: 6, datesSucceeded: 6, cached: 12, skipped: 0 });
    expect(most).toBe(2);
    expect(WARM_DEFAULTS.concurrency).toBe(4);
  });

  it('runs at most 4 dates at once by default', async () => {
    const g = gate();
    let started = 0;
    const warming = cache.warm({
      symbols: ['A'],
      dates: DATES,
      compute: async (date, symbols) => (started++, await g.promise, Object.fromEntries(symbols.map((s) => [s, vectorOf(s, date)]))),
    });
    await vi.waitFor(() => expect(started).toBe(4));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toBe(4);
    g.open();
    expect((await warming).datesSucceeded).toBe(6);
  });

  it('stops at timeoutMs: dates not started are not attempted, dates in flight count as failed and still finish in the background', async () => {
    const g = gate();
    const signals: AbortSignal[] = [];
    const mget = vi.spyOn(client, 'mgetBuffer');
    const progress: WarmProgress[] = [];
    const started = Date.now();
    const report = await cache.warm({
      symbols: ['A', 'B'],
      dates: DATES,
      concurrency: 2,
      timeoutMs: 50,
      compute: async (date, symbols, signal) => {
        signals.push(signal);
        await g.promise;
        return Object.fromEntries(symbols.map((s) => [s, vectorOf(s, date)]));
      },
      onProgress: (p) => void progress.push(p),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report).toEqual({ datesAttempted: 2, datesSucceeded: 0, datesFailed: 2, cached: 0, skipped: 0, stopped: 'timeout' });
    expect(mget).toHaveBeenCalledTimes(2);
    expect(progress.map((p) => [p.date, p.status])).toEqual([
      [DATES[0], 'failed'],
      [DATES[1], 'failed'],
    ]);
    expect(progress[0]?.error).toBeInstanceOf(RedisTimeoutError);
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
    // The computations in flight are not cancelled: they finish and are written; the report stays as resolved.
    g.open();
    await vi.waitFor(async () => expect(await cache.get('B', DATES[1] as string)).toEqual(vectorOf('B', DATES[1] as string)));
    expect(report.datesFailed).toBe(2);
    expect(progress).toHaveLength(2);
    expect(await cache.get('A', DATES[2] as string)).toBeNull();
  });

  it('stops when its signal aborts, reporting the dates done so far; the abort reason is the in-flight dates\' error', async () => {
    const controller = new AbortController();
    const g = gate();
    const progress: WarmProgress[] = [];
    const report = await cache.warm({
      symbols: ['A'],
      dates: DATES,
      concurrency: 1,
      signal: controller.signal,
      compute: async (date, symbols) => {
        if (date === DATES[1]) await g.promise;
        return Object.fromEntries(symbols.map((s) => [s, vectorOf(s, date)]));
      },
      onProgress: (p) => {
        progress.push(p);
        if (p.date === DATES[0]) setTimeout(() => controller.abort(new Error('shutting down')), 10);
      },
    });
    expect(report).toEqual({ datesAttempted: 2, datesSucceeded: 1, datesFailed: 1, cached: 1, skipped: 0, stopped: 'abort' });
    expect((progress[1]?.error as Error).message).toBe('shutting down');
    g.open();
  });

  it('with an already aborted signal attempts nothing and sends nothing', async () => {
    const mget = vi.spyOn(client, 'mgetBuffer');
    const compute = vi.fn(recordingCompute().compute);
    const report = await cache.warm({ symbols: ['A'], dates: DATES, compute, signal: AbortSignal.abort() });
    expect(report).toEqual({ datesAttempted: 0, datesSucceeded: 0, datesFailed: 0, cached: 0, skipped: 0, stopped: 'abort' });
    expect(mget).not.toHaveBeenCalled();
    expect(compute).not.toHaveBeenCalled();
  });

  it('a getOrCompute of a key the warm is computing joins it instead of computing again', async () => {
    const date = DATES[0] as string;
    const g = gate();
    let warmComputing = false;
    const warming = cache.warm({
      symbols: ['A', 'B'],
      dates: [date],
      compute: async (d, symbols) => ((warmComputing = true), await g.promise, Object.fromEntries(symbols.map((s) => [s, vectorOf(s, d)]))),
    });
    await vi.waitFor(() => expect(warmComputing).toBe(true));
    const reader = vi.fn((): Features => ({ v: -1 }));
    const read = cache.getOrCompute('A', date, reader);
    g.open();
    expect(await read).toEqual(vectorOf('A', date));
    expect(reader).not.toHaveBeenCalled();
    expect(await warming).toMatchObject({ datesSucceeded: 1, cached: 2, skipped: 0 });
  });

  it('joins a getOrCompute already computing a symbol, computes only the others, and counts the joined one as skipped', async () => {
    const date = DATES[0] as string;
    const g = gate();
    let readerComputing = false;
    const read = cache.getOrCompute('A', date, async () => ((readerComputing = true), await g.promise, { v: 42 }));
    await vi.waitFor(() => expect(readerComputing).toBe(true));
    const { calls, compute } = recordingCompute();
    const warming = cache.warm({ symbols: ['A', 'B', 'C'], dates: [date], compute });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    g.open();
    expect(await warming).toEqual({ datesAttempted: 1, datesSucceeded: 1, datesFailed: 0, cached: 2, skipped: 1, stopped: null });
    expect(calls).toEqual([[date, ['B', 'C']]]);
    expect(await read).toEqual({ v: 42 });
    expect(await cache.get('A', date)).toEqual({ v: 42 });
  });

  it('warms each distinct symbol and date once; no symbols or no dates attempt nothing, as upstream', async () => {
    const { calls, compute } = recordingCompute();
    const [d1, d2] = DATES as [string, string];
    const progress: WarmProgress[] = [];
    const report = await cache.warm({ symbols: ['A', 'B', 'A'], dates: [d1, d2, d1], compute, onProgress: (p) => void progress.push(p) });
    expect(report).toMatchObject({ datesAttempted: 2, datesSucceeded: 2, cached: 4, skipped: 0 });
    expect(calls.map(([d, s]) => [d, s])).toEqual([
      [d1, ['A', 'B']],
      [d2, ['A', 'B']],
    ]);
    expect(progress.map((p) => p.datesTotal)).toEqual([2, 2]);
    const mget = vi.spyOn(client, 'mgetBuffer');
    const none = { datesAttempted: 0, datesSucceeded: 0, datesFailed: 0, cached: 0, skipped: 0, stopped: null };
    expect(await cache.warm({ symbols: [], dates: DATES, compute })).toEqual(none);
    expect(await cache.warm({ symbols: ['A'], dates: [], compute })).toEqual(none);
    expect(mget).not.toHaveBeenCalled();
  });

  it('an onProgress that throws is logged and ignored', async () => {
    const log = recordingLogger();
    cache = new FeatureCache(client, { prefix: 'w', logger: log });
    const report = await cache.warm({
      symbols: ['A'],
      dates: DATES.slice(0, 2),
      compute: recordingCompute().compute,
      onProgress: () => {
        throw new Error('dashboard down');
      },
    });
    expect(report).toMatchObject({ datesSucceeded: 2, datesFailed: 0 });
    expect(log.records.filter((r) => r.msg === 'feature warm: onProgress threw; ignored')).toHaveLength(2);
  });

  it.each<[string, Partial<WarmOptions>, string]>([
    ['symbols', { symbols: 'AAPL' as unknown as string[] }, 'symbols'],
    ['dates', { dates: undefined as unknown as string[] }, 'dates'],
    ['compute', { compute: 'f' as unknown as WarmCompute }, 'compute'],
    ['concurrency 0', { concurrency: 0 }, 'concurrency'],
    ['concurrency 1.5', { concurrency: 1.5 }, 'concurrency'],
    ['timeoutMs 0', { timeoutMs: 0 }, 'timeoutMs'],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['timeoutMs beyond a timer', { timeoutMs: 2 ** 31 }, 'timeoutMs'],
    ['signal', { signal: {} as AbortSignal }, 'signal'],
    ['onProgress', { onProgress: 1 as unknown as () => void }, 'onProgress'],
  ])('rejects a bad %s with a ValidationError naming the option, before sending anything', async (_name, bad, path) => {
    const mget = vi.spyOn(client, 'mgetBuffer');
    const err = await cache.warm({ symbols: ['A'], dates: DATES, compute: recordingCompute().compute, ...bad }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual([path]);
    expect(mget).not.toHaveBeenCalled();
  });

  it('lists every bad option at once, and rejects a bad symbol or date with InvalidKeyError before sending anything', async () => {
    const mget = vi.spyOn(client, 'mgetBuffer');
    const compute = recordingCompute().compute;
    const err = await cache.warm({ symbols: ['A'], dates: DATES, compute, concurrency: -1, timeoutMs: -1 }).catch((e: unknown) => e);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['concurrency', 'timeoutMs']);
    await expect(cache.warm({ symbols: ['A', 'BAD SYMBOL'], dates: DATES, compute })).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(cache.warm({ symbols: ['A'], dates: ['2025-02-29'], compute })).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(cache.warm(null as unknown as WarmOptions)).rejects.toBeInstanceOf(ValidationError);
    expect(mget).not.toHaveBeenCalled();
  });
});
