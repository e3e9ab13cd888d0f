import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, encodeFeatures, FeatureCache, RedisClient } from '../../../src/index.js';
import { keygen, useRedisServer } from '../../harness/index.js';
import { callDelta, commandCalls, expectSameFeatures, vector } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';

describe('FeatureCache reads and writes on a shared server', () => {
  let client: RedisClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: inject('redisUrl') });
  });
  afterAll(async () => {
    await client.close();
  });

  it('key() builds {prefix}:{SYMBOL}:{date}; the default prefix is "features"', () => {
    const { prefix } = keygen('fc');
    expect(new FeatureCache(client, { prefix }).key('AAPL', DATE)).toBe(`${prefix}:AAPL:${DATE}`);
    expect(new FeatureCache(client).key('BRK.B', '2024-02-29')).toBe('features:BRK.B:2024-02-29');
  });

  it('set then get returns the same vector; an absent key is null', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    const v = { KMID: 1.25, KLEN: -0.5, NEG0: -0, TINY: 5e-324, NAN: NaN, INF: Infinity, NINF: -Infinity };
    expect(await cache.set('AAPL', DATE, v)).toBe(true);
    expectSameFeatures(await cache.get('AAPL', DATE), v);
    expect(await cache.get('MSFT', DATE)).toBeNull();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, sets: 1, errors: 0 });
  });

  it('set applies the cache ttl, a per-call ttl, or none with ttl 0', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix, ttl: 120 });
    await cache.set('A', DATE, vector(1));
    await cache.set('B', DATE, vector(2), { ttl: 30 });
    await cache.set('C', DATE, vector(3), { ttl: 0 });
    const ttlA = await client.ttl(cache.key('A', DATE));
    const ttlB = await client.ttl(cache.key('B', DATE));
    expect(ttlA).toBeGreaterThan(30);
    expect(ttlA).toBeLessThanOrEqual(120);
    expect(ttlB).toBeGreaterThan(0);
    expect(ttlB).toBeLessThanOrEqual(30);
    expect(await client.ttl(cache.key('C', DATE))).toBe(-1);
  });

  it('getMany returns a Map in input order with null for each miss', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    await cache.set('C', DATE, vector(3));
    await cache.set('A', DATE, vector(1));
    const got = await cache.getMany(['D', 'A', 'B', 'C'], DATE);
    expect([...got.keys()]).toEqual(['D', 'A', 'B', 'C']);
    expect(got.get('D')).toBeNull();
    expect(got.get('B')).toBeNull();
    expectSameFeatures(got.get('A'), vector(1));
    expectSameFeatures(got.get('C'), vector(3));
    expect((await cache.getMany([], DATE)).size).toBe(0);
  });

  it('setMany writes every vector with the ttl, from a Map, an object or pairs', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix, ttl: 500 });
    expect(await cache.setMany(DATE, new Map([['A', vector(1)], ['B', vector(2)]]), { ttl: 200 })).toBe(true);
    expect(await cache.setMany(DATE, { C: vector(3) })).toBe(true);
    expect(await cache.setMany(DATE, [['D', vector(4)] as const])).toBe(true);
    for (const s of ['A', 'B']) {
      const ttl = await client.ttl(cache.key(s, DATE));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(200);
    }
    expect(await client.ttl(cache.key('C', DATE))).toBeGreaterThan(200);
    const got = await cache.getMany(['A', 'B', 'C', 'D'], DATE);
    ['A', 'B', 'C', 'D'].forEach((s, i) => expectSameFeatures(got.get(s), vector(i + 1)));
    expect(cache.stats().sets).toBe(4);
  });

  it('invalidate deletes one vector: true when it existed, false after', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    await cache.set('A', DATE, vector(1));
    await cache.set('A', '2025-01-16', vector(2));
    expect(await cache.invalidate('A', DATE)).toBe(true);
    expect(await cache.invalidate('A', DATE)).toBe(false);
    expect(await client.get(cache.key('A', DATE))).toBeNull();
    expectSameFeatures(await cache.get('A', '2025-01-16'), vector(2));
  });

  it('invalidateSymbol deletes every date of symbols with "." and "-" and nothing of other symbols', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    const dates = ['2025-01-15', '2025-01-16', '2025-01-17'];
    for (const s of ['BRK.B', 'BRKXB', 'BRK.BB', 'RDS-A', 'RDS']) for (const d of dates) await cache.set(s, d, vector(1));
    expect(await cache.invalidateSymbol('BRK.B')).toBe(3);
    expect(await cache.invalidateSymbol('RDS-A')).toBe(3);
    for (const d of dates) {
      expect(await cache.get('BRK.B', d)).toBeNull();
      expect(await cache.get('RDS-A', d)).toBeNull();
      for (const kept of ['BRKXB', 'BRK.BB', 'RDS']) expect(await cache.get(kept, d)).not.toBeNull();
    }
    expect(await cache.invalidateSymbol('NONE')).toBe(0);
  });

  it('invalidateDate deletes every symbol of that date across several UNLINK batches, and no other date', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix, ttl: 600 });
    const symbols = Array.from({ length: 1203 }, (_, i) => `S${i}`);
    const small = { x: 1 };
    expect(await cache.setMany(DATE, symbols.map((s) => [s, small] as const))).toBe(true);
    await cache.set('S1', '2025-01-16', small);
    expect(await cache.invalidateDate(DATE)).toBe(1203);
    const left = await cache.getMany(symbols.slice(0, 50), DATE);
    expect([...left.values()].every((v) => v === null)).toBe(true);
    expect(await cache.get('S1', '2025-01-16')).toEqual(small);
  });

  it('a prefix with glob characters, whitespace or nothing is a ConfigError at construction', () => {
    for (const prefix of ['feat*', 'feat?', 'fe[a]t', 'fe\\at', 'fe at', '']) {
      expect(() => new FeatureCache(client, { prefix }), prefix).toThrow(ConfigError);
    }
  });

  it('invalid options are ConfigErrors at construction', () => {
    expect(() => new FeatureCache(client, { ttl: -1 })).toThrow(ConfigError);
    expect(() => new FeatureCache(client, { ttl: 1.5 })).toThrow(ConfigError);
    expect(() => new FeatureCache(client, { maxValueBytes: 0 })).toThrow(ConfigError);
    expect(() => new FeatureCache(client, { codec: 'msgpack' as 'json' })).toThrow(ConfigError);
    expect(() => new FeatureCache(client, { local: { maxEntries: 0 } })).toThrow(ConfigError);
  });
});

describe('FeatureCache round trips and commands, on a dedicated server', () => {
  const redis = useRedisServer();
  let client: RedisClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url });
  });
  afterAll(async () => {
    await client.close();
  });

  it('getMany of 50 symbols is exactly one MGET and nothing else', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`);
    await cache.setMany(DATE, symbols.filter((_, i) => i % 3 === 0).map((s) => [s, vector(1)] as const));
    const before = await commandCalls(redis.server);
    const got = await cache.getMany(symbols, DATE);
    const after = await commandCalls(redis.server);
    expect(callDelta(before, after)).toEqual({ mget: 1 });
    expect([...got.keys()]).toEqual(symbols);
    expect([...got.values()].filter((v) => v !== null)).toHaveLength(17);
  });

  it('setMany of 20 vectors sends 20 SETs with their TTL and no other command', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix, ttl: 90 });
    const before = await commandCalls(redis.server);
    await cache.setMany(DATE, Array.from({ length: 20 }, (_, i) => [`S${i}`, vector(i)] as const));
    const after = await commandCalls(redis.server);
    expect(callDelta(before, after)).toEqual({ set: 20 });
    for (let i = 0; i < 20; i++) {
      const ttl = await client.ttl(cache.key(`S${i}`, DATE));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(90);
    }
  });

  it('invalidateSymbol and invalidateDate use SCAN and UNLINK, never KEYS or DEL', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    for (const s of ['A', 'B']) for (const d of ['2025-01-16', DATE]) await cache.set(s, d, vector(1));
    const before = await commandCalls(redis.server);
    expect(await cache.invalidateSymbol('A')).toBe(2);
    expect(await cache.invalidateDate(DATE)).toBe(1);
    const delta = callDelta(before, await commandCalls(redis.server));
    expect(delta.keys).toBeUndefined();
    expect(delta.del).toBeUndefined();
    expect(delta.scan).toBeGreaterThanOrEqual(2);
    expect(delta.unlink).toBe(2);
    expect(Object.keys(delta).sort()).toEqual(['scan', 'unlink']);
    expectSameFeatures(await cache.get('B', '2025-01-16'), vector(1));
  });

  it('stats count hits, misses, sets, foreign and unsupported values; resetStats zeroes them; hitRate is hits over reads', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    const zero = { hits: 0, misses: 0, errors: 0, sets: 0, corrupt: 0, foreign: 0, unsupported: 0, localHits: 0, oversized: 0, hitRate: 0 };
    expect(cache.stats()).toEqual(zero);
    await cache.set('A', DATE, vector(1));
    await cache.get('A', DATE);
    await cache.getMany(['A', 'B', 'C', 'A'], DATE);
    expect(cache.stats()).toEqual({ ...zero, hits: 3, misses: 2, sets: 1, hitRate: 3 / 5 });
    const newer = encodeFeatures('f64', { a: 1 });
    newer[4] = 2;
    await client.set(cache.key('S', DATE), '{"a": "x"}');
    await client.set(cache.key('V', DATE), newer);
    expect([...(await cache.getMany(['S', 'V'], DATE)).values()]).toEqual([null, null]);
    expect(cache.stats()).toEqual({ ...zero, hits: 3, misses: 4, sets: 1, foreign: 1, unsupported: 1, hitRate: 3 / 7 });
    cache.resetStats();
    expect(cache.stats()).toEqual(zero);
  });

  it('serverStats reports the INFO figures as numbers', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('fc').prefix });
    await cache.get('ZZZ', DATE);
    const stats = await cache.serverStats();
    expect(stats).not.toBeNull();
    const s = stats as NonNullable<typeof stats>;
    const { python, ...numbers } = s;
    for (const v of Object.values(numbers)) expect(Number.isFinite(v)).toBe(true);
    expect(s.keyspaceMisses).toBeGreaterThanOrEqual(1);
    expect(s.usedMemory).toBeGreaterThan(0);
    expect(s.connectedClients).toBeGreaterThanOrEqual(1);
    const info = (await redis.server.command('INFO', 'stats')) as string;
    const misses = Number(/keyspace_misses:(\d+)/.exec(info)?.[1]);
    expect(s.keyspaceMisses).toBeLessThanOrEqual(misses);
    expect(Object.keys(s).sort()).toEqual(['connectedClients', 'keyspaceHits', 'keyspaceMisses', 'python', 'usedMemory']);
    // The Python get_stats() dict: the same INFO, under its names, used_memory as Redis's human text.
    expect(Object.keys(python)).toEqual(['keyspace_hits', 'keyspace_misses', 'used_memory', 'connected_clients']);
    expect(python).toMatchObject({ keyspace_hits: s.keyspaceHits, keyspace_misses: s.keyspaceMisses, connected_clients: s.connectedClients });
    expect(python.used_memory).toMatch(/^\d+(\.\d+)?[BKMGTP]$/);
    // Memory moves between two INFO calls: the same unit and magnitude is what can be compared.
    const memory = (await redis.server.command('INFO', 'memory')) as string;
    const human = /used_memory_human:(\d+(?:\.\d+)?)([BKMGTP])/.exec(memory);
    expect(human?.[2]).toBe(python.used_memory.slice(-1));
    expect(Math.abs(Number(human?.[1]) - Number.parseFloat(python.used_memory))).toBeLessThan(Number(human?.[1]) / 2);
  });

  it('getStats is Python get_stats(): the dict on a live server, {} once INFO fails', async () => {
    const own = await RedisClient.connect({ url: redis.url });
    const cache = new FeatureCache(own, { prefix: keygen('fc').prefix });
    const stats = await cache.getStats();
    expect(Object.keys(stats)).toEqual(['keyspace_hits', 'keyspace_misses', 'used_memory', 'connected_clients']);
    expect((stats as { connected_clients: number }).connected_clients).toBeGreaterThanOrEqual(1);
    await own.close();
    expect(await cache.getStats()).toEqual({});
    expect(cache.stats().errors).toBe(1);
  });
});
