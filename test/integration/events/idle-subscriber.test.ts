import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisClient } from '../../../src/index.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import type { RedisServerHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

/** Small enough that a quiet channel outlives several timeouts within one test. */
const SOCKET_TIMEOUT_MS = 1000;
const PING_INTERVAL_MS = 300;
/** Seconds of connection age, as CLIENT LIST reports it, that prove the link outlived 2 × socketTimeoutMs. */
const QUIET_AGE_SECONDS = Math.ceil((3 * SOCKET_TIMEOUT_MS) / 1000);

interface ClientEntry {
  id: string;
  age: number;
  sub: number;
}

/** The connections subscribed to at least one channel, from CLIENT LIST. */
async function subscriberConnections(server: RedisServerHandle): Promise<ClientEntry[]> {
  const list = await server.cli('CLIENT', 'LIST');
  return list
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Object.fromEntries(line.split(' ').map((pair) => pair.split('=', 2) as [string, string])))
    .map((fields) => ({ id: fields['id'] ?? '', age: Number(fields['age']), sub: Number(fields['sub']) }))
    .filter((entry) => entry.sub > 0);
}

function signal(n: number): SignalEvent {
  return new SignalEvent({ strategyId: 'idle', symbols: ['AAPL'], numSignals: n, asOfDate: '2025-01-17' });
}

/**
 * Subscribes, lets the channel stay quiet until the subscriber connection is older than
 * 2 × socketTimeoutMs (the same connection id all along: a torn-down link would come back
 * with a new id and a reset age), then checks an event published afterwards still arrives.
 */
async function expectQuietSubscriberKeepsItsConnection(server: RedisServerHandle, client: RedisClient): Promise<void> {
  const subscriber = new EventSubscriber(client);
  const publisher = new EventPublisher(client);
  try {
    const received: number[] = [];
    await subscriber.on('signals.generated', (event) => void received.push(event.numSignals));
    const [first, ...others] = await subscriberConnections(server);
    expect(others).toEqual([]);
    const id = first?.id;
    expect(id).toBeTruthy();
    await waitFor(
      async () => {
        const now = await subscriberConnections(server);
        expect(now.map((entry) => entry.id)).toEqual([id]);
        return (now[0]?.age ?? 0) >= QUIET_AGE_SECONDS;
      },
      { timeoutMs: 4 * QUIET_AGE_SECONDS * 1000, intervalMs: 200, description: `subscriber connection ${String(id)} aged ${QUIET_AGE_SECONDS}s` },
    );
    expect(await publisher.publish('signals.generated', signal(7))).toBe(1);
    await waitFor(() => received.length === 1, { description: 'event after the quiet period delivered' });
    expect(received).toEqual([7]);
    expect((await subscriberConnections(server)).map((entry) => entry.id)).toEqual([id]);
  } finally {
    await subscriber.close();
    await publisher.close();
  }
}

describe('a subscriber on a quiet channel keeps its one connection', () => {
  const redis = useRedisServer();
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('with an SDK client (RESP3): idle for more than 2 × socketTimeoutMs, same connection, event still delivered', async () => {
    const client = await RedisClient.connect({ url: redis.url, socketTimeoutMs: SOCKET_TIMEOUT_MS, pingIntervalMs: PING_INTERVAL_MS });
    cleanups.push(() => client.close());
    await expectQuietSubscriberKeepsItsConnection(redis.server, client);
  });

  it('with a RESP2 node-redis client of the user (RedisClient.fromNodeRedis): same guarantees', async () => {
    const raw = createClient({ url: redis.url, RESP: 2, pingInterval: PING_INTERVAL_MS, socket: { socketTimeout: SOCKET_TIMEOUT_MS } });
    raw.on('error', () => undefined);
    await raw.connect();
    const client = RedisClient.fromNodeRedis(raw);
    cleanups.push(() => client.close());
    await expectQuietSubscriberKeepsItsConnection(redis.server, client);
  });
});
