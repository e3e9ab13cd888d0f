import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeFeatures, FeatureCache, FeatureMatrix, InvalidKeyError, RedisClient, ValidationError, type Features, type Logger, type MatrixOptions } from '../../../src/index.js';
import { keygen, useRedisServer, waitFor } from '../../harness/index.js';
import { alpha158Names, callDelta, commandCalls, fixtureBytes, plainClient, type PlainClient } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';
const SPECIAL: Features = { nan: NaN, inf: Infinity, ninf: -Infinity, nzero: -0, sub: 5e-324, max: Number.MAX_VALUE, x: 0.1 };

/** A value's identity as text, `-0` apart from `0` and NaN as itself. */
function tags(values: ArrayLike<number>): string[] {
  return Array.from(values, (v) => (Object.is(v, -0) ? '-0' : String(v)));
}

/** The row a vector should give for `columns`. */
function expectedRow(features: Features, columns: readonly string[]): string[] {
  return tags(columns.map((c) => features[c] as number));
}

/** A logger that records warnings (the components log through `child`, which returns itself). */
function silentLogger(): Logger & { warn: ReturnType<typeof vi.fn> } {
  const noop = (): void => undefined;
  const logger = { debug: noop, info: noop, warn: vi.fn(), error: noop, child: () => logger };
  return logger;
}

describe('FeatureCache.getMatrix on a dedicated server', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  let writer: PlainClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url });
    writer = await plainClient(redis.url);
  });
  afterAll(async () => {
    await client.close();
    await writer.close();
  });

  it('reads f64 vectors into rows in input order with one MGET; misses are NaN rows, not found', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('mx').prefix, codec: 'f64' });
    const names = alpha158Names();
    const vectors = new Map<string, Features>();
    for (let s = 0; s < 40; s++) {
      const v: Features = {};
      names.forEach((n, j) => (v[n] = s % 7 === 0 && j % 11 === 0 ? NaN : (s + 1) * 1000 + j / 7));
      if (s % 5 !== 0) vectors.set(`S${s}`, v);
    }
    vectors.set('SPX', { ...Object.fromEntries(names.map((n) => [n, 0])), KMID: -0, KLEN: 5e-324, KSFT: -Infinity });
    expect(await cache.setMany(DATE, vectors)).toBe(true);

    const symbols = ['SPX', ...Array.from({ length: 40 }, (_, s) => `S${s}`)];
    const before = await commandCalls(redis.server);
    const m = await cache.getMatrix(symbols, DATE);
    expect(callDelta(before, await commandCalls(redis.server))).toEqual({ mget: 1 });

    expect(m).toBeInstanceOf(FeatureMatrix);
    expect(m.symbols).toEqual(symbols);
    expect(m.names).toEqual(names);
    expect(m.columns).toBe(158);
    expect(m.values).toBeInstanceOf(Float64Array);
    expect(m.values.length).toBe(symbols.length * 158);
    symbols.forEach((symbol, i) => {
      const v = vectors.get(symbol);
      expect(m.found[i], symbol).toBe(v !== undefined);
      const row = m.values.subarray(i * 158, (i + 1) * 158);
      if (v === undefined) {
        expect(row.every(Number.isNaN), symbol).toBe(true);
        expect(m.row(symbol)).toBeNull();
        expect(m.features(symbol)).toBeNull();
      } else {
        expect(tags(row), symbol).toEqual(expectedRow(v, names));
        expect(tags(m.row(symbol) as Float64Array)).toEqual(expectedRow(v, names));
        expect(m.features(symbol)).toEqual(v);
      }
    });
    expect(m.row('NOT-ASKED')).toBeNull();
    // A row is a view: no copy.
    expect((m.row('SPX') as Float64Array).buffer).toBe(m.values.buffer);
    expect(cache.stats()).toMatchObject({ hits: vectors.size, misses: symbols.length - vectors.size, corrupt: 0, errors: 0 });
  });

  it('takes the columns asked for, in their order, from f64 values of any layout and from JSON values', async () => {
    const prefix = keygen('mx').prefix;
    const f64 = new FeatureCache(client, { prefix, codec: 'f64' });
    const json = new FeatureCache(client, { prefix, codec: 'json' });
    const a = { x: 1.5, nzero: -0, nan: NaN, extra: 7 };
    const b = { nan: NaN, extra: 8, nzero: 2, x: 3 }; // another order
    const c = { x: 4, nzero: 5, nan: 6 }; // JSON
    await f64.set('A', DATE, a);
    await f64.set('B', DATE, b);
    await json.set('C', DATE, c);
    await writer.set(`${prefix}:PY:${DATE}`, fixtureBytes('AAPL-2025-01-17.python-json.txt'));
    const columns = ['nan', 'x', 'nzero'];
    const m = await f64.getMatrix(['C', 'B', 'A', 'Z'], DATE, { names: columns });
    expect(m.names).toEqual(columns);
    expect(m.found).toEqual([true, true, true, false]);
    expect(tags(m.row('A') as Float64Array)).toEqual(expectedRow(a, columns));
    expect(tags(m.row('B') as Float64Array)).toEqual(expectedRow(b, columns));
    expect(tags(m.row('C') as Float64Array)).toEqual(expectedRow(c, columns));

    // Without names the first vector found sets the columns; here a JSON one written by Python.
    const aaplColumns = ['CORR60', 'KMID', 'VSUMD60'];
    const py = await json.getMatrix(['Z', 'PY'], DATE, { names: aaplColumns });
    const expected = await json.get('PY', DATE);
    expect(tags(py.row('PY') as Float64Array)).toEqual(expectedRow(expected as Features, aaplColumns));
    const all = await json.getMatrix(['Z', 'PY', 'A'], DATE);
    expect(all.names).toEqual(Object.keys(expected as Features));
    expect(all.found).toEqual([false, true, false]); // A lacks the Alpha158 columns
  });

  it('leaves out vectors that lack a column: counted as hits, logged once, rows NaN', async () => {
    const logger = silentLogger();
    const cache = new FeatureCache(client, { prefix: keygen('mx').prefix, codec: 'f64', logger });
    await cache.setMany(DATE, { A: { x: 1, y: 2 }, B: { x: 3 }, C: { y: 4, x: 5 } });
    const m = await cache.getMatrix(['A', 'B', 'C'], DATE, { names: ['x', 'y'] });
    expect(m.found).toEqual([true, false, true]);
    expect(tags(m.values)).toEqual(['1', '2', 'NaN', 'NaN', '5', '4']);
    expect(cache.stats()).toMatchObject({ hits: 3, misses: 0 });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatchObject({ symbols: ['B'], count: 1 });
  });

  it('corrupt values of either format are counted and deleted, foreign and newer-version ones counted and left; all their rows are NaN', async () => {
    const prefix = keygen('mx').prefix;
    const cache = new FeatureCache(client, { prefix, codec: 'f64', logger: silentLogger() });
    await cache.set('OK', DATE, SPECIAL);
    const good = encodeFeatures('f64', SPECIAL);
    const newer = Buffer.from(good);
    newer[4] = 9;
    const damaged = Buffer.from(good);
    damaged[6] = 1;
    await writer.set(`${prefix}:F:${DATE}`, newer);
    await writer.set(`${prefix}:D:${DATE}`, damaged);
    await writer.set(`${prefix}:J:${DATE}`, '{"x": "not a number"}');
    await writer.set(`${prefix}:B:${DATE}`, '{"x": 1.0,');
    await writer.set(`${prefix}:T:${DATE}`, good.subarray(0, good.length - 1));
    const m = await cache.getMatrix(['F', 'OK', 'D', 'J', 'B', 'T'], DATE);
    expect(m.names).toEqual(Object.keys(SPECIAL));
    expect(m.found).toEqual([false, true, false, false, false, false]);
    expect(tags(m.row('OK') as Float64Array)).toEqual(expectedRow(SPECIAL, Object.keys(SPECIAL)));
    expect(tags(m.values.subarray(0, m.columns))).toEqual(Object.keys(SPECIAL).map(() => 'NaN'));
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 5, corrupt: 3, foreign: 1, unsupported: 1 });
    const deleted = ['D', 'B', 'T'].map((s) => `${prefix}:${s}:${DATE}`);
    await waitFor(async () => (await writer.exists(deleted)) === 0, { description: 'corrupt values deleted' });
    expect(await writer.exists(['OK', 'F', 'J'].map((s) => `${prefix}:${s}:${DATE}`))).toBe(3);
  });

  it('with nothing found: no columns unless asked for, every row NaN', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('mx').prefix, codec: 'f64' });
    const none = await cache.getMatrix(['A', 'B'], DATE);
    expect(none.names).toEqual([]);
    expect(none.values.length).toBe(0);
    expect(none.found).toEqual([false, false]);
    const asked = await cache.getMatrix(['A', 'B'], DATE, { names: ['x', 'y'] });
    expect(tags(asked.values)).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
    const empty = await cache.getMatrix([], DATE);
    expect(empty.values.length).toBe(0);
    expect(empty.symbols).toEqual([]);
  });

  it('throws before sending anything for a bad symbol, date or names', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('mx').prefix });
    const before = await commandCalls(redis.server);
    await expect(cache.getMatrix(['AAPL', 'BAD:SYM'], DATE)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(cache.getMatrix(['AAPL'], '2025-02-30')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(cache.getMatrix(['AAPL'], DATE, { names: ['x', 'x'] })).rejects.toBeInstanceOf(ValidationError);
    await expect(cache.getMatrix(['AAPL'], DATE, { names: ['x', 3 as unknown as string] })).rejects.toThrow(/names\.1/);
    await expect(cache.getMatrix(['AAPL'], DATE, { names: 'x' as unknown as string[] })).rejects.toThrow(/names/);
    // A hole in a sparse array is a missing name, not one to skip.
    await expect(cache.getMatrix(['AAPL'], DATE, { names: new Array<string>(2) })).rejects.toThrow(/names\.0.*names\.1|names\.1/s);
    await expect(cache.getMatrix(['AAPL'], DATE, null as unknown as MatrixOptions)).rejects.toBeInstanceOf(ValidationError);
    // More columns than one Float64Array can hold, with names given: refused before anything is sent.
    const huge = { names: Array.from({ length: 2 ** 19 }, (_, i) => `c${i}`) };
    await expect(cache.getMatrix(Array.from({ length: 1100 }, () => 'AAPL'), DATE, huge)).rejects.toThrow(/more than the \d+ one matrix can hold/);
    expect(callDelta(before, await commandCalls(redis.server))).toEqual({});
  });

  it('with a local tier: serves held vectors, fills the tier, and follows another writer', async () => {
    const prefix = keygen('mx').prefix;
    const cache = new FeatureCache(client, { prefix, codec: 'f64', local: { maxEntries: 100 } });
    try {
      await waitFor(() => cache.localTierLive, { description: 'local tier live' });
      await cache.setMany(DATE, { A: { x: 1, y: 2 }, B: { x: 3, y: 4 } });
      const first = await cache.getMatrix(['A', 'B'], DATE);
      expect(tags(first.values)).toEqual(['1', '2', '3', '4']);
      const second = await cache.getMatrix(['A', 'B'], DATE);
      expect(tags(second.values)).toEqual(['1', '2', '3', '4']);
      expect(cache.stats().localHits).toBe(2);
      // Matrices are the caller's: changing one changes nothing held.
      second.values.fill(0);
      expect(tags((await cache.getMatrix(['A'], DATE)).values)).toEqual(['1', '2']);
      await writer.set(cache.key('A', DATE), encodeFeatures('f64', { x: 10, y: 20 }));
      await waitFor(async () => (await cache.getMatrix(['A'], DATE)).values[0] === 10, { description: 'new value after invalidation' });
    } finally {
      await cache.close();
    }
  });

  it('Redis down: resolves with every row NaN and counts one error', async () => {
    const down = await RedisClient.connect({ url: redis.url, commandTimeoutMs: 300, retry: { attempts: 1 } });
    const cache = new FeatureCache(down, { prefix: keygen('mx').prefix, logger: silentLogger() });
    await redis.server.kill();
    try {
      const m = await cache.getMatrix(['A', 'B'], DATE, { names: ['x'] });
      expect(m.found).toEqual([false, false]);
      expect(tags(m.values)).toEqual(['NaN', 'NaN']);
      expect(cache.stats()).toMatchObject({ errors: 1, misses: 2, hits: 0 });
    } finally {
      await redis.server.restart();
      await down.close();
    }
  });
});
