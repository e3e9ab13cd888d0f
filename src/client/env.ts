/** `RedisClient.fromEnv`: client options from the `REDIS_*` environment variables the Python services use. */
import { ConfigError } from '../internal/errors.js';
import type { RedisClientOptions } from './options.js';

/** The environment variables {@link RedisClient.fromEnv} reads. */
export type RedisEnv = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Parses a boolean variable; `undefined` when unset or empty. */
export function envBoolean(env: RedisEnv, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name] ?? ''}"`, { context: { variable: name } });
}

/** Parses an integer variable within bounds; `undefined` when unset or empty. */
export function envInteger(env: RedisEnv, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`, { context: { variable: name } });
  }
  return value;
}

/**
 * Reads client options from the environment: `REDIS_URL`, or `REDIS_HOST`, `REDIS_PORT`,
 * `REDIS_DB`, `REDIS_USERNAME`, `REDIS_PASSWORD`, `REDIS_TLS`. Returns `null` when
 * `REDIS_ENABLED` is false. Throws {@link ConfigError} naming the variable on a bad value.
 */
export function optionsFromEnv(env: RedisEnv): RedisClientOptions | null {
  if (envBoolean(env, 'REDIS_ENABLED') === false) return null;
  const options: RedisClientOptions = {};
  const url = env.REDIS_URL?.trim();
  if (url) {
    if (!/^rediss?:\/\//.test(url)) {
      throw new ConfigError('REDIS_URL must start with redis:// or rediss://', { context: { variable: 'REDIS_URL' } });
    }
    options.url = url;
  }
  const host = env.REDIS_HOST?.trim();
  if (host) options.host = host;
  const port = envInteger(env, 'REDIS_PORT', 1, 65535);
  if (port !== undefined) options.port = port;
  const db = envInteger(env, 'REDIS_DB', 0, 1_000_000);
  if (db !== undefined) options.db = db;
  if (env.REDIS_USERNAME) options.username = env.REDIS_USERNAME;
  if (env.REDIS_PASSWORD) options.password = env.REDIS_PASSWORD;
  const tls = envBoolean(env, 'REDIS_TLS');
  if (tls !== undefined) options.tls = tls;
  return options;
}
