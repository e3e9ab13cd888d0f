import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient } from '../../../src/index.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { startFaultProxy, startRedisServer, useRedisServer, waitFor } from '../../harness/index.js';
import type { FaultProxyHandle, RedisServerHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

const FAST = { commandTimeoutMs: 1000, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } } as const;

function signal(n: number): SignalEvent {
  return new SignalEvent({ strategyId: 'outage', symbols: ['AAPL'], numSignals: n, asOfDate: '2025-01-17' });
}

/** Resolves once `channel` has `count` subscribers on `server` (e.g. after a resubscribe). */
async function subscribersOn(server: RedisServerHandle, channel: string, count: number): Promise<void> {
  await waitFor(async () => (await server.cli('PUBSUB', 'NUMSUB', channel)).split('\n')[1] === String(count), {
    timeoutMs: 20_000,
    description: `${count} subscriber(s) on ${channel}`,
  });
}

describe('event bus across a killed and restarted server', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  let publisherClient: RedisClient;
  let subscriberClient: RedisClient;
  let publisher: EventPublisher;
  let subscriber: EventSubscriber;
  let dir: string;
  const received: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'events-outage-'));
    // The publisher goes through a proxy so the test decides when it may reconnect: after the
    // subscriber is back, or replayed events would (correctly, at-most-once) reach nobody.
    proxy = await startFaultProxy({ targetPort: redis.server.port });
    publisherClient = await RedisClient.connect({ url: proxy.url, ...FAST });
    subscriberClient = await RedisClient.connect({ url: redis.url, ...FAST });
    publisher = new EventPublisher(publisherClient, { buffer: { maxQueuedEvents: 1000, persistPath: path.join(dir, 'live.buffer') } });
    subscriber = new EventSubscriber(subscriberClient);
    await subscriber.on('signals.generated', (e) => void received.push(e.numSignals));
  });

  afterAll(async () => {
    await subscriber.close();
    await publisher.close();
    await publisherClient.close();
    await subscriberClient.close();
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('buffers events published while the server is down and delivers them all, in order, after the restart; the subscriber resubscribes', async () => {
    for (let n = 1; n <= 10; n++) expect(await publisher.publish('signals.generated', signal(n))).toBe(1);
    await waitFor(() => received.length === 10);

    await redis.server.kill();
    await proxy.setMode('refuse');
    await waitFor(() => !publisherClient.isReady && !subscriberClient.isReady, { description: 'both clients see the outage' });
    const outage: Array<number | null> = [];
    for (let n = 11; n <= 510; n++) outage.push(await publisher.publish('signals.generated', signal(n)));
    expect(outage.every((r) => r === null)).toBe(true);
    expect(publisher.stats()).toMatchObject({ buffered: 500, dropped: 0 });

    await redis.server.restart();
    await subscribersOn(redis.server, 'signals.generated', 1); // node-redis resubscribed on its own
    await proxy.setMode('pass');
    await waitFor(() => received.length === 510, { timeoutMs: 30_000, description: 'replayed events delivered' });
    expect(received).toEqual(Array.from({ length: 510 }, (_, i) => i + 1));
    const stats = publisher.stats();
    console.log(`outage: published live ${stats.published}, buffered during outage 500, replayed ${stats.replayed}, dropped ${stats.dropped}, received ${received.length}`);
    expect(stats).toMatchObject({ published: 10, replayed: 500, buffered: 0, dropped: 0 });
    expect(await publisher.publish('signals.generated', signal(511))).toBe(1);
    await waitFor(() => received.length === 511);
  });

  it('a persisted buffer survives a process restart: a new publisher on the same file replays into a fresh server', async () => {
    const file = path.join(dir, 'restart.buffer');
    const first = await startRedisServer();
    const second = await startRedisServer();
    try {
      const client1 = await RedisClient.connect({ url: first.url, ...FAST });
      const publisher1 = new EventPublisher(client1, { buffer: { persistPath: file } });
      await first.stop();
      await waitFor(() => !client1.isReady);
      for (let n = 1; n <= 50; n++) expect(await publisher1.publish('signals.generated', signal(n))).toBeNull();
      await publisher1.close();
      client1.destroy();
      expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(50);

      // "Process 2": fresh clients on a fresh server, the same buffer file.
      const client2 = await RedisClient.connect({ url: second.url, ...FAST });
      const subscriber2 = new EventSubscriber(client2);
      const got: number[] = [];
      await subscriber2.on('signals.generated', (e) => void got.push(e.numSignals));
      const publisher2 = new EventPublisher(client2, { buffer: { persistPath: file } });
      await waitFor(() => got.length === 50, { description: 'persisted events replayed' });
      expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      console.log(`restart: 50 events persisted by publisher 1, ${publisher2.stats().replayed} replayed by publisher 2, ${got.length} received`);
      await publisher2.close();
      expect(existsSync(file)).toBe(false);
      await subscriber2.close();
      await client2.close();
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
