import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient, RedisKeys } from '../../../src/index.js';
import { useRedisServer } from '../../harness/index.js';
import { plainClient, type PlainClient } from '../../harness/cache/helpers.js';

describe('RedisKeys finds on real Redis what the Python services write under their RedisKeys', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  let python: PlainClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url });
    python = await plainClient(redis.url);
  });
  afterAll(async () => {
    await client.close();
    await python.close();
  });

  it('every helper names the key the Python f-string names', async () => {
    // Keys as upstream keys.py spells them, written by a plain client standing in for Python.
    const written: Array<[string, string]> = [
      ['price:AAPL', 'p'],
      ['feature:AAPL:2025-01-17', 'f'],
      ['cb:global', 'OPEN'],
      ['model:version:alpha_baseline', 'v42'],
      ['quarantine:alpha_baseline:AAPL', 'orphan_order_detected'],
      ['quarantine:*:MSFT', 'orphan_order_detected'],
      ['orphan_exposure:external:AAPL', '1500.00'],
      ['reduce_only_lock:AAPL', 'token'],
    ];
    for (const [key, value] of written) await python.set(key, value);
    const keys = [
      RedisKeys.price('AAPL'),
      RedisKeys.feature('AAPL', '2025-01-17'),
      RedisKeys.circuitBreaker('global'),
      RedisKeys.modelVersion('alpha_baseline'),
      RedisKeys.quarantine('alpha_baseline', 'AAPL'),
      RedisKeys.quarantine('*', 'MSFT'),
      RedisKeys.orphanExposure('external', 'AAPL'),
      RedisKeys.reduceOnlyLock('AAPL'),
    ];
    expect(await client.mget(keys)).toEqual(written.map(([, value]) => value));
  });

  it('the upstream quarantine check: one MGET of the strategy key and the all-strategies key', async () => {
    await python.set('quarantine:*:TSLA', 'orphan_order_detected');
    const [strategy, wildcard] = await client.mget([RedisKeys.quarantine('alpha_baseline', 'TSLA'), RedisKeys.quarantine('*', 'TSLA')]);
    expect([strategy, wildcard]).toEqual([null, 'orphan_order_detected']);
  });

  it('feature (singular) is not where FeatureCache (plural) stores vectors', async () => {
    const cache = new FeatureCache(client, { ttlSeconds: 60 });
    expect(await cache.set('NVDA', '2025-01-17', { a: 1 })).toBe(true);
    expect(await python.exists(RedisKeys.feature('NVDA', '2025-01-17'))).toBe(0);
    expect(await python.exists('features:NVDA:2025-01-17')).toBe(1);
  });
});
