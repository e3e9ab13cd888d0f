import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient, RedisConnectionError, RedisSdkError, RedisTimeoutError, RedisUnavailableError } from '../../../src/index.js';
import { keygen, startFaultProxy, useRedisServer, waitFor, type FaultProxyHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

/** Correctness slack on top of a deadline: the call must settle, not hang. */
const SLACK_MS = 1500;

function once(client: RedisClient, event: 'ready' | 'reconnecting'): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}

describe('RedisClient against a frozen, killed or restarted server', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  const errors: Error[] = [];

  beforeAll(async () => {
    client = await RedisClient.connect({
      url: redis.url,
      commandTimeoutMs: 500,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    // Listening is optional; recording lets us check errors arrive as SDK errors.
    client.on('error', (e) => errors.push(e));
  });

  afterAll(async () => {
    redis.server.thaw();
    await client.close();
  });

  it('a GET to a SIGSTOPped server rejects with RedisTimeoutError within commandTimeoutMs, and recovers after SIGCONT', async () => {
    const key = keygen('freeze').key();
    await client.set(key, 'before');
    redis.server.freeze();
    try {
      const start = performance.now();
      const err: unknown = await client.get(key).catch((e: unknown) => e);
      const ms = performance.now() - start;
      expect(err).toBeInstanceOf(RedisTimeoutError);
      expect((err as RedisTimeoutError).context).toMatchObject({ command: 'GET', timeoutMs: expect.any(Number) as number });
      expect(ms).toBeGreaterThanOrEqual(450);
      expect(ms).toBeLessThan(500 + SLACK_MS);
    } finally {
      redis.server.thaw();
    }
    const value = await waitFor(() => client.get(key), { timeoutMs: 15_000, description: 'GET after SIGCONT' });
    expect(value).toBe('before');
  });

  it('a killed server takes the client through reconnecting back to ready; healthCheck follows', async () => {
    const key = keygen('restart').key();
    const reconnecting = once(client, 'reconnecting');
    await redis.server.kill();
    await reconnecting;
    expect(client.status).toBe('reconnecting');
    expect(await client.healthCheck()).toBe(false);
    const err: unknown = await client.get(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    const ready = once(client, 'ready');
    await redis.server.restart();
    await ready;
    expect(client.status).toBe('ready');
    expect(await client.healthCheck()).toBe(true);
    await client.set(key, 'after');
    expect(await client.get(key)).toBe('after');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e instanceof RedisSdkError)).toBe(true);
  });

  it('connect() while reconnecting waits for ready instead of resolving at once', async () => {
    const reconnecting = once(client, 'reconnecting');
    await redis.server.kill();
    await reconnecting;
    const connected = client.connect();
    let settled = false;
    void connected.then(() => (settled = true), () => (settled = true));
    // Still down: connect() must not claim success.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    await redis.server.restart();
    await expect(connected).resolves.toBe(client);
    expect(client.isReady).toBe(true);
  });

  it('close() settles within commandTimeoutMs on a frozen server with a command in flight', async () => {
    const frozen = await RedisClient.connect({ url: redis.url, commandTimeoutMs: 500 });
    redis.server.freeze();
    try {
      await expect(frozen.get(keygen('close').key())).rejects.toBeInstanceOf(RedisTimeoutError);
      const start = performance.now();
      await frozen.close();
      expect(performance.now() - start).toBeLessThan(500 + SLACK_MS);
      expect(frozen.status).toBe('closed');
    } finally {
      redis.server.thaw();
    }
  });
});

describe('RedisClient through a resetting link', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  let direct: RedisClient;

  beforeAll(async () => {
    proxy = await startFaultProxy({ targetPort: redis.server.port });
    direct = await RedisClient.connect({ url: redis.url });
  });

  afterAll(async () => {
    await direct.close();
    await proxy.close();
  });

  const viaProxy = (): Promise<RedisClient> =>
    RedisClient.connect({
      url: proxy.url,
      commandTimeoutMs: 5000,
      retry: { attempts: 20, baseDelayMs: 20, maxDelayMs: 100 },
      reconnect: { baseDelayMs: 10, maxDelayMs: 50 },
    });

  /** Lets the client hand the command to its socket before the fault. */
  const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('retries a GET transparently when the connection is reset while it is in flight', async () => {
    await using client = await viaProxy();
    const key = keygen('reset').key();
    await direct.set(key, 'value');
    const reconnecting = once(client, 'reconnecting');
    await proxy.setMode('blackhole');
    const pending = client.get(key);
    await nextTurn();
    await proxy.setMode('reset');
    await proxy.setMode('pass');
    await reconnecting;
    expect(await pending).toBe('value');
  });

  it('never retries a PUBLISH: it rejects and the message is not delivered', async () => {
    await using client = await viaProxy();
    await using subscriber = await direct.duplicate().connect();
    const channel = keygen('pub').key('chan');
    const received: string[] = [];
    await subscriber.subscribe([channel], (m) => received.push(m));
    await proxy.setMode('blackhole');
    const pending = client.publish(channel, 'maybe-twice');
    await nextTurn();
    await proxy.setMode('reset');
    await proxy.setMode('pass');
    const err: unknown = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisConnectionError);
    // A marker sent after the failure proves everything sent before it has been delivered.
    await waitFor(() => client.isReady, { timeoutMs: 10_000, description: 'client ready again' });
    expect(await client.publish(channel, 'marker')).toBe(1);
    await waitFor(() => received.includes('marker'), { timeoutMs: 5000, description: 'marker delivered' });
    expect(received).toEqual(['marker']);
  });

  it('healthCheck is false while the link refuses connections and true after', async () => {
    await using client = await viaProxy();
    const reconnecting = once(client, 'reconnecting');
    await proxy.setMode('reset');
    await reconnecting;
    expect(await client.healthCheck()).toBe(false);
    const ready = once(client, 'ready');
    await proxy.setMode('pass');
    await ready;
    expect(await client.healthCheck()).toBe(true);
  });
});
