/**
 * RedisClient and FeatureCache through Redis Sentinel (harness: a master, a replica and three
 * Sentinels): the client finds the master by name and runs cache and pub/sub traffic on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient } from '../../../src/index.js';
import { keygen, startSentinel, waitFor, type SentinelHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { symbols, vectorFor } from '../../harness/deploy/fixtures.js';

expectNoUnhandledRejections();

let set: SentinelHandle;
let client: RedisClient;

beforeAll(async () => {
  set = await startSentinel();
  client = await RedisClient.connect({ sentinel: { name: set.name, sentinels: [...set.sentinels] }, commandTimeoutMs: 3000 });
});

afterAll(async () => {
  await client?.close();
  await set?.stop();
});

describe('RedisClient with sentinel', () => {
  it('connects through the Sentinels and writes to the master they name', async () => {
    expect(client.kind).toBe('sentinel');
    expect(client.isReady).toBe(true);
    const key = keygen('sen').key();
    await client.set(key, 'on-master', { ttlSeconds: 600 });
    expect(await set.master.cli('GET', key)).toBe('on-master');
    // The replica receives it too: the client wrote to the real master, not to a replica.
    await waitFor(async () => (await set.replica.cli('GET', key)) === 'on-master', { timeoutMs: 5000, description: 'replicated' });
  });

  it('FeatureCache set, get, setMany, getMany and invalidateDate run on the master', async () => {
    const prefix = keygen('sen').prefix;
    const cache = new FeatureCache(client, { prefix, ttl: 600 });
    const syms = symbols(20);
    expect(await cache.set('AAPL', '2025-01-17', vectorFor(1))).toBe(true);
    expect(await cache.get('AAPL', '2025-01-17')).toEqual(vectorFor(1));
    expect(await cache.setMany('2025-01-17', syms.map((s, i) => [s, vectorFor(i)] as const))).toBe(true);
    const got = await cache.getMany(syms, '2025-01-17');
    for (const [i, s] of syms.entries()) expect(got.get(s)).toEqual(vectorFor(i));
    expect(await set.master.cli('EXISTS', `${prefix}:AAPL:2025-01-17`)).toBe('1');
    expect(await cache.invalidateDate('2025-01-17')).toBe(21);
    expect(await cache.get('AAPL', '2025-01-17')).toBeNull();
    expect(cache.stats().errors).toBe(0);
  });

  it('publish reaches a subscriber on a duplicate connection, and counts it', async () => {
    const channel = `${keygen('sen').prefix}.signals.generated`;
    const sub = client.duplicate();
    await sub.connect();
    try {
      const received: string[] = [];
      await sub.subscribe([channel], (message) => received.push(message));
      expect(await client.publish(channel, '{"n":1}')).toBe(1);
      await waitFor(() => received.length === 1, { timeoutMs: 5000, description: 'message through sentinel master' });
      expect(received).toEqual(['{"n":1}']);
    } finally {
      await sub.close();
    }
  });
});
