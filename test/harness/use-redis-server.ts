import { afterAll, beforeAll } from 'vitest';
import { startRedisServer } from './redis-server.js';
import type { RedisServerHandle, RedisServerOptions } from './redis-server.js';

/** Lazily filled reference to a server owned by the enclosing `describe` (or file). */
export interface RedisServerFixture {
  /** The running server; throws when read outside the `beforeAll`..`afterAll` window. */
  readonly server: RedisServerHandle;
  /** Shorthand for `server.url`. */
  readonly url: string;
}

/**
 * Starts a dedicated server in `beforeAll` and stops it in `afterAll` of the current suite, for
 * tests that kill, freeze or reconfigure their server (others can share `inject('redisUrl')`).
 *
 * @example
 * const redis = useRedisServer({ appendonly: true });
 * it('survives a restart', async () => { await redis.server.kill(); await redis.server.restart(); });
 */
export function useRedisServer(options: RedisServerOptions = {}): RedisServerFixture {
  let current: RedisServerHandle | undefined;
  beforeAll(async () => {
    current = await startRedisServer(options);
  });
  afterAll(async () => {
    const server = current;
    current = undefined;
    await server?.stop();
  });
  const get = (): RedisServerHandle => {
    if (!current) throw new Error('useRedisServer: the server is only available between beforeAll and afterAll');
    return current;
  };
  return {
    get server() {
      return get();
    },
    get url() {
      return get().url;
    },
  };
}
