/** Duplicates of a node-redis client the user made keep its settings but take the SDK's per-connection overrides. */
import { createClient } from 'redis';
import { describe, expect, inject, it } from 'vitest';
import { RedisClient } from '../../../../src/index.js';
import { keygen } from '../../../harness/index.js';
import { expectNoUnhandledRejections } from '../../../harness/client/unhandled.js';

expectNoUnhandledRejections();

describe('RedisClient.fromNodeRedis duplicates', () => {
  it("a blocking reader duplicated with a longer socketTimeoutMs outlives the user's short socketTimeout", { timeout: 20_000 }, async () => {
    const raw = createClient({ url: inject('redisUrl'), socket: { socketTimeout: 300 } });
    raw.on('error', () => undefined);
    await raw.connect();
    const client = RedisClient.fromNodeRedis(raw);
    const reader = await client.duplicate({ socketTimeoutMs: 10_000, ping: false, commandTimeoutMs: 500 }).connect();
    try {
      const key = keygen('wrapdup').key('stream');
      expect(await client.streams.createGroup(key, 'g', '$')).toBe(true);
      // Blocks for 1 s with nothing to read: three times the user's socketTimeout.
      const started = performance.now();
      const batches = await reader.streams.readGroup('g', 'c', [{ key, id: '>' }], { count: 1, blockMs: 1000 });
      expect(batches.flatMap((b) => b.entries)).toEqual([]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      expect(reader.status).toBe('ready');
      await reader.del([key]);
    } finally {
      await reader.close();
      await client.close();
    }
  });
});
