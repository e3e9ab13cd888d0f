import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FeatureCache, RedisClient } from '../../../src/index.js';
import { keygen, waitFor } from '../../harness/index.js';
import { plainClient, type PlainClient } from '../../harness/cache/helpers.js';

const DATE = '2025-01-17';

describe.each([2, 3] as const)('FeatureCache local tier on a user-made RESP %i node-redis client', (resp) => {
  let user: ReturnType<typeof createClient>;
  let client: RedisClient;
  let writer: PlainClient;

  beforeAll(async () => {
    user = createClient({ url: inject('redisUrl'), RESP: resp });
    user.on('error', () => undefined);
    await user.connect();
    client = RedisClient.fromNodeRedis(user);
    writer = await plainClient(inject('redisUrl'));
  });
  afterAll(async () => {
    await writer.close();
    await user.close();
  });

  it('receives invalidations, so another process\'s write is never served stale', async () => {
    const cache = new FeatureCache(client, { prefix: keygen('user-local').prefix, local: true });
    try {
      await waitFor(() => cache.localTierLive, { description: 'local tier live' });
      const key = cache.key('AAPL', DATE);
      await writer.set(key, '{"v": 1.0}');
      expect(await cache.get('AAPL', DATE)).toEqual({ v: 1 });
      await cache.get('AAPL', DATE);
      expect(cache.stats().localHits).toBe(1);
      await writer.set(key, '{"v": 2.0}');
      // The tracking connection drops the local copy once Redis sends the invalidation.
      await waitFor(async () => (await cache.get('AAPL', DATE))?.v === 2, { description: 'new value visible' });
      expect(await cache.get('AAPL', DATE)).toEqual({ v: 2 });
    } finally {
      await cache.close();
    }
  });
});
