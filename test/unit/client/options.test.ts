import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, ConfigError, RedisClient, type RedisClientOptions } from '../../../src/index.js';
import { redactUrl, resolveClientOptions } from '../../../src/client/options.js';

function configError(options: RedisClientOptions): ConfigError {
  try {
    new RedisClient(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveClientOptions', () => {
  it('applies every default', () => {
    const o = resolveClientOptions();
    expect(o).toMatchObject({
      host: CLIENT_DEFAULTS.host,
      port: CLIENT_DEFAULTS.port,
      db: 0,
      username: undefined,
      password: undefined,
      tls: false,
      connectTimeoutMs: CLIENT_DEFAULTS.connectTimeoutMs,
      commandTimeoutMs: CLIENT_DEFAULTS.commandTimeoutMs,
      retry: CLIENT_DEFAULTS.retry,
      reconnect: CLIENT_DEFAULTS.reconnect,
    });
  });

  it('reads host, port, credentials, db and TLS from a URL, decoding escapes', () => {
    const o = resolveClientOptions({ url: 'rediss://svc%40x:p%3Ass@cache.local:6380/4' });
    expect(o).toMatchObject({ host: 'cache.local', port: 6380, username: 'svc@x', password: 'p:ss', db: 4, tls: true });
    expect(resolveClientOptions({ url: 'redis://[::1]:7000' })).toMatchObject({ host: '::1', port: 7000 });
  });

  it('lets explicit options win over the URL', () => {
    const o = resolveClientOptions({ url: 'redis://a:1@h:1000/1', host: 'other', port: 2000, db: 3, password: 'p2' });
    expect(o).toMatchObject({ host: 'other', port: 2000, db: 3, username: 'a', password: 'p2' });
  });

  it('merges partial retry and reconnect settings with the defaults', () => {
    const o = resolveClientOptions({ retry: { attempts: 7 }, reconnect: { maxDelayMs: 900 } });
    expect(o.retry).toEqual({ ...CLIENT_DEFAULTS.retry, attempts: 7 });
    expect(o.reconnect).toEqual({ ...CLIENT_DEFAULTS.reconnect, maxDelayMs: 900 });
  });

  it.each([
    [{ port: 0 }, 'port'],
    [{ port: 70000 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ db: -1 }, 'db'],
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs'],
    [{ commandTimeoutMs: Number.NaN }, 'commandTimeoutMs'],
    [{ socketTimeoutMs: -5 }, 'socketTimeoutMs'],
    [{ maxPendingCommands: 0 }, 'maxPendingCommands'],
    [{ retry: { attempts: 0 } }, 'retry.attempts'],
    [{ retry: { baseDelayMs: -1 } }, 'retry.baseDelayMs'],
    [{ reconnect: { baseDelayMs: 0 } }, 'reconnect.baseDelayMs'],
    [{ pingIntervalMs: 5000, socketTimeoutMs: 5000 }, 'pingIntervalMs'],
    [{ url: 'http://localhost:6379' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'redis://localhost:6379/abc' }, 'url'],
    [{ cluster: { rootNodes: [] } }, 'cluster.rootNodes'],
    [{ sentinel: { name: '', sentinels: [{ host: 'h', port: 1 }] } }, 'sentinel'],
    [{ cluster: { rootNodes: [{ host: 'h', port: 1 }] }, sentinel: { name: 'm', sentinels: [{ host: 'h', port: 2 }] } }, 'cluster'],
  ] as Array<[RedisClientOptions, string]>)('rejects %j at construction, naming %s', (options, option) => {
    const err = configError(options);
    expect(err.context).toEqual({ option });
    expect(err.code).toBe('E_CONFIG');
  });

  it('never echoes the password of an invalid URL', () => {
    const err = configError({ url: 'redis://user:topsecret@ho st:1' });
    expect(err.message).not.toContain('topsecret');
  });
});

describe('redaction of endpoints', () => {
  it('redactUrl masks the password and keeps the user', () => {
    expect(redactUrl('redis://user:secret@host:6379/2')).toBe('redis://user:***@host:6379/2');
    expect(redactUrl('rediss://:secret@host')).toBe('rediss://:***@host');
    expect(redactUrl('redis://host:6379')).toBe('redis://host:6379');
  });

  it('String, inspect and JSON of a client never contain the password', () => {
    const client = new RedisClient({ url: 'redis://svc:pa55-word@db.internal:6390', password: 'pa55-word' });
    const shown = [String(client), inspect(client), inspect({ nested: client }), JSON.stringify(client), JSON.stringify({ client })];
    for (const s of shown) expect(s).not.toContain('pa55-word');
    expect(String(client)).toBe('RedisClient(redis://svc:***@db.internal:6390, closed)');
    expect(JSON.parse(JSON.stringify(client))).toEqual({ endpoint: 'redis://svc:***@db.internal:6390', status: 'closed', kind: 'standalone' });
  });
});

describe('option bounds and shapes', () => {
  it.each([
    [{ commandTimeoutMs: 1e12 }, 'commandTimeoutMs'],
    [{ connectTimeoutMs: 2 ** 31 }, 'connectTimeoutMs'],
    [{ retry: { baseDelayMs: 500, maxDelayMs: 100 } }, 'baseDelayMs <= maxDelayMs'],
    [{ reconnect: { baseDelayMs: 500, maxDelayMs: 100 } }, 'baseDelayMs <= maxDelayMs'],
    [{ tls: 'yes' as unknown as boolean }, 'tls'],
    [{ cluster: { rootNodes: [{ host: 'a', port: 'x' as unknown as number }] } }, 'cluster.rootNodes'],
    [{ sentinel: { name: 'm', sentinels: [{ host: '', port: 26379 }] } }, 'sentinel.sentinels'],
  ] as Array<[RedisClientOptions, string]>)('rejects %j naming %s', (options, name) => {
    expect(configError(options).message).toContain(name);
  });

  it('never shows the password of a malformed URL, in the message or the cause', () => {
    const err = configError({ url: 'redis://user:pa/ss%@host:6379' });
    expect(err.message).toContain('redis://user:***@host:6379');
    expect(inspect(err, { depth: 5 })).not.toContain('pa/ss');
    expect(redactUrl('redis://:sec/ret@h:1')).toBe('redis://:***@h:1');
  });

  it('fromNodeRedis refuses what is not a node-redis client', () => {
    expect(() => RedisClient.fromNodeRedis(5)).toThrow(ConfigError);
    expect(() => RedisClient.fromNodeRedis({ get: () => null })).toThrow(ConfigError);
  });
});
