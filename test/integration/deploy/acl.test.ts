/**
 * RedisClient and FeatureCache as a restricted ACL user: allowed traffic works, NOPERM is a typed
 * `RedisCommandError`, a wrong password fails fast without a reconnect loop, and after a
 * password rotation no command ever runs as another user (here the server's open `default`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient, RedisCommandError, RedisConnectionError, RedisSdkError } from '../../../src/index.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { vectorFor } from '../../harness/deploy/fixtures.js';

expectNoUnhandledRejections();

/** The rules of the production example in docs/production.md, applied after `ACL SETUSER <user> on >pass`. */
export const APP_RULES = [
  'resetkeys', '~features:*',
  'resetchannels', '&signals.generated', '&orders.executed', '&positions.updated',
  '-@all', '+@read', '+@write', '+@pubsub', '+@connection', '-@dangerous', '+info',
];

const CONNECT_TIMEOUT_MS = 2000;
const SLACK_MS = 1500;

describe('RedisClient as a restricted ACL user', () => {
  // The default user stays as Redis ships it: no password, every permission. Anything that ran
  // as `default` by mistake would therefore succeed where the app user must fail.
  const redis = useRedisServer();
  let client: RedisClient;

  beforeAll(async () => {
    await redis.server.cli('ACL', 'SETUSER', 'app', 'on', '>app-pass-1', ...APP_RULES);
    client = await RedisClient.connect({
      url: redis.url,
      username: 'app',
      password: 'app-pass-1',
      commandTimeoutMs: 1000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    });
  });

  afterAll(async () => {
    await client?.close();
  });

  /** The user of every connection the SDK holds open on the server (`CLIENT LIST`, by name). */
  async function sdkUsers(): Promise<string[]> {
    const lines = (await redis.server.cli('CLIENT', 'LIST')).split('\n').filter((l) => l.includes(' name=trading-platform-sdk '));
    return lines.map((l) => /\buser=(\S+)/.exec(l)?.[1] ?? '?');
  }

  it('runs FeatureCache reads, writes and invalidation, and publishes to the event channels', async () => {
    const cache = new FeatureCache(client, { ttl: 600 });
    expect(await cache.setMany('2025-01-17', [['AAPL', vectorFor(1)], ['MSFT', vectorFor(2)]])).toBe(true);
    const got = await cache.getMany(['AAPL', 'MSFT'], '2025-01-17');
    expect(got.get('AAPL')).toEqual(vectorFor(1));
    expect(got.get('MSFT')).toEqual(vectorFor(2));
    expect(await cache.invalidateDate('2025-01-17')).toBe(2);
    expect(await client.publish('signals.generated', '{}')).toBe(0);
    expect(await client.publish('orders.executed', '{}')).toBe(0);
    expect(cache.stats().errors).toBe(0);
    expect(await sdkUsers()).toEqual(['app']);
  });

  it('NOPERM on another key or channel is a RedisCommandError carrying the server text', async () => {
    const err = await client.get('secrets:k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisCommandError);
    expect((err as Error).message).toMatch(/^GET failed: NOPERM .*key/);
    const pub = await client.publish('admin.commands', 'x').catch((e: unknown) => e);
    expect(pub).toBeInstanceOf(RedisCommandError);
    expect((pub as Error).message).toMatch(/NOPERM .*channel/);
    // FeatureCache fails open on a prefix the user may not touch: a miss and a counted error.
    const other = new FeatureCache(client, { prefix: 'other' });
    expect(await other.get('AAPL', '2025-01-17')).toBeNull();
    expect(await other.set('AAPL', '2025-01-17', vectorFor(1))).toBe(false);
    expect(other.stats().errors).toBe(2);
  });

  it('a wrong password fails within connectTimeoutMs with RedisConnectionError and leaves no reconnect loop', async () => {
    const before = Number(/total_connections_received:(\d+)/.exec(await redis.server.cli('INFO', 'stats'))?.[1]);
    const bad = new RedisClient({ url: redis.url, username: 'app', password: 'wrong', connectTimeoutMs: CONNECT_TIMEOUT_MS });
    const start = performance.now();
    const err = await bad.connect().catch((e: unknown) => e);
    const ms = performance.now() - start;
    expect(err).toBeInstanceOf(RedisConnectionError);
    expect((err as Error).message).toMatch(/WRONGPASS/);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    expect(bad.status).toBe('closed');
    expect((bad.raw as { isOpen: boolean }).isOpen).toBe(false);
    const after = Number(/total_connections_received:(\d+)/.exec(await redis.server.cli('INFO', 'stats'))?.[1]);
    // One attempt by the SDK plus the INFO call just made: the failed client did not retry.
    expect(after - before).toBe(2);
  });

  it('after a password rotation the reconnect fails auth and no command runs as default; restoring the password recovers', async () => {
    const key = 'outside:written-by-default';
    await redis.server.cli('ACL', 'LOG', 'RESET');
    const reconnecting = new Promise<void>((resolve) => client.once('reconnecting', () => resolve()));
    await redis.server.cli('ACL', 'SETUSER', 'app', 'resetpass', '>app-pass-2');
    expect(await redis.server.cli('CLIENT', 'KILL', 'USER', 'app')).toBe('1');
    await reconnecting;
    // Wait until the client has tried, and failed, to authenticate with the old password.
    await waitFor(async () => /username\s+app/.test(await redis.server.cli('ACL', 'LOG')), {
      timeoutMs: 10_000,
      description: 'a failed AUTH of user app in ACL LOG',
    });

    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await client.set(key, String(i)).then(
        () => 'ok',
        (e: unknown) => (e instanceof RedisSdkError ? e.name : 'untyped'),
      );
      outcomes.push(r);
    }
    const counts = Object.fromEntries([...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]));
    console.log('password rotation: outcomes of 50 SETs while the old password is rejected:', counts);
    expect(outcomes).not.toContain('ok');
    expect(outcomes).not.toContain('untyped');
    expect(await redis.server.cli('EXISTS', key)).toBe('0');
    expect(await sdkUsers()).toEqual([]);
    expect(client.isReady).toBe(false);

    // Ops fix: add the client's password back (a user may hold several). The reconnect loop recovers.
    const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await redis.server.cli('ACL', 'SETUSER', 'app', '>app-pass-1');
    await ready;
    expect(await sdkUsers()).toEqual(['app']);
    await client.set('features:AAPL:2025-01-17', '{}', { ttlSeconds: 60 });
    expect(await redis.server.cli('EXISTS', key)).toBe('0');
  });
});
