import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisClient, RedisConnectionError } from '../../../src/index.js';
import { findFreePort, startFaultProxy, startRedisServer, type RedisServerHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

const CONNECT_TIMEOUT_MS = 1000;
/** Correctness bound, not a performance threshold: connect must give up, not hang or retry forever. */
const UPPER_BOUND_MS = CONNECT_TIMEOUT_MS + 1500;

async function connectFailure(options: ConstructorParameters<typeof RedisClient>[0]): Promise<{ err: unknown; ms: number; client: RedisClient }> {
  const client = new RedisClient({ connectTimeoutMs: CONNECT_TIMEOUT_MS, ...options });
  const start = performance.now();
  const err = await client.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { err, ms: performance.now() - start, client };
}

describe('RedisClient connect and close', () => {
  it('connects, reports ready, and closes cleanly with events in order', async () => {
    const client = new RedisClient({ url: inject('redisUrl') });
    const events: string[] = [];
    client.on('ready', () => events.push('ready'));
    client.on('close', () => events.push('close'));
    expect(client.status).toBe('closed');
    await client.connect();
    expect(client.status).toBe('ready');
    expect(client.kind).toBe('standalone');
    expect(await client.healthCheck()).toBe(true);
    await client.close();
    expect(client.status).toBe('closed');
    expect(events).toEqual(['ready', 'close']);
  });

  it('RedisClient.connect resolves a ready client; connect() twice shares one attempt', async () => {
    const client = await RedisClient.connect({ url: inject('redisUrl') });
    expect(client.isReady).toBe(true);
    expect(await client.connect()).toBe(client);
    await client.close();
    const other = new RedisClient({ url: inject('redisUrl') });
    const [a, b] = await Promise.all([other.connect(), other.connect()]);
    expect(a).toBe(other);
    expect(b).toBe(other);
    await other.close();
  });

  it('closes at the end of an await using scope', async () => {
    let seen: RedisClient | undefined;
    {
      await using client = await RedisClient.connect({ url: inject('redisUrl') });
      seen = client;
      expect(await client.healthCheck()).toBe(true);
    }
    expect(seen.status).toBe('closed');
  });
});

describe('RedisClient connect failures reject with RedisConnectionError within about connectTimeoutMs', () => {
  let silent: net.Server;
  let silentPort: number;
  const sockets = new Set<net.Socket>();
  let secured: RedisServerHandle;

  beforeAll(async () => {
    // Accepts TCP and never answers a byte.
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
    secured = await startRedisServer({ password: 's3cret-Pa55' });
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await secured.stop();
  });

  it('an unreachable port', async () => {
    const port = await findFreePort();
    const { err, ms, client } = await connectFailure({ host: '127.0.0.1', port });
    expect(err).toBeInstanceOf(RedisConnectionError);
    expect((err as Error).message).toContain(`127.0.0.1:${port}`);
    expect(ms).toBeLessThan(UPPER_BOUND_MS);
    expect(client.status).toBe('closed');
  });

  it('a server that accepts TCP but never answers', async () => {
    const { err, ms, client } = await connectFailure({ host: '127.0.0.1', port: silentPort });
    expect(err).toBeInstanceOf(RedisConnectionError);
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(UPPER_BOUND_MS);
    expect(client.status).toBe('closed');
  });

  it('a blackholed link (fault proxy)', async () => {
    const proxy = await startFaultProxy({ targetPort: secured.port });
    try {
      await proxy.setMode('blackhole');
      const { err, ms } = await connectFailure({ url: proxy.url, password: 's3cret-Pa55' });
      expect(err).toBeInstanceOf(RedisConnectionError);
      expect(ms).toBeLessThan(UPPER_BOUND_MS);
    } finally {
      await proxy.close();
    }
  });

  it('a wrong password, without retrying and without leaking the password', async () => {
    const { err, ms, client } = await connectFailure({ url: secured.url, password: 'wrong-Pa55word' });
    expect(err).toBeInstanceOf(RedisConnectionError);
    expect((err as Error).message).toMatch(/WRONGPASS|invalid|NOAUTH/i);
    expect((err as Error).message).not.toContain('wrong-Pa55word');
    expect(ms).toBeLessThan(UPPER_BOUND_MS);
    expect(client.status).toBe('closed');
  });

  it('the right password connects', async () => {
    await using client = await RedisClient.connect({ url: secured.url, password: 's3cret-Pa55' });
    expect(await client.healthCheck()).toBe(true);
  });
});

describe('RedisClient.connectInBackground', () => {
  it('becomes ready once a server starts on the port later', async () => {
    const port = await findFreePort();
    const client = new RedisClient({ host: '127.0.0.1', port, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } });
    const ready = new Promise<void>((resolve) => client.once('ready', resolve));
    client.connectInBackground();
    expect(client.status).toBe('connecting');
    expect(await client.healthCheck()).toBe(false);
    const server = await startRedisServer({ port });
    try {
      await ready;
      expect(client.status).toBe('ready');
      await client.set('bg-key', 'v');
      expect(await client.get('bg-key')).toBe('v');
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('stops retrying when closed before any server appears', async () => {
    const port = await findFreePort();
    const client = new RedisClient({ host: '127.0.0.1', port, reconnect: { baseDelayMs: 20, maxDelayMs: 50 } });
    client.connectInBackground();
    const raw = client.raw as { isOpen: boolean };
    expect(raw.isOpen).toBe(true);
    await client.close();
    expect(client.status).toBe('closed');
    // The node-redis client no longer tries to (re)connect.
    expect(raw.isOpen).toBe(false);
  });
});
