/** `RedisClient.fromNodeRedis`: what it accepts, and the endpoint it shows, taken from the wrapped object. */
import { inspect } from 'node:util';
import { createClient, createCluster, createSentinel } from 'redis';
import { describe, expect, it } from 'vitest';
import { wrapNodeRedis } from '../../../../src/adapters/node-redis/wrap.js';
import { ConfigError, RedisClient } from '../../../../src/index.js';

describe('RedisClient.fromNodeRedis endpoint', () => {
  it('shows a client’s own URL (user, host, port, db, TLS), never the password', () => {
    const raw = createClient({ url: 'rediss://svc:s3cret@cache.internal:6390/2' });
    const client = RedisClient.fromNodeRedis(raw);
    expect(client.endpoint).toBe('rediss://svc:***@cache.internal:6390/2');
    expect(String(client)).toBe('RedisClient(rediss://svc:***@cache.internal:6390/2, closed)');
    expect(client.toJSON()).toEqual({ endpoint: 'rediss://svc:***@cache.internal:6390/2', status: 'closed', kind: 'standalone' });
    expect(inspect(client)).not.toContain('s3cret');
  });

  it('shows socket options given without a URL, IPv6 in brackets', () => {
    expect(RedisClient.fromNodeRedis(createClient({ socket: { host: '::1', port: 7001 } })).endpoint).toBe('redis://[::1]:7001');
    expect(RedisClient.fromNodeRedis(createClient({ socket: { path: '/run/redis.sock', tls: false } })).endpoint).toBe('redis+unix:///run/redis.sock');
  });

  it('shows a cluster’s root nodes, given as URLs or sockets', () => {
    const cluster = createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:7000' }, { socket: { host: '10.0.0.2', port: 7001 } }] });
    const client = RedisClient.fromNodeRedis(cluster);
    expect(client.kind).toBe('cluster');
    expect(client.endpoint).toBe('cluster(10.0.0.1:7000,10.0.0.2:7001)');
  });

  it('shows a sentinel as such until its master is known', () => {
    const sentinel = createSentinel({ name: 'mymaster', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });
    const client = RedisClient.fromNodeRedis(sentinel);
    expect(client.kind).toBe('sentinel');
    expect(client.endpoint).toBe('sentinel');
  });

  it('shows a sentinel’s current master once it knows it', () => {
    const sentinel = createSentinel({ name: 'mymaster', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });
    const known: { master?: { host: string; port: number } } = {};
    Object.defineProperty(sentinel, 'getMasterNode', { value: () => known.master });
    const client = RedisClient.fromNodeRedis(sentinel);
    expect(client.endpoint).toBe('sentinel');
    known.master = { host: '10.0.0.9', port: 6381 };
    expect(client.endpoint).toBe('sentinel(master 10.0.0.9:6381)');
  });

  it('never shows the default localhost:6379 for a client that is elsewhere', () => {
    const client = RedisClient.fromNodeRedis(createClient({ url: 'redis://10.1.2.3:6380' }));
    expect(String(client)).not.toContain('localhost:6379');
  });

  it('rejects anything that is not a node-redis client, cluster or sentinel with a ConfigError', () => {
    for (const bad of [null, {}, 'redis://localhost', { get: () => undefined }]) {
      expect(() => RedisClient.fromNodeRedis(bad)).toThrow(ConfigError);
    }
  });

  it('knows a wrapped client uses TLS (from rediss://, TLS sockets or the tls option), for the hint of a reset handshake', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const hint = (client: unknown, tls?: boolean): string =>
      wrapNodeRedis(client, tls)(() => 1).mapError(reset, 'connect', 'connect').message;
    const tlsHint = /client certificate/;
    const plainHint = /TLS-only port/;
    expect(hint(createClient({ url: 'rediss://h:6380' }))).toMatch(tlsHint);
    expect(hint(createClient({ url: 'redis://h:6379' }))).toMatch(plainHint);
    expect(hint(createCluster({ rootNodes: [{ url: 'rediss://10.0.0.1:7000' }] }))).toMatch(tlsHint);
    expect(hint(createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:7000' }], defaults: { socket: { tls: true } } }))).toMatch(tlsHint);
    expect(hint(createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:7000' }] }))).toMatch(plainHint);
    const sentinel = createSentinel({ name: 'm', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });
    expect(hint(sentinel, true)).toMatch(tlsHint);
    expect(hint(sentinel)).toMatch(plainHint);
  });
});
