/**
 * Start-up and health of an example service's Redis connection: configured from the
 * environment, never blocking start-up on an unreachable server, and reported the same way by
 * every service's `/health`.
 */
import { RedisClient, RedisConnectionError } from '@trading-platform/redis-client';
import type { Logger, RedisEnv } from '@trading-platform/redis-client';

/** How a service sees its Redis: off by configuration, up, or configured but unreachable. */
export type RedisStatus = 'connected' | 'disconnected' | 'disabled';

/** The Redis part of every example's `/health` body. */
export interface RedisHealth {
  redis_enabled: boolean;
  redis_connected: boolean;
  redis_status: RedisStatus;
}

/**
 * The client described by `REDIS_ENABLED`, `REDIS_URL` or `REDIS_HOST`/`REDIS_PORT`/`REDIS_DB`
 * (see `RedisClient.fromEnv`), connected if the server answers. When it does not, logs a
 * warning and keeps reconnecting in the background, so the service starts and serves without
 * Redis until it is back. `null` when `REDIS_ENABLED=false`.
 *
 * @throws ConfigError naming the variable when a Redis variable is invalid.
 */
export async function connectFromEnv(env: RedisEnv, logger: Logger): Promise<RedisClient | null> {
  const client = RedisClient.fromEnv(env, { logger });
  if (client === null) {
    logger.info({}, 'Redis disabled (REDIS_ENABLED=false): running without the feature cache');
    return null;
  }
  try {
    await client.connect();
    logger.info({}, 'connected to Redis');
  } catch (err) {
    if (!(err instanceof RedisConnectionError)) throw err;
    logger.warn({ err: err.message }, 'Redis unreachable: serving without it, reconnecting in the background');
    client.once('ready', () => logger.info({}, 'Redis connection established'));
    client.connectInBackground();
  }
  return client;
}

/** The Redis fields of `/health`; pings the server when the client says it is ready. */
export async function redisHealth(client: RedisClient | null): Promise<RedisHealth> {
  if (client === null) return { redis_enabled: false, redis_connected: false, redis_status: 'disabled' };
  const connected = client.isReady && (await client.healthCheck());
  return { redis_enabled: true, redis_connected: connected, redis_status: connected ? 'connected' : 'disconnected' };
}
