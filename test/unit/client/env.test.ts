import { describe, expect, it } from 'vitest';
import { ConfigError, RedisClient, type RedisEnv } from '../../../src/index.js';
import { optionsFromEnv } from '../../../src/client/env.js';

function envError(env: RedisEnv): ConfigError {
  try {
    RedisClient.fromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('RedisClient.fromEnv', () => {
  it('builds an unconnected client from REDIS_HOST/PORT/DB/USERNAME/PASSWORD/TLS', () => {
    const env = { REDIS_HOST: 'cache', REDIS_PORT: '6390', REDIS_DB: '3', REDIS_USERNAME: 'svc', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' };
    expect(optionsFromEnv(env)).toEqual({ host: 'cache', port: 6390, db: 3, username: 'svc', password: 'pw', tls: true });
    const client = RedisClient.fromEnv(env);
    expect(client).toBeInstanceOf(RedisClient);
    expect(client?.status).toBe('closed');
    expect(String(client)).toBe('RedisClient(rediss://svc:***@cache:6390/3, closed)');
  });

  it('uses REDIS_URL, with the other variables overriding its parts', () => {
    const client = RedisClient.fromEnv({ REDIS_URL: 'redis://u:p@h:1000/1', REDIS_DB: '2' });
    expect(String(client)).toBe('RedisClient(redis://u:***@h:1000/2, closed)');
  });

  it('keeps the caller overrides but lets the environment decide the endpoint', () => {
    const client = RedisClient.fromEnv({ REDIS_PORT: '7000' }, { commandTimeoutMs: 123 });
    expect(client?.commandTimeoutMs).toBe(123);
    expect(String(client)).toBe('RedisClient(redis://localhost:7000, closed)');
  });

  it('treats unset and empty variables as absent', () => {
    expect(optionsFromEnv({})).toEqual({});
    expect(optionsFromEnv({ REDIS_PORT: '', REDIS_TLS: ' ', REDIS_HOST: '' })).toEqual({});
  });

  it.each(['false', 'FALSE', '0', 'no', 'off'])('returns null when REDIS_ENABLED=%s', (value) => {
    expect(RedisClient.fromEnv({ REDIS_ENABLED: value, REDIS_PORT: 'abc' })).toBeNull();
  });

  it.each(['true', '1', 'yes'])('returns a client when REDIS_ENABLED=%s', (value) => {
    expect(RedisClient.fromEnv({ REDIS_ENABLED: value })).toBeInstanceOf(RedisClient);
  });

  it.each([
    [{ REDIS_PORT: 'abc' }, 'REDIS_PORT'],
    [{ REDIS_PORT: '0' }, 'REDIS_PORT'],
    [{ REDIS_PORT: '65536' }, 'REDIS_PORT'],
    [{ REDIS_PORT: '63.5' }, 'REDIS_PORT'],
    [{ REDIS_DB: '-1' }, 'REDIS_DB'],
    [{ REDIS_DB: 'one' }, 'REDIS_DB'],
    [{ REDIS_TLS: 'maybe' }, 'REDIS_TLS'],
    [{ REDIS_ENABLED: 'perhaps' }, 'REDIS_ENABLED'],
    [{ REDIS_URL: 'http://h:1' }, 'REDIS_URL'],
  ] as Array<[RedisEnv, string]>)('rejects %j with a ConfigError naming %s', (env, variable) => {
    const err = envError(env);
    expect(err.message).toContain(variable);
    expect(err.context).toEqual({ variable });
  });

  it('never echoes REDIS_PASSWORD in an error about another variable', () => {
    const err = envError({ REDIS_PASSWORD: 'very-secret', REDIS_PORT: 'abc' });
    expect(err.message).not.toContain('very-secret');
  });
});
