/**
 * The demos' Redis: the embedded in-memory server unless `REDIS_URL` names a real one, one client
 * per component (as separate services would have), and the clean-up of a run's keys.
 */
import { RedisClient } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import type { Env } from '../lib/env.js';

/** Which Redis a demo runs on. */
export type DemoRedis = 'embedded' | 'real';

/** `count` connected clients of one server: the embedded one, or `REDIS_URL`'s. */
export async function makeClients(env: Env, count: number): Promise<{ kind: DemoRedis; clients: RedisClient[] }> {
  const url = env.REDIS_URL?.trim();
  if (!url) {
    const server = createEmbeddedServer();
    const clients = Array.from({ length: count }, () => server.createClient());
    await Promise.all(clients.map((c) => c.connect()));
    return { kind: 'embedded', clients };
  }
  const clients = await Promise.all(Array.from({ length: count }, () => RedisClient.connect({ url })));
  return { kind: 'real', clients };
}

/** Unlinks every key matching `pattern` (SCAN, never KEYS). */
export async function deleteMatching(client: RedisClient, pattern: string): Promise<void> {
  const keys: string[] = [];
  for await (const key of client.scan({ match: pattern })) keys.push(key);
  if (keys.length > 0) await client.unlink(keys);
}
