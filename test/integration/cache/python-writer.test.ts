import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeFeatures, FeatureCache, RedisClient, type Features } from '../../../src/index.js';
import { keygen, waitFor } from '../../harness/index.js';
import { expectSameFeatures, getRaw, plainClient, type PlainClient } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';

function f64(features: Features, patch?: (bytes: Buffer) => void): Buffer {
  const bytes = encodeFeatures('f64', features);
  patch?.(bytes);
  return bytes;
}

/**
 * What other writers put under the cache's keys: the bytes exactly as CPython 3.11's
 * `json.dumps` writes each Python value (copied from its output), plus text a buggy writer
 * stores, SDK f64 values damaged or of a newer version, and another binary format.
 */
const HITS: Record<string, [stored: string, expected: Features]> = {
  // json.dumps({"a": None, "b": 1.5}): pandas' missing value.
  NULL: ['{"a": null, "b": 1.5}', { a: NaN, b: 1.5 }],
  // json.dumps({"x": float("nan"), "y": float("inf"), "z": -float("inf"), "w": -0.0})
  TOKENS: ['{"x": NaN, "y": Infinity, "z": -Infinity, "w": -0.0}', { x: NaN, y: Infinity, z: -Infinity, w: -0 }],
  // json.dumps({"volume": 1200, "big": 10**30}): Python ints.
  INTS: ['{"volume": 1200, "big": 1000000000000000000000000000000}', { volume: 1200, big: 1e30 }],
  // Not what json.dumps writes, but what json.loads reads: out of range is float("inf").
  HUGE: ['{"a": 1e400, "b": -1e400}', { a: Infinity, b: -Infinity }],
};

/** Valid JSON (json.loads reads each) or another format: misses, counted, never deleted. */
const LEFT: Record<string, [stored: string | Buffer, kind: 'foreign' | 'unsupported']> = {
  STR: ['{"ret_1d": 0.0123, "sector": "tech"}', 'foreign'],
  BOOL: ['{"ret_1d": 0.0123, "is_etf": true}', 'foreign'],
  NESTED: ['{"ret_1d": 0.0123, "meta": {"src": "qlib", "v": 2}}', 'foreign'],
  LISTV: ['{"ret_1d": 0.0123, "window": [5, 20, 60]}', 'foreign'],
  NESTNAN: ['{"a": {"b": NaN}, "c": [Infinity]}', 'foreign'],
  TOPLIST: ['[1.5, null, NaN]', 'foreign'],
  TOPNUM: ['1.5', 'foreign'],
  TOPSTR: ['"features pending"', 'foreign'],
  TOPNULL: ['null', 'foreign'],
  // pickle.dumps({"a": 1.5}, protocol=4) starts 80 04 95: not UTF-8, so no JSON text at all.
  PICKLE: [Buffer.from('80049511000000000000007d948c016194473ff8000000000000732e', 'hex'), 'foreign'],
  F64NEWER: [f64({ a: 1, b: 2 }, (b) => (b[4] = 2)), 'unsupported'],
};

/** Bytes json.loads rejects, and damaged f64 values: misses, counted, deleted. */
const CORRUPT: Record<string, string | Buffer> = {
  TRUNCATED: '{"a": 1.5, "b": ',
  PYREPR: "{'a': 1.5, 'b': None}",
  LOWERNAN: '{"a": nan}',
  TRAILING: '{"a": null,}',
  EMPTY: '',
  F64FLAGS: f64({ a: 1, b: 2 }, (b) => (b[5] = 1)),
  F64SHORT: f64({ a: 1, b: 2 }).subarray(0, 20),
};

const SYMBOLS = [...Object.keys(HITS), ...Object.keys(LEFT), ...Object.keys(CORRUPT), 'ABSENT'];

describe('FeatureCache shares keys with a Python-shaped writer: reads what it can, deletes only what nobody can read', () => {
  let client: RedisClient;
  let python: PlainClient;

  beforeAll(async () => {
    const url = inject('redisUrl');
    client = await RedisClient.connect({ url });
    python = await plainClient(url);
  });
  afterAll(async () => {
    await client.close();
    await python.close();
  });

  /** A fresh cache whose keys the Python-shaped writer has just filled. */
  async function seeded(): Promise<FeatureCache> {
    const cache = new FeatureCache(client, { prefix: keygen('pyw').prefix });
    for (const [symbol, [stored]] of Object.entries(HITS)) await python.set(cache.key(symbol, DATE), stored);
    for (const [symbol, [stored]] of Object.entries(LEFT)) await python.set(cache.key(symbol, DATE), stored);
    for (const [symbol, stored] of Object.entries(CORRUPT)) await python.set(cache.key(symbol, DATE), stored);
    return cache;
  }

  /** Every corrupt key is deleted; every other key holds the writer's bytes, unchanged. */
  async function expectOnlyCorruptDeleted(cache: FeatureCache): Promise<void> {
    const corruptKeys = Object.keys(CORRUPT).map((s) => cache.key(s, DATE));
    await waitFor(async () => (await python.exists(corruptKeys)) === 0, { description: 'corrupt keys deleted' });
    for (const [symbol, [stored]] of [...Object.entries(HITS), ...Object.entries(LEFT)]) {
      const raw = await getRaw(python, cache.key(symbol, DATE));
      expect(raw?.equals(Buffer.from(stored)), `${symbol} left as written`).toBe(true);
    }
  }

  const counted = {
    hits: Object.keys(HITS).length,
    misses: Object.keys(LEFT).length + Object.keys(CORRUPT).length + 1,
    foreign: Object.values(LEFT).filter(([, kind]) => kind === 'foreign').length,
    unsupported: 1,
    corrupt: Object.keys(CORRUPT).length,
    errors: 0,
  };

  it('get: numbers, null as NaN, tokens and 1e400 are read; the rest are misses by kind; only corrupt keys are deleted', async () => {
    const cache = await seeded();
    for (const [symbol, [, expected]] of Object.entries(HITS)) expectSameFeatures(await cache.get(symbol, DATE), expected);
    for (const symbol of [...Object.keys(LEFT), ...Object.keys(CORRUPT), 'ABSENT']) expect(await cache.get(symbol, DATE), symbol).toBeNull();
    expect(cache.stats()).toMatchObject(counted);
    await expectOnlyCorruptDeleted(cache);
    // A second pass: the values left in place are still misses, counted again, still there.
    cache.resetStats();
    for (const symbol of Object.keys(LEFT)) expect(await cache.get(symbol, DATE)).toBeNull();
    expect(cache.stats()).toMatchObject({ foreign: counted.foreign, unsupported: 1, corrupt: 0, misses: Object.keys(LEFT).length });
    await expectOnlyCorruptDeleted(cache);
  });

  it('getMany: the same reads and counts in one MGET', async () => {
    const cache = await seeded();
    const got = await cache.getMany(SYMBOLS, DATE);
    expect([...got.keys()]).toEqual(SYMBOLS);
    for (const [symbol, [, expected]] of Object.entries(HITS)) expectSameFeatures(got.get(symbol), expected);
    for (const symbol of SYMBOLS.filter((s) => !(s in HITS))) expect(got.get(symbol), symbol).toBeNull();
    expect(cache.stats()).toMatchObject(counted);
    await expectOnlyCorruptDeleted(cache);
  });

  it('getMatrix: a foreign, unsupported or corrupt value is a miss row; null is a NaN cell of a found row', async () => {
    const cache = await seeded();
    const m = await cache.getMatrix(SYMBOLS, DATE, { names: ['a', 'b'] });
    const found = SYMBOLS.filter((_, i) => m.found[i]);
    // NULL and HUGE hold columns a and b; TOKENS and INTS are hits lacking them (rows left out).
    expect(found).toEqual(['NULL', 'HUGE']);
    expect([...(m.row('NULL') as Float64Array)]).toEqual([NaN, 1.5]);
    expect([...(m.row('HUGE') as Float64Array)]).toEqual([Infinity, -Infinity]);
    for (const symbol of Object.keys(LEFT)) expect(m.row(symbol)).toBeNull();
    expect(cache.stats()).toMatchObject(counted);
    await expectOnlyCorruptDeleted(cache);
  });

  it('the Python-shaped writer reads back every value the SDK left, byte for byte, after the SDK read them all', async () => {
    const cache = await seeded();
    await cache.getMany(SYMBOLS, DATE);
    await cache.getMatrix(SYMBOLS, DATE);
    for (const symbol of SYMBOLS) await cache.get(symbol, DATE);
    const keys = [...Object.keys(HITS), ...Object.keys(LEFT)].map((s) => cache.key(s, DATE));
    expect(await python.exists(keys)).toBe(keys.length);
    await expectOnlyCorruptDeleted(cache);
    expect(cache.stats().corrupt).toBe(Object.keys(CORRUPT).length);
  });

  it('read-or-compute never writes over another writer\'s value: it returns the computed vector and leaves the bytes; corrupt and absent keys are filled', async () => {
    const cache = await seeded();
    const computed = (symbols: string[]): Record<string, Features> => Object.fromEntries(symbols.map((s) => [s, { computed: 1 }]));
    const many = await cache.getManyOrCompute(SYMBOLS, DATE, computed);
    for (const symbol of [...Object.keys(LEFT), ...Object.keys(CORRUPT)]) expect(many.get(symbol)).toEqual({ computed: 1 });
    // Foreign and unsupported values stay exactly as their writer left them...
    await expectOnlyLeftUntouched(cache);
    // ...while the corrupt ones (deleted on read) were filled with the computed vector.
    for (const symbol of Object.keys(CORRUPT)) expect(await cache.get(symbol, DATE)).toEqual({ computed: 1 });
    const [leftSymbol] = Object.keys(LEFT) as [string];
    expect(await cache.getOrCompute(leftSymbol, DATE, () => ({ computed: 2 }))).toEqual({ computed: 2 });
    await expectOnlyLeftUntouched(cache);
  });

  async function expectOnlyLeftUntouched(cache: FeatureCache): Promise<void> {
    for (const [symbol, [stored]] of Object.entries(LEFT)) {
      const raw = await getRaw(python, cache.key(symbol, DATE));
      expect(raw?.equals(Buffer.from(stored)), `${symbol} left as written`).toBe(true);
    }
  }
});
