import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmbeddedClient, createEmbeddedServer, type EmbeddedServer } from '../../../src/embedded.js';
import {
  ConfigError,
  FEATURE_CACHE_DEFAULTS,
  FeatureCache,
  InvalidKeyError,
  RedisClient,
  RedisClosedError,
  ValidationError,
  type Features,
} from '../../../src/index.js';

const DATE = '2025-01-17';
const SPECIAL: Features = { nan: NaN, inf: Infinity, ninf: -Infinity, nzero: -0, sub: 5e-324, max: Number.MAX_VALUE, x: 0.1 };

function expectSame(actual: Features | null | undefined, expected: Features): void {
  expect(actual).toBeTruthy();
  const a = actual as Features;
  expect(Object.keys(a)).toEqual(Object.keys(expected));
  for (const k of Object.keys(expected)) expect(Object.is(a[k], expected[k]), k).toBe(true);
}

describe('FeatureCache on the embedded backend', () => {
  let server: EmbeddedServer;
  let client: RedisClient;

  beforeEach(async () => {
    server = createEmbeddedServer();
    client = await server.createClient().connect();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await client.close();
  });

  it.each(['json', 'f64'] as const)('%s codec: set/get/getMany/setMany round trip every special value', async (codec) => {
    const cache = new FeatureCache(client, { codec });
    expect(await cache.set('AAPL', DATE, SPECIAL)).toBe(true);
    expectSame(await cache.get('AAPL', DATE), SPECIAL);
    expect(await cache.setMany(DATE, { MSFT: { a: 1 }, 'BRK.B': { b: -0 } })).toBe(true);
    const got = await cache.getMany(['BRK.B', 'NONE', 'AAPL', 'MSFT'], DATE);
    expect([...got.keys()]).toEqual(['BRK.B', 'NONE', 'AAPL', 'MSFT']);
    expect(got.get('NONE')).toBeNull();
    expectSame(got.get('AAPL'), SPECIAL);
    expect(Object.is(got.get('BRK.B')?.b, -0)).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 1, sets: 3, hitRate: 0.8 });
  });

  it('uses the documented defaults: prefix features, ttlSeconds 3600 (also under its deprecated name ttl)', async () => {
    const cache = new FeatureCache(client);
    expect(FEATURE_CACHE_DEFAULTS).toMatchObject({ prefix: 'features', ttlSeconds: 3600, ttl: 3600, codec: 'json', local: false });
    expect(cache.key('AAPL', DATE)).toBe('features:AAPL:2025-01-17');
    await cache.set('AAPL', DATE, { a: 1 });
    const ttl = await client.ttl('features:AAPL:2025-01-17');
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(await client.get('features:AAPL:2025-01-17')).toBe('{"a": 1.0}');
  });

  it('invalidate, invalidateSymbol and invalidateDate delete exactly their keys', async () => {
    const cache = new FeatureCache(client, { prefix: 'p' });
    for (const s of ['A', 'AB', 'B']) for (const d of ['2025-01-16', DATE]) await cache.set(s, d, { v: 1 });
    await client.set('other:A:2025-01-16', 'x');
    expect(await cache.invalidate('B', '2025-01-16')).toBe(true);
    expect(await cache.invalidateSymbol('A')).toBe(2);
    expect(await cache.invalidateDate(DATE)).toBe(2);
    const left: string[] = [];
    for await (const k of client.scan({ match: '*' })) left.push(k);
    expect(left.sort()).toEqual(['other:A:2025-01-16', 'p:AB:2025-01-16']);
  });

  it('invalid keys and values throw before any command is issued', async () => {
    const cache = new FeatureCache(client);
    const methods = ['getBuffer', 'mgetBuffer', 'set', 'setMany', 'del', 'unlink', 'scan'] as const;
    const spies = methods.map((m) => vi.spyOn(client, m));
    for (const s of ['A:B', 'A*', 'A?', 'A[', 'A{', 'A B', 'X'.repeat(33), '']) {
      await expect(cache.get(s, DATE)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(cache.getMany(['OK', s], DATE)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(cache.setMany(DATE, { OK: { a: 1 }, [s]: { a: 1 } })).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(cache.invalidateSymbol(s)).rejects.toBeInstanceOf(InvalidKeyError);
    }
    for (const d of ['2025-02-30', '2025-13-01', '2025-02-29']) {
      await expect(cache.set('OK', d, { a: 1 })).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(cache.invalidateDate(d)).rejects.toBeInstanceOf(InvalidKeyError);
    }
    await expect(cache.set('OK', DATE, { a: '1' } as unknown as Features)).rejects.toBeInstanceOf(ValidationError);
    await expect(cache.setMany(DATE, { OK: { a: 1 }, BAD: { a: null } as unknown as Features })).rejects.toBeInstanceOf(ValidationError);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('setMany validates every key and value before any size check: a bad entry after an oversized one throws', async () => {
    const cache = new FeatureCache(client, { maxValueBytes: 64 });
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i + 0.5]));
    const spies = (['set', 'setMany'] as const).map((m) => vi.spyOn(client, m));
    await expect(cache.setMany(DATE, [['BIG', big], ['A:B', { a: 1 }]])).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(cache.setMany(DATE, [['BIG', big], ['BAD', { a: 'x' } as unknown as Features]])).rejects.toBeInstanceOf(ValidationError);
    expect(cache.stats().oversized).toBe(0);
    expect(await cache.setMany(DATE, [['OK', { a: 1 }], ['BIG', big], ['BIG2', big]])).toBe(false);
    expect(cache.stats().oversized).toBe(2);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(await client.get(cache.key('OK', DATE))).toBeNull();
  });

  it('vectors read by a cache with a local tier are frozen; without one, and the caller\'s own objects, never are', async () => {
    const plain = new FeatureCache(client, { prefix: 'plain' });
    const tiered = new FeatureCache(client, { prefix: 'tiered', local: true });
    try {
      for (const cache of [plain, tiered]) {
        const mine: Features = { a: 1 };
        expect(await cache.set('A', DATE, mine)).toBe(true);
        expect(await cache.setMany(DATE, { B: mine })).toBe(true);
        expect(Object.isFrozen(mine)).toBe(false);
        const computed: Features = { c: 3 };
        expect(await cache.getOrCompute('C', DATE, () => computed)).toBe(computed);
        expect(Object.isFrozen(computed)).toBe(false);
      }
      expect(tiered.localTierLive).toBe(true);
      const fromRedis = await tiered.get('A', DATE);
      const fromTier = await tiered.get('A', DATE);
      expect(tiered.stats().localHits).toBe(1);
      expect(fromTier).toBe(fromRedis);
      expect(Object.isFrozen(fromRedis)).toBe(true);
      expect(Object.isFrozen((await tiered.getMany(['B'], DATE)).get('B'))).toBe(true);
      expect(Object.isFrozen(await tiered.getOrCompute('C', DATE, () => ({ c: 0 })))).toBe(true);
      const first = await plain.get('A', DATE);
      expect(Object.isFrozen(first)).toBe(false);
      expect(await plain.get('A', DATE)).not.toBe(first);
      expect(Object.isFrozen((await plain.getMany(['B'], DATE)).get('B'))).toBe(false);
    } finally {
      await tiered.close();
    }
  });

  it('fails open once the client is closed: reads miss, writes are false, errors are counted', async () => {
    const cache = new FeatureCache(client);
    await cache.set('A', DATE, { a: 1 });
    await client.close();
    cache.resetStats();
    expect(await cache.get('A', DATE)).toBeNull();
    expect([...(await cache.getMany(['A', 'B'], DATE)).values()]).toEqual([null, null]);
    expect(await cache.set('A', DATE, { a: 2 })).toBe(false);
    expect(await cache.invalidate('A', DATE)).toBe(false);
    expect(await cache.invalidateDate(DATE)).toBe(0);
    expect(await cache.serverStats()).toBeNull();
    expect(await cache.getStats()).toEqual({});
    expect(cache.stats()).toMatchObject({ errors: 7, misses: 3, hits: 0, hitRate: 0 });
  });

  it('serverStats returns numbers, and the Python get_stats() dict as python; getStats returns that dict', async () => {
    const cache = new FeatureCache(client);
    const stats = await cache.serverStats();
    expect(stats).not.toBeNull();
    const { python, ...numbers } = stats as NonNullable<typeof stats>;
    for (const v of Object.values(numbers)) expect(typeof v).toBe('number');
    expect(Object.keys(python)).toEqual(['keyspace_hits', 'keyspace_misses', 'used_memory', 'connected_clients']);
    expect(Object.keys(await cache.getStats())).toEqual(Object.keys(python));
  });

  it('the local tier on the embedded backend is invalidated by writes through other clients', async () => {
    const cache = new FeatureCache(client, { local: { maxEntries: 10 } });
    expect(cache.localTierLive).toBe(true);
    const other = await createEmbeddedClient({ server }).connect();
    try {
      await other.set(cache.key('A', DATE), '{"v": 1.0}');
      expect(await cache.get('A', DATE)).toEqual({ v: 1 });
      expect(await cache.get('A', DATE)).toEqual({ v: 1 });
      expect(cache.stats().localHits).toBe(1);
      await other.set(cache.key('A', DATE), '{"v": 2.0}');
      expect(await cache.get('A', DATE)).toEqual({ v: 2 });
      await cache.close();
      expect(cache.localTierLive).toBe(false);
      await other.set(cache.key('A', DATE), '{"v": 3.0}');
      expect(await cache.get('A', DATE)).toEqual({ v: 3 });
    } finally {
      await other.close();
    }
  });

  it('batch reads keep the right keys across dates and still check every new symbol', async () => {
    const cache = new FeatureCache(client);
    await cache.setMany('2025-01-16', { A: { v: 16 }, B: { v: 16.5 } });
    await cache.setMany(DATE, { A: { v: 17 } });
    for (const date of ['2025-01-16', DATE, '2025-01-16', DATE]) {
      const got = await cache.getMany(['A', 'B'], date);
      expect(got.get('A')).toEqual({ v: date === DATE ? 17 : 16 });
      expect(got.get('B')).toEqual(date === DATE ? null : { v: 16.5 });
      expect(Array.from((await cache.getMatrix(['B', 'A'], date, { names: ['v'] })).values)).toEqual(date === DATE ? [NaN, 17] : [16.5, 16]);
    }
    // A symbol seen before is known; an unknown bad one still throws, before anything is sent.
    await expect(cache.getMany(['A', 'B:X'], DATE)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(cache.getMany(['A', 7 as unknown as string], DATE)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(cache.getMany(['A'], '2025-13-01')).rejects.toBeInstanceOf(InvalidKeyError);
    // Many distinct symbols: keys past the memo's bound are still built and read correctly.
    const many = Array.from({ length: 10_050 }, (_, i) => `M${i}`);
    await cache.setMany(DATE, { M10049: { v: 1 }, M0: { v: 2 } });
    const got = await cache.getMany(many, DATE);
    expect([got.get('M0'), got.get('M10049'), got.get('M5')]).toEqual([{ v: 2 }, { v: 1 }, null]);
  });

  it.each(['json', 'f64'] as const)('%s codec: getMatrix rows, row views and feature objects, __proto__ column included', async (codec) => {
    const cache = new FeatureCache(client, { codec });
    const odd = JSON.parse('{"__proto__": 1.5, "toString": -0, "x": 5e-324}') as Features;
    await cache.setMany(DATE, { A: odd, B: { x: 2, toString: 3, ['__proto__']: 4 } });
    const m = await cache.getMatrix(['A', 'Z', 'B', 'A'], DATE);
    expect(m.names).toEqual(['__proto__', 'toString', 'x']);
    expect(m.found).toEqual([true, false, true, true]);
    expect(Object.isFrozen(m.found) && Object.isFrozen(m.symbols)).toBe(true);
    expect(Array.from(m.row('B') as Float64Array)).toEqual([4, 3, 2]);
    expect(m.row('Z')).toBeNull();
    expectSame(m.features('A'), odd);
    const a = m.features('A') as Features;
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.keys(a)).toEqual(['__proto__', 'toString', 'x']);
    // A repeated symbol has a row per position; row() gives the first.
    expect(Array.from(m.values.subarray(9, 12))).toEqual(Array.from(m.values.subarray(0, 3)));
  });
});

describe('FeatureCache options', () => {
  it('rejects a local tier on a cluster or sentinel client with ConfigError, before connecting', () => {
    const cluster = new RedisClient({ cluster: { rootNodes: [{ host: '127.0.0.1', port: 7000 }] } });
    const sentinel = new RedisClient({ sentinel: { name: 'mymaster', sentinels: [{ host: '127.0.0.1', port: 26379 }] } });
    expect(cluster.kind).toBe('cluster');
    expect(sentinel.kind).toBe('sentinel');
    for (const c of [cluster, sentinel]) {
      expect(() => new FeatureCache(c, { local: true })).toThrow(ConfigError);
      expect(() => new FeatureCache(c, { local: { maxEntries: 5 } })).toThrow(ConfigError);
      expect(() => new FeatureCache(c)).not.toThrow();
    }
    expect(cluster.status).toBe('closed');
  });

  it('rejects bad options with a ConfigError naming the option', () => {
    const client = createEmbeddedClient();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ttlSeconds: -1 }, 'ttlSeconds'],
      [{ ttl: -1 }, 'ttl'],
      [{ ttl: 0.5 }, 'ttl'],
      [{ maxValueBytes: 0 }, 'maxValueBytes'],
      [{ local: { maxEntries: 0 } }, 'local.maxEntries'],
      [{ local: { ttlMs: 1.5 } }, 'local.ttlMs'],
      [{ prefix: 'a*b' }, 'a*b'],
      [{ prefix: 'a b' }, 'a b'],
      [{ codec: 'msgpack' }, 'msgpack'],
    ];
    for (const [options, named] of cases) {
      const err: unknown = (() => {
        try {
          new FeatureCache(client, options);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(err, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(named);
    }
  });

  it('rejects a bad per-call ttl with a ValidationError at path ttl, before anything is sent', async () => {
    const client = await createEmbeddedClient().connect();
    const cache = new FeatureCache(client, { maxValueBytes: 16 });
    const spies = (['set', 'setMany', 'getBuffer', 'mgetBuffer'] as const).map((m) => vi.spyOn(client, m));
    const calls: Array<() => Promise<boolean>> = [
      () => cache.set('A', DATE, { a: 1 }, { ttl: -5 }),
      () => cache.set('A', DATE, { a: 1 }, { ttl: 1.5 }),
      // A bad ttl is a programmer error even when the value would be refused as oversized.
      () => cache.set('A', DATE, { long_feature_name: 1 }, { ttl: -1 }),
      () => cache.setMany(DATE, { A: { a: 1 }, B: { b: 2 } }, { ttl: Number.NaN }),
      () => cache.setMany(DATE, {}, { ttl: -1 }),
      () => cache.getOrCompute('A', DATE, () => ({ a: 1 }), { ttl: -1 }).then(() => true),
      () => cache.getManyOrCompute(['A'], DATE, () => ({ A: { a: 1 } }), { ttl: -1 }).then(() => true),
    ];
    for (const call of calls) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['ttl']);
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(await client.get(cache.key('A', DATE))).toBeNull();
    await client.close();
  });
});

describe('FeatureCache ttlSeconds and its deprecated alias ttl', () => {
  it.each([
    [{ ttlSeconds: 60 }, 60],
    [{ ttl: 60 }, 60],
    [{ ttlSeconds: 60, ttl: 60 }, 60],
    [{ ...FEATURE_CACHE_DEFAULTS, ttlSeconds: 60 }, 60],
  ])('cache option %j writes with a TTL of %i s', async (options, expected) => {
    const client = await createEmbeddedClient().connect();
    try {
      const cache = new FeatureCache(client, options);
      await cache.set('A', DATE, { a: 1 });
      const ttl = await client.ttl(cache.key('A', DATE));
      expect(ttl).toBeGreaterThan(expected - 10);
      expect(ttl).toBeLessThanOrEqual(expected);
      // A per-write TTL, under either name or both with one value, overrides the cache's.
      await cache.setMany(DATE, { B: { b: 1 } }, { ttl: 30 });
      await cache.getOrCompute('C', DATE, () => ({ c: 1 }), { ttlSeconds: 20 });
      await cache.set('D', DATE, { d: 1 }, { ttlSeconds: 40, ttl: 40 });
      expect(await client.ttl(cache.key('B', DATE))).toBeLessThanOrEqual(30);
      expect(await client.ttl(cache.key('B', DATE))).toBeGreaterThan(20);
      expect(await client.ttl(cache.key('C', DATE))).toBeLessThanOrEqual(20);
      expect(await client.ttl(cache.key('C', DATE))).toBeGreaterThan(10);
      expect(await client.ttl(cache.key('D', DATE))).toBeLessThanOrEqual(40);
      expect(await client.ttl(cache.key('D', DATE))).toBeGreaterThan(30);
    } finally {
      await client.close();
    }
  });

  it('a cache given ttlSeconds and ttl with different values is a ConfigError naming both', async () => {
    const client = await createEmbeddedClient().connect();
    try {
      for (const [options, message] of [
        [{ ttlSeconds: 60, ttl: 600 }, 'ttlSeconds (60) and its deprecated alias ttl (600) disagree: give ttlSeconds only'],
        [{ ...FEATURE_CACHE_DEFAULTS, ttl: 60 }, 'ttlSeconds (3600) and its deprecated alias ttl (60) disagree: give ttlSeconds only'],
      ] as const) {
        let err: unknown;
        try {
          new FeatureCache(client, options);
        } catch (e) {
          err = e;
        }
        expect(err, JSON.stringify(options)).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).message).toBe(message);
        expect((err as ConfigError).context.option).toBe('ttlSeconds');
      }
    } finally {
      await client.close();
    }
  });

  it('a write given ttlSeconds and ttl with different values is a ValidationError at ttlSeconds, and writes nothing', async () => {
    const client = await createEmbeddedClient().connect();
    try {
      const cache = new FeatureCache(client, { ttlSeconds: 60 });
      const writes: Array<() => Promise<unknown>> = [
        () => cache.set('A', DATE, { a: 1 }, { ttlSeconds: 20, ttl: 300 }),
        () => cache.setMany(DATE, { A: { a: 1 } }, { ttlSeconds: 20, ttl: 300 }),
        () => cache.getOrCompute('A', DATE, () => ({ a: 1 }), { ttlSeconds: 20, ttl: 300 }),
        // A bad alias beside a good new name is a disagreement too, not ignored.
        () => cache.set('A', DATE, { a: 1 }, { ttlSeconds: 20, ttl: -1 }),
      ];
      for (const write of writes) {
        const err = await Promise.resolve()
          .then(write)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['ttlSeconds']);
        expect((err as ValidationError).message).toMatch(/ttlSeconds \(20\) and its deprecated alias ttl \((300|-1)\) disagree: give ttlSeconds only/);
      }
      expect(await client.get(cache.key('A', DATE))).toBeNull();
    } finally {
      await client.close();
    }
  });

  it('a bad per-write ttlSeconds is a ValidationError at path ttlSeconds', async () => {
    const client = await createEmbeddedClient().connect();
    const cache = new FeatureCache(client);
    const err = await cache.set('A', DATE, { a: 1 }, { ttlSeconds: -1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['ttlSeconds']);
    await client.close();
  });
});

describe('FeatureCache.ready', () => {
  it('resolves at once without a local tier, whatever the client state', async () => {
    const client = createEmbeddedClient();
    await expect(new FeatureCache(client).ready()).resolves.toBeUndefined();
    const unreachable = new RedisClient({ host: '127.0.0.1', port: 1, connectTimeoutMs: 100 });
    await expect(new FeatureCache(unreachable).ready()).resolves.toBeUndefined();
    expect(unreachable.status).toBe('closed');
  });

  it('resolves once the local tier is live; rejects with RedisClosedError once the cache is closed', async () => {
    const client = await createEmbeddedClient().connect();
    const cache = new FeatureCache(client, { local: true });
    await cache.ready();
    expect(cache.localTierLive).toBe(true);
    await cache.close();
    await expect(cache.ready()).rejects.toBeInstanceOf(RedisClosedError);
    await client.close();
  });
});
