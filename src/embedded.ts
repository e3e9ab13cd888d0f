/**
 * `@trading-platform/redis-client/embedded`: an in-process Redis (ioredis-mock) behind the same
 * `RedisClient` API, for unit tests, demos and examples with no server. Needs the optional peer
 * dependencies `ioredis` and `ioredis-mock`.
 *
 * @example
 * ```ts
 * import { createEmbeddedClient } from '@trading-platform/redis-client/embedded';
 * const client = await createEmbeddedClient().connect();
 * ```
 */
import { embeddedServer } from './adapters/embedded/server.js';
import { BACKEND_FACTORY, type InternalClientOptions } from './client/backend.js';
import type { RedisClientOptions } from './client/options.js';
import { RedisClient } from './client/redis-client.js';

/**
 * One in-memory Redis: every client made from it shares its keys and its pub/sub, and no
 * other server sees them.
 */
export interface EmbeddedServer {
  /** A name unique in this process. */
  readonly id: string;
  /** A new, unconnected client of this server. */
  createClient(options?: EmbeddedClientOptions): RedisClient;
}

/** Options of an embedded client: the timeouts and logger of {@link RedisClientOptions}. */
export type EmbeddedClientOptions = Pick<RedisClientOptions, 'commandTimeoutMs' | 'retry' | 'logger' | 'name'>;

/** Creates a fresh, empty in-memory Redis. */
export function createEmbeddedServer(): EmbeddedServer {
  const { id, backends } = embeddedServer();
  return {
    id,
    createClient: (options: EmbeddedClientOptions = {}) => {
      const internal: InternalClientOptions = { ...options, [BACKEND_FACTORY]: backends };
      return new RedisClient(internal);
    },
  };
}

/**
 * A `RedisClient` backed by an in-memory Redis. Pass `server` to share keys and pub/sub with
 * other clients; without it each call makes a new, empty server. `duplicate()` stays on the
 * same server.
 */
export function createEmbeddedClient(options: EmbeddedClientOptions & { server?: EmbeddedServer } = {}): RedisClient {
  const { server = createEmbeddedServer(), ...clientOptions } = options;
  return server.createClient(clientOptions);
}
