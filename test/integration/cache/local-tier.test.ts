import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { FeatureCache, RedisClient, RedisClosedError, RedisConnectionError, type Features } from '../../../src/index.js';
import { LocalTier } from '../../../src/cache/local-tier.js';
import { keygen, useRedisServer, waitFor } from '../../harness/index.js';
import { plainClient, type PlainClient } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';

/** Counts the invalidations each key has received through any LocalTier (tracking and own deletes). */
function watchInvalidations(): Map<string | null, number> {
  const seen = new Map<string | null, number>();
  const original = LocalTier.prototype.invalidate;
  vi.spyOn(LocalTier.prototype, 'invalidate').mockImplementation(function (this: LocalTier, key: string | null) {
    seen.set(key, (seen.get(key) ?? 0) + 1);
    original.call(this, key);
  });
  return seen;
}

/** A cache with a local tier whose tracking connection is live. */
async function localCache(client: RedisClient, prefix: string, local: { maxEntries?: number; ttlMs?: number } = {}): Promise<FeatureCache> {
  const cache = new FeatureCache(client, { prefix, local });
  await waitFor(() => cache.localTierLive, { description: 'local tier live' });
  return cache;
}

/** Reads once and reports whether the local tier answered. */
async function read(cache: FeatureCache, symbol: string): Promise<{ value: Features | null; local: boolean }> {
  const before = cache.stats().localHits;
  const value = await cache.get(symbol, DATE);
  return { value, local: cache.stats().localHits > before };
}

describe('FeatureCache local tier on a shared server', () => {
  let client: RedisClient;
  let writer: PlainClient;
  const caches: FeatureCache[] = [];

  beforeAll(async () => {
    client = await RedisClient.connect({ url: inject('redisUrl') });
    writer = await plainClient(inject('redisUrl'));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(caches.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await client.close();
    await writer.close();
  });

  async function make(local: { maxEntries?: number; ttlMs?: number } = {}): Promise<FeatureCache> {
    const cache = await localCache(client, keygen('local').prefix, local);
    caches.push(cache);
    return cache;
  }

  it('serves a repeated get locally, and a write by another process replaces it once the invalidation arrives', async () => {
    const seen = watchInvalidations();
    const cache = await make();
    const key = cache.key('AAPL', DATE);
    await writer.set(key, '{"v": 1.0}');
    expect(await read(cache, 'AAPL')).toEqual({ value: { v: 1 }, local: false });
    expect(await read(cache, 'AAPL')).toEqual({ value: { v: 1 }, local: true });
    const before = seen.get(key) ?? 0;
    await writer.set(key, '{"v": 2.0}');
    await waitFor(() => (seen.get(key) ?? 0) > before, { description: 'invalidation of the key' });
    expect(await read(cache, 'AAPL')).toEqual({ value: { v: 2 }, local: false });
    expect(await read(cache, 'AAPL')).toEqual({ value: { v: 2 }, local: true });
    await writer.del(key);
    await waitFor(() => (seen.get(key) ?? 0) > before + 1, { description: 'invalidation of the delete' });
    expect(await read(cache, 'AAPL')).toEqual({ value: null, local: false });
    expect(cache.stats()).toMatchObject({ hits: 4, localHits: 2, misses: 1 });
  });

  it('ready() resolves once the tier is live, so the next repeated read is served locally', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('ready').prefix, local: true });
    caches.push(cache);
    await cache.ready();
    expect(cache.localTierLive).toBe(true);
    await writer.set(cache.key('A', DATE), '{"v": 1.0}');
    expect(await read(cache, 'A')).toEqual({ value: { v: 1 }, local: false });
    expect(await read(cache, 'A')).toEqual({ value: { v: 1 }, local: true });
    await cache.ready();
  });

  it('getMany mixes local hits and one MGET for the rest, in input order', async () => {
    const cache = await make();
    await cache.setMany(DATE, { A: { v: 1 }, B: { v: 2 }, C: { v: 3 } });
    await cache.get('B', DATE);
    const localBefore = cache.stats().localHits;
    const got = await cache.getMany(['C', 'B', 'X', 'A'], DATE);
    expect([...got.entries()]).toEqual([['C', { v: 3 }], ['B', { v: 2 }], ['X', null], ['A', { v: 1 }]]);
    expect(cache.stats().localHits - localBefore).toBe(1);
    const again = await cache.getMany(['A', 'B', 'C'], DATE);
    expect([...again.values()]).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect(cache.stats().localHits - localBefore).toBe(4);
  });

  it('own writes and invalidations are visible to the next read at once', async () => {
    const cache = await make();
    await cache.set('A', DATE, { v: 1 });
    await cache.get('A', DATE);
    expect((await read(cache, 'A')).local).toBe(true);
    await cache.set('A', DATE, { v: 2 });
    expect(await cache.get('A', DATE)).toEqual({ v: 2 });
    await cache.setMany(DATE, { A: { v: 3 } });
    expect(await cache.get('A', DATE)).toEqual({ v: 3 });
    await cache.invalidate('A', DATE);
    expect(await read(cache, 'A')).toEqual({ value: null, local: false });
    await cache.set('A', DATE, { v: 4 });
    await cache.get('A', DATE);
    await cache.invalidateSymbol('A');
    expect(await read(cache, 'A')).toEqual({ value: null, local: false });
    await cache.set('A', DATE, { v: 5 });
    await cache.get('A', DATE);
    await cache.invalidateDate(DATE);
    expect(await read(cache, 'A')).toEqual({ value: null, local: false });
  });

  it('an own write is read back even when the invalidation of an earlier read arrives late', async () => {
    const cache = await make();
    const key = cache.key('A', DATE);
    await writer.set(key, '{"v": 1.0}');
    // Hold back invalidations from the tracking connection, as a slow network would.
    const held: Array<() => void> = [];
    let holding = true;
    const original = LocalTier.prototype.invalidate;
    const originalDelete = LocalTier.prototype.delete;
    let ownDelete = false;
    vi.spyOn(LocalTier.prototype, 'delete').mockImplementation(function (this: LocalTier, k: string) {
      ownDelete = true;
      try {
        originalDelete.call(this, k);
      } finally {
        ownDelete = false;
      }
    });
    vi.spyOn(LocalTier.prototype, 'invalidate').mockImplementation(function (this: LocalTier, k: string | null) {
      if (holding && !ownDelete) held.push(() => original.call(this, k));
      else original.call(this, k);
    });
    // The SET waits until a read of the old value has completed inside the write.
    let releaseSet!: () => void;
    const setGate = new Promise<void>((resolve) => (releaseSet = resolve));
    const realSet = client.set.bind(client);
    vi.spyOn(client, 'set').mockImplementation(async (...args) => {
      await setGate;
      return realSet(...args);
    });
    const writing = cache.set('A', DATE, { v: 2 });
    expect(await cache.get('A', DATE)).toEqual({ v: 1 });
    releaseSet();
    expect(await writing).toBe(true);
    expect(await cache.get('A', DATE)).toEqual({ v: 2 });
    holding = false;
    for (const h of held) h();
  });

  it('keeps at most maxEntries vectors, evicting the least recently used', async () => {
    const cache = await make({ maxEntries: 3 });
    await cache.setMany(DATE, { A: { v: 1 }, B: { v: 2 }, C: { v: 3 }, D: { v: 4 }, E: { v: 5 } });
    for (const s of ['A', 'B', 'C', 'D', 'E']) expect((await read(cache, s)).local).toBe(false);
    // Holds C, D, E. Reading E, D, C makes E the least recently used.
    for (const s of ['E', 'D', 'C']) expect((await read(cache, s)).local, s).toBe(true);
    expect((await read(cache, 'A')).local).toBe(false);
    expect((await read(cache, 'E')).local).toBe(false);
    expect((await read(cache, 'A')).local).toBe(true);
    expect((await read(cache, 'C')).local).toBe(true);
    expect((await read(cache, 'D')).local).toBe(false);
  });

  it('stops serving a vector locally after ttlMs', async () => {
    const cache = await make({ ttlMs: 150 });
    await cache.set('A', DATE, { v: 1 });
    await cache.get('A', DATE);
    expect((await read(cache, 'A')).local).toBe(true);
    const expired = await waitFor(async () => {
      const r = await read(cache, 'A');
      return r.local ? undefined : r;
    }, { intervalMs: 20, description: 'local entry expired' });
    expect(expired).toEqual({ value: { v: 1 }, local: false });
  });

  it('stress: after each acknowledged write by another process and its invalidation, no reader sees an older version', async () => {
    const seen = watchInvalidations();
    const readers = await Promise.all([make(), make()]);
    const prefix = keygen('stress').prefix;
    const shared = await Promise.all([0, 1].map(() => localCache(client, prefix)));
    caches.push(...shared);
    const all = [...readers, ...shared];
    const key = shared[0]!.key('HOT', DATE);
    const versionOf = (f: Features | null): number => (f === null ? 0 : (f.v as number));
    let stop = false;
    const regressions: string[] = [];
    // Background readers race fills against invalidations; each must never go backwards.
    const background = shared.map(async (cache, r) => {
      let last = 0;
      let reads = 0;
      while (!stop) {
        const v = versionOf(await cache.get('HOT', DATE));
        if (v < last) regressions.push(`reader ${r} saw ${v} after ${last}`);
        last = Math.max(last, v);
        if (++reads % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      return reads;
    });
    try {
      for (let version = 1; version <= 150; version++) {
        const before = seen.get(key) ?? 0;
        await writer.set(key, `{"v": ${version}.0}`);
        await waitFor(() => (seen.get(key) ?? 0) >= before + shared.length, { intervalMs: 1, description: `invalidation of version ${version}` });
        const reads = await Promise.all(shared.map((c) => c.get('HOT', DATE)));
        for (const f of reads) expect(versionOf(f)).toBeGreaterThanOrEqual(version);
      }
    } finally {
      stop = true;
    }
    const counts = await Promise.all(background);
    expect(regressions).toEqual([]);
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(shared.some((c) => c.stats().localHits > 0)).toBe(true);
    expect(all.every((c) => c.localTierLive)).toBe(true);
  });
});

describe('FeatureCache local tier when the tracking connection drops', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  let writer: PlainClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url, commandTimeoutMs: 500, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } });
    writer = await plainClient(redis.url);
  });
  afterAll(async () => {
    await client.close();
    await writer.close();
  });

  it('serves nothing locally while tracking is down and is live again after the server restarts', async () => {
    const seen = watchInvalidations();
    const cache = await localCache(client, keygen('drop').prefix);
    try {
      await cache.set('A', DATE, { v: 1 });
      await cache.get('A', DATE);
      expect((await read(cache, 'A')).local).toBe(true);
      await redis.server.kill();
      await waitFor(() => !cache.localTierLive, { description: 'local tier stopped' });
      expect(await read(cache, 'A')).toEqual({ value: null, local: false });
      await redis.server.restart();
      await waitFor(() => cache.localTierLive && client.isReady, { timeoutMs: 15_000, description: 'local tier live again' });
      // The restarted server lost the key: the old local copy must not come back.
      expect(await read(cache, 'A')).toEqual({ value: null, local: false });
      const key = cache.key('A', DATE);
      await writer.set(key, '{"v": 2.0}');
      expect(await read(cache, 'A')).toEqual({ value: { v: 2 }, local: false });
      expect(await read(cache, 'A')).toEqual({ value: { v: 2 }, local: true });
      const before = seen.get(key) ?? 0;
      await writer.set(key, '{"v": 3.0}');
      await waitFor(() => (seen.get(key) ?? 0) > before, { description: 'invalidation after reconnect' });
      expect(await read(cache, 'A')).toEqual({ value: { v: 3 }, local: false });
    } finally {
      vi.restoreAllMocks();
      await cache.close();
    }
  });

  it('FLUSHALL drops every local vector', async () => {
    const seen = watchInvalidations();
    const cache = await localCache(client, keygen('flush').prefix);
    try {
      await cache.setMany(DATE, { A: { v: 1 }, B: { v: 2 } });
      await cache.getMany(['A', 'B'], DATE);
      expect((await read(cache, 'A')).local).toBe(true);
      await writer.flushAll();
      await waitFor(() => seen.has(null), { description: 'flush invalidation' });
      expect(await read(cache, 'A')).toEqual({ value: null, local: false });
      expect(await read(cache, 'B')).toEqual({ value: null, local: false });
    } finally {
      vi.restoreAllMocks();
      await cache.close();
    }
  });

  it('close() stops the tracking connection and the tier', async () => {
    const cache = await localCache(client, keygen('close').prefix);
    const trackers = async (): Promise<number> =>
      ((await redis.server.command('CLIENT', 'LIST')) as string).split('\n').filter((l) => /flags=\S*t/.test(l)).length;
    expect(await trackers()).toBeGreaterThanOrEqual(1);
    const before = await trackers();
    await cache.close();
    expect(cache.localTierLive).toBe(false);
    await waitFor(async () => (await trackers()) === before - 1, { description: 'tracking connection closed' });
  });
});

describe('FeatureCache.ready and the tracking connection\'s life', () => {
  const redis = useRedisServer();
  const CONNECT_TIMEOUT_MS = 400;

  /** Connections of the server with client tracking on. */
  async function trackers(): Promise<number> {
    return ((await redis.server.command('CLIENT', 'LIST')) as string).split('\n').filter((l) => /flags=\S*t/.test(l)).length;
  }

  function connect(): Promise<RedisClient> {
    return RedisClient.connect({ url: redis.url, connectTimeoutMs: CONNECT_TIMEOUT_MS, commandTimeoutMs: 500, reconnect: { baseDelayMs: 20, maxDelayMs: 100 } });
  }

  it('with the server down, ready() rejects with RedisConnectionError within about connectTimeoutMs; once it is back, ready() resolves', async () => {
    const client = await connect();
    const cache = new FeatureCache(client, { prefix: keygen('ready-down').prefix, local: true });
    try {
      await cache.ready();
      await redis.server.kill();
      await waitFor(() => !cache.localTierLive, { description: 'local tier stopped' });
      const started = performance.now();
      const err = await cache.ready().then(
        () => undefined,
        (e: unknown) => e,
      );
      const elapsed = performance.now() - started;
      expect(err).toBeInstanceOf(RedisConnectionError);
      expect((err as Error).message).toContain(`${CONNECT_TIMEOUT_MS} ms`);
      expect(elapsed).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS + 1000);
      await redis.server.restart();
      // The tracking connection reconnects on its own; each ready() waits at most connectTimeoutMs.
      await waitFor(() => cache.ready().then(() => true), { timeoutMs: 15_000, description: 'ready() after the restart' });
      expect(cache.localTierLive).toBe(true);
    } finally {
      await cache.close();
      await client.close();
    }
  });

  it('closing the client closes the tracking connection too (no cache.close() needed); ready() then rejects with RedisClosedError', async () => {
    const client = await connect();
    const before = await trackers();
    const cache = new FeatureCache(client, { prefix: keygen('ready-close').prefix, local: true });
    await cache.ready();
    expect(await trackers()).toBe(before + 1);
    await client.close();
    expect(cache.localTierLive).toBe(false);
    await waitFor(async () => (await trackers()) === before, { description: 'tracking connection closed with its client' });
    await expect(cache.ready()).rejects.toBeInstanceOf(RedisClosedError);
  });
});
