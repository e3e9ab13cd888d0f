/**
 * `RedisClient.duplicate()`: each copy owns its connection and its reconnect policy; copies made
 * with `closeWithParent` close with their parent, the others outlive it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RedisClient } from '../../../src/index.js';
import { keygen, useRedisServer, waitFor } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

const redis = useRedisServer();
const opened: RedisClient[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

function track<T extends RedisClient>(client: T): T {
  opened.push(client);
  return client;
}

async function connectParent(): Promise<RedisClient> {
  return track(await RedisClient.connect({ url: redis.url, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } }));
}

describe('RedisClient.duplicate', () => {
  it('a subscriber outlives its closed parent: after a redis-server SIGKILL and restart it reconnects and still receives', { timeout: 30_000 }, async () => {
    const parent = await connectParent();
    const subscriber = track(await parent.duplicate().connect());
    const channel = keygen('dup').key('ch');
    const received: string[] = [];
    await subscriber.subscribe([channel], (message) => received.push(message));
    await parent.close();
    expect(parent.status).toBe('closed');
    expect(subscriber.status).toBe('ready');

    await redis.server.kill();
    await waitFor(() => subscriber.status === 'reconnecting', { timeoutMs: 5000, description: 'subscriber notices the drop' });
    await redis.server.restart();
    await waitFor(() => subscriber.status === 'ready', { timeoutMs: 15_000, description: 'subscriber reconnects by its own policy' });

    const publisher = track(await RedisClient.connect({ url: redis.url }));
    await waitFor(
      async () => {
        await publisher.publish(channel, 'after-restart');
        return received.includes('after-restart');
      },
      { timeoutMs: 10_000, intervalMs: 100, description: 'the resubscribed subscriber receives' },
    );
  });

  it('a copy with closeWithParent closes when its parent closes; one without stays open', async () => {
    const parent = await connectParent();
    const tied = track(await parent.duplicate({ closeWithParent: true }).connect());
    const free = track(await parent.duplicate().connect());
    await parent.close();
    expect(tied.status).toBe('closed');
    expect(free.status).toBe('ready');
    expect(await free.ping()).toBeGreaterThanOrEqual(0);
  });

  it('destroy() takes closeWithParent copies down too', async () => {
    const parent = await connectParent();
    const tied = track(await parent.duplicate({ closeWithParent: true }).connect());
    parent.destroy();
    expect(tied.status).toBe('closed');
  });

  it('a tied copy closed on its own is forgotten by its parent, which then closes alone', async () => {
    const parent = await connectParent();
    const tied = track(await parent.duplicate({ closeWithParent: true }).connect());
    await tied.close();
    const again = track(await parent.duplicate({ closeWithParent: true }).connect());
    await parent.close();
    expect(again.status).toBe('closed');
    expect(tied.status).toBe('closed');
  });

  it('a tied copy closed on its own and reopened joins its parent again', async () => {
    const parent = await connectParent();
    const tied = track(await parent.duplicate({ closeWithParent: true }).connect());
    await tied.close();
    await tied.connect();
    await parent.close();
    expect(tied.status).toBe('closed');
  });

  it('close() refuses calls made after it at once, also while tied copies are still closing', async () => {
    const parent = await connectParent();
    track(await parent.duplicate({ closeWithParent: true }).connect());
    const closing = parent.close();
    await expect(parent.get('k')).rejects.toMatchObject({ name: 'RedisClosedError' });
    await closing;
    expect(parent.status).toBe('closed');
  });

  it('del takes one array of keys; the variadic form still works (deprecated)', async () => {
    const client = await connectParent();
    const keys = keygen('del');
    const [a, b, c] = [keys.key('a'), keys.key('b'), keys.key('c')];
    await client.setMany([a, b, c].map((key) => ({ key, value: '1', ttlSeconds: 60 })));
    expect(await client.del([a, b])).toBe(2);
    expect(await client.del(c)).toBe(1);
    expect(await client.del([])).toBe(0);
    expect(await client.del()).toBe(0);
  });
});
