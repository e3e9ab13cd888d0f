/**
 * `trading-platform:client:reconnect` for every kind of connection: one the SDK made (its own
 * reconnect policy publishes), a node-redis client the user made and wrapped with
 * `RedisClient.fromNodeRedis`, and a duplicate of that one (both reconnect by the user's strategy,
 * which the SDK never sees: their attempts are published from node-redis's `reconnecting`).
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient } from '../../../src/client/redis-client.js';
import { DIAGNOSTICS_CHANNELS as N } from '../../../src/diagnostics/channels.js';
import type { ClientReconnectMessage } from '../../../src/diagnostics/payloads.js';
import { startFaultProxy, useRedisServer, waitFor } from '../../harness/index.js';
import type { FaultProxyHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { recordChannels, type Recorder } from '../../unit/diagnostics/recorder.js';

expectNoUnhandledRejections();

interface Watched {
  readonly client: RedisClient;
  /** node-redis `reconnecting` events of its connection, per outage. */
  readonly signals: number[];
}

/** Counts the `reconnecting` events of the node-redis object under `client` into the current outage's slot. */
function watch(client: RedisClient): Watched {
  const signals: number[] = [];
  (client.raw as { on(event: 'reconnecting', listener: () => void): void }).on('reconnecting', () => {
    signals[signals.length - 1] = (signals.at(-1) ?? 0) + 1;
  });
  return { client, signals };
}

describe('client:reconnect against a real redis-server behind a fault proxy', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  let recorder: Recorder;
  const clients = new Map<string, Watched>();

  beforeAll(async () => {
    proxy = await startFaultProxy({ targetPort: redis.server.port });
    const raw = createClient({ url: proxy.url, socket: { reconnectStrategy: () => 20 } });
    raw.on('error', () => undefined);
    await raw.connect();
    const wrapped = RedisClient.fromNodeRedis(raw, { component: 'wrapped' });
    const copy = await wrapped.duplicate({ component: 'wrapped-copy' }).connect();
    const owned = await RedisClient.connect({ url: proxy.url, component: 'owned', reconnect: { baseDelayMs: 20, maxDelayMs: 100 } });
    for (const client of [wrapped, copy, owned]) clients.set(client === wrapped ? 'wrapped' : client === copy ? 'wrapped-copy' : 'owned', watch(client));
    recorder = recordChannels([]);
  });

  afterAll(async () => {
    recorder?.stop();
    for (const { client } of clients.values()) await client.close();
    await proxy?.close();
  });

  /** Drops every connection and refuses new ones until each client announced at least two attempts, then lets them back. */
  async function outage(): Promise<void> {
    for (const w of clients.values()) w.signals.push(0);
    await proxy.setMode('reset');
    await waitFor(() => [...clients.values()].every((w) => (w.signals.at(-1) ?? 0) >= 2), { timeoutMs: 20_000, description: 'two attempts per client' });
    await proxy.setMode('pass');
    await waitFor(() => [...clients.values()].every((w) => w.client.isReady), { timeoutMs: 20_000, description: 'every client is back' });
  }

  const attempts = (component: string): number[] =>
    recorder
      .plain<ClientReconnectMessage>(N.CLIENT_RECONNECT)
      .filter((m) => m.component === component)
      .map((m) => m.attempt);

  it('publishes each attempt once, counting from 1 after each loss, whoever owns the reconnect strategy', async () => {
    await outage();
    await outage();
    for (const [component, w] of clients) {
      const [first = 0, second = 0] = w.signals;
      const expected = [...Array.from({ length: first }, (_, i) => i + 1), ...Array.from({ length: second }, (_, i) => i + 1)];
      expect([component, attempts(component)]).toEqual([component, expected]);
    }
    // The SDK's policy waits by its backoff, within the client's reconnect options (1 to maxDelayMs 100).
    for (const m of recorder.plain<ClientReconnectMessage>(N.CLIENT_RECONNECT).filter((m) => m.component === 'owned')) {
      expect(m.delayMs).toBeGreaterThanOrEqual(1);
      expect(m.delayMs).toBeLessThanOrEqual(100);
    }
  });
});
