import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeFeatures, encodeFeatures, FeatureCache, RedisClient, type Features } from '../../../src/index.js';
import { keygen } from '../../harness/index.js';
import { alpha158Names, expectSameFeatures, fixtureBytes, getRaw, plainClient, type PlainClient } from '../../harness/cache/helpers.js';

const AAPL = fixtureBytes('AAPL-2025-01-17.python-json.txt');
const SEED = fixtureBytes('seed-example.python-json.txt');
const WITH_NULL = fixtureBytes('with-null.python-json.txt');
const DATE = '2025-01-17';

function fixtureFeatures(bytes: Buffer): Features {
  const result = decodeFeatures(bytes);
  if (!result.ok) throw new Error(`fixture did not decode: ${result.reason}`);
  return result.features;
}

describe('FeatureCache wire compatibility with the Python services', () => {
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

  it('reads the vector Python wrote, every value exact: NaN, -0, 5e-324, ±Infinity, 158 names in order', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('wire').prefix });
    await python.set(cache.key('AAPL', DATE), AAPL);
    const got = await cache.get('AAPL', DATE);
    expect(got).not.toBeNull();
    const f = got as Features;
    expect(Object.keys(f)).toEqual(alpha158Names());
    expect(Number.isNaN(f.CORR60)).toBe(true);
    expect(Number.isNaN(f.CORD60)).toBe(true);
    expect(f.VSUMD60).toBe(Infinity);
    expect(f.VSUMN60).toBe(-Infinity);
    expect(Object.is(f.KLOW2, -0)).toBe(true);
    expect(f.KUP2).toBe(5e-324);
    expect(f.KMID).toBe(1.0342340057801);
    expectSameFeatures(f, fixtureFeatures(AAPL));
  });

  it('reads the vector Python wrote from a dict holding None: null as NaN, by every read, and never deletes it', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('wire').prefix });
    const key = cache.key('NUL', DATE);
    await python.set(key, WITH_NULL);
    const expected = { ret_1d: 0.0123, vol_20d: NaN, ma_5: 151.2, rsv_60: NaN };
    // Three reads each: the first ones learn the names, the later ones take the template path.
    for (let i = 0; i < 3; i++) {
      expectSameFeatures(await cache.get('NUL', DATE), expected);
      expectSameFeatures((await cache.getMany(['NUL'], DATE)).get('NUL'), expected);
      expect([...((await cache.getMatrix(['NUL'], DATE)).row('NUL') ?? [])]).toEqual([0.0123, NaN, 151.2, NaN]);
    }
    expect(cache.stats()).toMatchObject({ hits: 9, misses: 0, corrupt: 0, foreign: 0 });
    expect((await getRaw(python, key))?.equals(WITH_NULL)).toBe(true);
  });

  it('reads through getMany and both codecs alike', async () => {
    const { prefix } = keygen('wire');
    await python.set(`${prefix}:AAPL:${DATE}`, AAPL);
    await python.set(`${prefix}:SEED:${DATE}`, SEED);
    for (const codec of ['json', 'f64'] as const) {
      const got = await new FeatureCache(client, { prefix, codec }).getMany(['SEED', 'AAPL'], DATE);
      expectSameFeatures(got.get('AAPL'), fixtureFeatures(AAPL));
      expect(got.get('SEED')).toEqual({ feature_1: 0.5, feature_2: 0.3 });
    }
  });

  it('writes with the json codec exactly the bytes Python json.dumps stores', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('wire').prefix, codec: 'json' });
    for (const [symbol, bytes] of [['AAPL', AAPL], ['SEED', SEED]] as const) {
      expect(await cache.set(symbol, DATE, fixtureFeatures(bytes))).toBe(true);
      const stored = await getRaw(python, cache.key(symbol, DATE));
      expect(stored).not.toBeNull();
      expect((stored as Buffer).equals(bytes)).toBe(true);
      expect((stored as Buffer).toString('latin1')).toBe(bytes.toString('latin1'));
    }
  });

  it('an f64 value is read by a json-codec cache and a json value by an f64-codec cache', async () => {
    const { prefix } = keygen('wire');
    const jsonCache = new FeatureCache(client, { prefix, codec: 'json' });
    const f64Cache = new FeatureCache(client, { prefix, codec: 'f64' });
    const v = fixtureFeatures(AAPL);
    await f64Cache.set('BIN', DATE, v);
    await jsonCache.set('TXT', DATE, v);
    const bin = await getRaw(python, f64Cache.key('BIN', DATE));
    expect(bin?.[0]).toBe(0);
    expect((bin as Buffer).equals(encodeFeatures('f64', v))).toBe(true);
    expect((await getRaw(python, jsonCache.key('TXT', DATE)))?.equals(AAPL)).toBe(true);
    expectSameFeatures(await jsonCache.get('BIN', DATE), v);
    expectSameFeatures(await f64Cache.get('TXT', DATE), v);
    const both = await jsonCache.getMany(['TXT', 'BIN'], DATE);
    expectSameFeatures(both.get('TXT'), v);
    expectSameFeatures(both.get('BIN'), v);
    expect(jsonCache.stats().corrupt + f64Cache.stats().corrupt).toBe(0);
  });
});
