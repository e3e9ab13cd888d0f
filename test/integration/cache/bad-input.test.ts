import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, InvalidKeyError, RedisClient, ValidationError, type Features } from '../../../src/index.js';
import { keygen, useRedisServer, waitFor } from '../../harness/index.js';
import { callDelta, commandCalls, plainClient, vector, type PlainClient } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';
const BAD_SYMBOLS = ['A:B', 'A*', 'A?', 'A[', 'A{B}', 'A B', ' A', 'A\t', 'A\n', 'X'.repeat(33), ''];
const BAD_DATES = ['2025-02-30', '2025-13-01', '2025-00-10', '2025-1-17', '17-01-2025', '2025-01-17T00:00:00Z', ''];

describe('FeatureCache rejects bad input before anything is sent', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  let cache: FeatureCache;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url });
    cache = new FeatureCache(client, { prefix: keygen('bad').prefix, maxValueBytes: 4096 });
  });
  afterAll(async () => {
    await client.close();
  });

  /** Runs `fn`, then asserts that Redis received no command from it. */
  async function expectNothingSent(fn: () => Promise<void>): Promise<void> {
    const before = await commandCalls(redis.server);
    await fn();
    expect(callDelta(before, await commandCalls(redis.server))).toEqual({});
  }

  it('invalid symbols throw InvalidKeyError from every method, with nothing sent', async () => {
    await expectNothingSent(async () => {
      for (const s of BAD_SYMBOLS) {
        expect(() => cache.key(s, DATE), JSON.stringify(s)).toThrow(InvalidKeyError);
        await expect(cache.get(s, DATE), JSON.stringify(s)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.set(s, DATE, vector(1))).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.getMany(['AAPL', s], DATE)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.setMany(DATE, [['AAPL', vector(1)], [s, vector(1)]])).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.invalidate(s, DATE)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.invalidateSymbol(s)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.getOrCompute(s, DATE, () => vector(1))).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.getManyOrCompute(['AAPL', s], DATE, () => ({}))).rejects.toBeInstanceOf(InvalidKeyError);
      }
    });
  });

  it('impossible or malformed dates throw InvalidKeyError from every method, with nothing sent', async () => {
    await expectNothingSent(async () => {
      for (const d of BAD_DATES) {
        await expect(cache.get('AAPL', d), d).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.set('AAPL', d, vector(1))).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.getMany(['AAPL'], d)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.getMany([], d)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.setMany(d, { AAPL: vector(1) })).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.invalidate('AAPL', d)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(cache.invalidateDate(d)).rejects.toBeInstanceOf(InvalidKeyError);
      }
    });
    expect(cache.key('AAPL', '2024-02-29')).toContain('2024-02-29');
  });

  it('a non-number feature is a ValidationError and nothing is written', async () => {
    const bad: unknown[] = ['1.5', null, undefined, true, 10n, { v: 1 }, [1]];
    await expectNothingSent(async () => {
      for (const value of bad) {
        const features = { KMID: 1, KBAD: value } as unknown as Features;
        const err: unknown = await cache.set('AAPL', DATE, features).catch((e: unknown) => e);
        expect(err, String(value)).toBeInstanceOf(ValidationError);
        expect(JSON.stringify((err as ValidationError).issues)).toContain('KBAD');
      }
    });
    expect(await redis.server.command('EXISTS', cache.key('AAPL', DATE))).toBe(0);
  });

  it('setMany with one bad vector writes none of them', async () => {
    const good = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`S${i}`, vector(i)]));
    await expectNothingSent(async () => {
      const entries = { ...good, S5: { KMID: 'x' } as unknown as Features };
      await expect(cache.setMany(DATE, entries)).rejects.toBeInstanceOf(ValidationError);
    });
    const got = await cache.getMany(Object.keys(good), DATE);
    expect([...got.values()].every((v) => v === null)).toBe(true);
  });

  it('a value over maxValueBytes: set resolves false, stats.oversized counts it, nothing is written', async () => {
    const big = vector(1, 400);
    cache.resetStats();
    await expectNothingSent(async () => {
      expect(await cache.set('BIG', DATE, big)).toBe(false);
      expect(await cache.setMany(DATE, { OK1: vector(1), BIG: big, OK2: vector(2) })).toBe(false);
    });
    expect(cache.stats()).toMatchObject({ oversized: 2, sets: 0, errors: 0 });
    const got = await cache.getMany(['BIG', 'OK1', 'OK2'], DATE);
    expect([...got.values()]).toEqual([null, null, null]);
    expect(await cache.set('SMALL', DATE, vector(1, 10))).toBe(true);
  });
});

describe('FeatureCache treats corrupt stored values as misses and deletes them', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  let other: PlainClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url });
    other = await plainClient(redis.url);
  });
  afterAll(async () => {
    await client.close();
    await other.close();
  });

  const f64Header = (magic: string, version: number): Buffer => {
    const b = Buffer.alloc(32);
    b.write(magic, 0, 'latin1');
    b[4] = version;
    return b;
  };
  // Only what nobody can read: text json.loads rejects, f64 values with a damaged header. Valid
  // JSON that is not a vector and newer f64 versions are left in place (python-writer.test.ts).
  const CORRUPT: Record<string, string | Buffer> = {
    badJson: '{"KMID": 1.0, ',
    notJson: 'hello',
    pythonRepr: "{'KMID': 1.0}",
    trailingComma: '{"KMID": null,}',
    empty: '',
    unknownF64Magic: f64Header('\0F65', 1),
    f64Version0: f64Header('\0F64', 0),
    truncatedF64: Buffer.from([0, 0x46, 0x36, 0x34]),
  };

  it.each(Object.keys(CORRUPT))('get: %s is a miss, counted as corrupt, and the key is deleted', async (name) => {
    const cache = new FeatureCache(client, { prefix: keygen('corrupt').prefix });
    const key = cache.key('AAPL', DATE);
    await other.set(key, CORRUPT[name] as string | Buffer);
    expect(await cache.get('AAPL', DATE)).toBeNull();
    expect(cache.stats()).toMatchObject({ corrupt: 1, misses: 1, hits: 0 });
    await waitFor(async () => (await other.exists(key)) === 0, { description: `${name} deleted` });
  });

  it('getMany: corrupt entries are misses among valid ones, each deleted, the valid ones kept', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('corrupt').prefix, codec: 'f64' });
    const names = Object.keys(CORRUPT);
    for (const n of names) await other.set(cache.key(n.toUpperCase().slice(0, 32), DATE), CORRUPT[n] as string | Buffer);
    await cache.set('GOOD', DATE, vector(1));
    const symbols = ['GOOD', ...names.map((n) => n.toUpperCase().slice(0, 32))];
    const got = await cache.getMany(symbols, DATE);
    expect(got.get('GOOD')).toEqual(vector(1));
    expect([...got.values()].filter((v) => v === null)).toHaveLength(names.length);
    expect(cache.stats()).toMatchObject({ corrupt: names.length, misses: names.length, hits: 1 });
    await waitFor(async () => (await other.exists(symbols.slice(1).map((s) => cache.key(s, DATE)))) === 0, { description: 'corrupt keys deleted' });
    expect(await other.exists(cache.key('GOOD', DATE))).toBe(1);
  });
});
