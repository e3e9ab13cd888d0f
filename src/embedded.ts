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
import { EventEmitter } from 'node:events';
import RedisMock from 'ioredis-mock';
import { EmbeddedBackend, type EmbeddedHub, type IoredisLike } from './client/embedded-backend.js';
import type { RedisClientOptions } from './client/options.js';
import { RedisClient } from './client/redis-client.js';

let serverCount = 0;

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
  serverCount += 1;
  const id = `embedded-${process.pid}-${serverCount}`;
  // ioredis-mock keeps one keyspace per host:port, so a unique host isolates this server.
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const hub: EmbeddedHub = {
    connect: () => new RedisMock({ host: id, port: 6379, lazyConnect: false }) as unknown as IoredisLike,
    changes,
  };
  return {
    id,
    createClient: (options: EmbeddedClientOptions = {}) => new RedisClient(options, new EmbeddedBackend(hub)),
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
