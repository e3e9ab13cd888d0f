import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, EventPublisher, EventSubscriber, RedisClient, SignalEvent } from '../../../src/index.js';
import { startFaultProxy, startRedisServer, useRedisServer, waitFor } from '../../harness/index.js';
import type { FaultProxyHandle, RedisServerHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

const FAST = { commandTimeoutMs: 1000, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } } as const;

function signal(n: number): SignalEvent {
  return new SignalEvent({ strategyId: 'env-buffer', symbols: ['AAPL'], numSignals: n, asOfDate: '2025-01-17' });
}

async function subscribersOn(server: RedisServerHandle, channel: string, count: number): Promise<void> {
  await waitFor(async () => (await server.cli('PUBSUB', 'NUMSUB', channel)).split('\n')[1] === String(count), {
    timeoutMs: 20_000,
    description: `${count} subscriber(s) on ${channel}`,
  });
}

describe('EventPublisher.fromEnv: the REDIS_FALLBACK_* buffer across a killed and restarted server', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  let publisherClient: RedisClient;
  let subscriberClient: RedisClient;
  let subscriber: EventSubscriber;
  let dir: string;
  const received: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'publisher-env-'));
    // The publisher reaches Redis through a proxy, so it reconnects only once the subscriber is back.
    proxy = await startFaultProxy({ targetPort: redis.server.port });
    publisherClient = await RedisClient.connect({ url: proxy.url, ...FAST });
    subscriberClient = await RedisClient.connect({ url: redis.url, ...FAST });
    subscriber = new EventSubscriber(subscriberClient);
    await subscriber.on('signals.generated', (e) => void received.push(e.numSignals));
  });

  afterAll(async () => {
    await subscriber.close();
    await publisherClient.close();
    await subscriberClient.close();
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('events published while Redis is down are kept (bounded by REDIS_FALLBACK_BUFFER_MAX_SIZE, mirrored to REDIS_FALLBACK_BUFFER_PATH) and replayed in order after the restart', async () => {
    const file = path.join(dir, 'signals', 'buffer.jsonl');
    const publisher = EventPublisher.fromEnv(publisherClient, {
      REDIS_FALLBACK_BUFFER_MAX_SIZE: '100',
      REDIS_FALLBACK_BUFFER_PATH: file,
      REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS: '1',
    });
    try {
      for (let n = 1; n <= 5; n++) expect(await publisher.publish('signals.generated', signal(n))).toBe(1);
      await waitFor(() => received.length === 5);

      await redis.server.kill();
      await proxy.setMode('refuse');
      await waitFor(() => !publisherClient.isReady && !subscriberClient.isReady, { description: 'both clients see the outage' });
      for (let n = 6; n <= 155; n++) expect(await publisher.publish('signals.generated', signal(n))).toBeNull();
      expect(publisher.stats()).toMatchObject({ buffered: 100, dropped: 50 });
      await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').trimEnd().split('\n').length === 100, { description: 'buffer mirrored to the file' });

      await redis.server.restart();
      await subscribersOn(redis.server, 'signals.generated', 1);
      await proxy.setMode('pass');
      await waitFor(() => received.length === 105, { timeoutMs: 30_000, description: 'buffered events replayed' });
      // The 50 oldest outage events were dropped at the bound; the rest arrive in order.
      expect(received).toEqual([1, 2, 3, 4, 5, ...Array.from({ length: 100 }, (_, i) => i + 56)]);
      expect(publisher.stats()).toMatchObject({ published: 5, replayed: 100, buffered: 0, dropped: 50 });
      await waitFor(() => !existsSync(file), { description: 'the drained buffer file removed' });
      expect(await publisher.publish('signals.generated', signal(156))).toBe(1);
      await waitFor(() => received.at(-1) === 156);
    } finally {
      await publisher.close();
    }
  });

  it('a new process with the same REDIS_FALLBACK_BUFFER_PATH replays what the last one kept', async () => {
    const file = path.join(dir, 'restart.jsonl');
    const env = { REDIS_FALLBACK_BUFFER_PATH: file };
    const first = await startRedisServer();
    const second = await startRedisServer();
    try {
      const client1 = await RedisClient.connect({ url: first.url, ...FAST });
      const publisher1 = EventPublisher.fromEnv(client1, env);
      await first.stop();
      await waitFor(() => !client1.isReady);
      for (let n = 1; n <= 20; n++) expect(await publisher1.publish('signals.generated', signal(n))).toBeNull();
      await publisher1.close();
      client1.destroy();

      const client2 = await RedisClient.connect({ url: second.url, ...FAST });
      const subscriber2 = new EventSubscriber(client2);
      const got: number[] = [];
      await subscriber2.on('signals.generated', (e) => void got.push(e.numSignals));
      const publisher2 = EventPublisher.fromEnv(client2, env);
      await waitFor(() => got.length === 20, { description: 'persisted events replayed' });
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await publisher2.close();
      await subscriber2.close();
      await client2.close();
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('a bad variable is a ConfigError naming it, before anything is sent', () => {
    expect(() => EventPublisher.fromEnv(subscriberClient, { REDIS_FALLBACK_BUFFER_MAX_SIZE: 'lots' })).toThrow(ConfigError);
    expect(() => EventPublisher.fromEnv(subscriberClient, { REDIS_FALLBACK_BUFFER_MAX_SIZE: 'lots' })).toThrow(/^REDIS_FALLBACK_BUFFER_MAX_SIZE must be an integer/);
  });
});
