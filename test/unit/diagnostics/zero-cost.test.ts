import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dc, traceAsync } from '../../../src/diagnostics/channels.js';
import type * as Channels from '../../../src/diagnostics/channels.js';
import { channelLabel, patternLabel } from '../../../src/events/channel-label.js';
import type * as ChannelLabel from '../../../src/events/channel-label.js';
import { FeatureCache } from '../../../src/cache/feature-cache.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { EventStream } from '../../../src/streams/event-stream.js';
import { PriceCache } from '../../../src/prices/price-cache.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { embeddedPair, onCleanup, order, signal, waitFor } from '../../harness/events/helpers.js';
import { PLAIN_NAMES, TRACE_EVENTS, TRACING_NAMES } from './recorder.js';

// The builders of payloads, counted: with nobody listening they must never run.
vi.mock('../../../src/diagnostics/channels.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Channels>();
  return { ...actual, traceAsync: vi.fn(actual.traceAsync) };
});
vi.mock('../../../src/events/channel-label.js', async (importOriginal) => {
  const actual = await importOriginal<typeof ChannelLabel>();
  return { channelLabel: vi.fn(actual.channelLabel), patternLabel: vi.fn(actual.patternLabel) };
});

/** Spies on the `publish` of every channel the core publishes on. */
function spyOnEveryPublish(): Array<ReturnType<typeof vi.spyOn>> {
  const spies: Array<ReturnType<typeof vi.spyOn>> = [];
  for (const channel of Object.values(dc)) {
    if ('start' in channel) for (const event of TRACE_EVENTS) spies.push(vi.spyOn(channel[event], 'publish'));
    else spies.push(vi.spyOn(channel, 'publish'));
  }
  return spies;
}

/** Everything the SDK instruments, once: cache, publisher (with an outage), subscriber, price cache, stream append. */
async function workload(): Promise<void> {
  const { client } = await embeddedPair();
  const cache = new FeatureCache(client, { prefix: 'zc', maxValueBytes: 64 });
  await cache.set('A', '2025-01-17', { a: 1 });
  await cache.get('A', '2025-01-17');
  await cache.getMany(['A', 'B'], '2025-01-17');
  await cache.getMatrix(['A', 'B'], '2025-01-17');
  await cache.setMany('2025-01-17', [['C', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i]))]]);
  await Promise.all([cache.getOrCompute('D', '2025-01-17', () => ({ d: 1 })), cache.getOrCompute('D', '2025-01-17', () => ({ d: 2 }))]);
  await cache.invalidate('A', '2025-01-17');
  await cache.serverStats();

  const fake = new FakePublishClient();
  const buffered = new EventPublisher(fake, { buffer: { maxQueuedEvents: 1 } });
  onCleanup(() => buffered.close());
  await buffered.publish('signals.generated', signal(1));
  fake.down();
  await buffered.publish('signals.generated', signal(2));
  await buffered.publish('signals.generated', signal(3));
  fake.up();
  await waitFor(() => buffered.stats().buffered === 0);

  const subscriber = new EventSubscriber(client);
  onCleanup(() => subscriber.close());
  subscriber.onError(() => undefined);
  await subscriber.on('orders.executed', () => {
    throw new Error('handler');
  });
  await subscriber.onPattern('orders.*', () => undefined);
  const publisher = new EventPublisher(client);
  await publisher.publish('orders.executed', order());
  await waitFor(() => subscriber.stats().handlerErrors === 1);

  const prices = new PriceCache(client);
  await prices.set({ symbol: 'AAPL', bid: '1', ask: '1.2', mid: '1.1', timestamp: new Date() });
  await prices.getMany(['AAPL', 'MSFT']);
  await new EventStream(client, { keyPrefix: 'zc:' }).append(order());
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.mocked(traceAsync).mockClear();
  vi.mocked(channelLabel).mockClear();
  vi.mocked(patternLabel).mockClear();
});

describe('with nobody listening', () => {
  it('builds no payload and publishes nothing; with a listener the same work does both', async () => {
    const spies = spyOnEveryPublish();
    await workload();
    expect(spies.map((s) => s.mock.calls.length).reduce((a, b) => a + b, 0)).toBe(0);
    expect(traceAsync).not.toHaveBeenCalled();
    expect(channelLabel).not.toHaveBeenCalled();
    expect(patternLabel).not.toHaveBeenCalled();

    // The same workload with one listener on every channel: the spies above are live.
    const listener = (): void => undefined;
    const names = [...PLAIN_NAMES, ...TRACING_NAMES.flatMap((n) => TRACE_EVENTS.map((e) => `tracing:${n}:${e}`))];
    for (const name of names) subscribe(name, listener);
    try {
      await workload();
    } finally {
      for (const name of names) unsubscribe(name, listener);
    }
    const silent = Object.entries(dc).filter(([, channel]) => {
      const published = 'start' in channel ? channel.start.publish : channel.publish;
      return vi.mocked(published).mock.calls.length === 0;
    });
    // Reconnects, the local tier and stream consumers need a real server (test/integration/diagnostics).
    expect(silent.map(([name]) => name).sort()).toEqual(['cacheLocalEviction', 'cacheLocalInvalidation', 'clientReconnect', 'streamDelivery']);
    expect(traceAsync).toHaveBeenCalled();
    expect(channelLabel).toHaveBeenCalled();
    expect(patternLabel).toHaveBeenCalled();
  });
});
