import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient } from '../../../src/index.js';
import { keygen, useRedisServer, waitFor } from '../../harness/index.js';
import { expectSameFeatures, vector } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';

describe('FeatureCache while Redis is down, frozen, and back', () => {
  const redis = useRedisServer();
  let client: RedisClient;

  beforeAll(async () => {
    client = await RedisClient.connect({
      url: redis.url,
      commandTimeoutMs: 300,
      retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    });
  });
  afterAll(async () => {
    redis.server.thaw();
    await client.close();
  });

  /** Every cache call on a broken Redis: reads are misses, writes false, nothing rejects. */
  async function expectFailOpen(cache: FeatureCache): Promise<void> {
    cache.resetStats();
    const outcomes = await Promise.allSettled([
      cache.get('A', DATE),
      cache.getMany(['B', 'A', 'C'], DATE),
      cache.set('A', DATE, vector(9)),
      cache.setMany(DATE, { B: vector(9), C: vector(9) }),
      cache.invalidate('A', DATE),
      cache.invalidateSymbol('A'),
      cache.invalidateDate(DATE),
      cache.serverStats(),
    ]);
    const values = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason as unknown));
    expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('fulfilled'));
    const [get, many, set, setMany, invalidate, bySymbol, byDate, server] = values;
    expect(get).toBeNull();
    expect([...(many as Map<string, unknown>).entries()]).toEqual([['B', null], ['A', null], ['C', null]]);
    expect([set, setMany, invalidate, bySymbol, byDate, server]).toEqual([false, false, false, 0, 0, null]);
    // One error per failed call; the get and the MGET's three reads are misses.
    expect(cache.stats()).toMatchObject({ errors: 8, misses: 4, hits: 0, sets: 0 });
  }

  it('with the server killed, every call settles fail-open, and the cache works again after a restart', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('down').prefix });
    expect(await cache.set('A', DATE, vector(1))).toBe(true);
    await redis.server.kill();
    try {
      await expectFailOpen(cache);
      await waitFor(() => client.status === 'reconnecting', { description: 'client reconnecting' });
      await expectFailOpen(cache);
      // getOrCompute still answers from compute when Redis cannot.
      expect(await cache.getOrCompute('A', DATE, () => vector(5))).toEqual(vector(5));
    } finally {
      await redis.server.restart();
    }
    await waitFor(async () => cache.set('A', DATE, vector(2)), { timeoutMs: 15_000, description: 'set after restart' });
    expectSameFeatures(await cache.get('A', DATE), vector(2));
    expect((await cache.getMany(['A', 'B'], DATE)).get('A')).toEqual(vector(2));
  });

  it('with the server frozen, calls already on the wire settle by the deadline as misses and false', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('frozen').prefix });
    await waitFor(() => client.isReady, { timeoutMs: 15_000, description: 'client ready' });
    expect(await cache.set('A', DATE, vector(1))).toBe(true);
    redis.server.freeze();
    try {
      await expectFailOpen(cache);
    } finally {
      redis.server.thaw();
    }
    // The timed-out writes reached the server and ran on SIGCONT; only fresh calls are checked.
    await waitFor(async () => cache.set('R', DATE, vector(3)), { timeoutMs: 15_000, description: 'set after thaw' });
    expectSameFeatures(await cache.get('R', DATE), vector(3));
  });
});
