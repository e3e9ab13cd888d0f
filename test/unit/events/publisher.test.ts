import { describe, expect, it } from 'vitest';
import { RedisClosedError, ValidationError } from '../../../src/internal/errors.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import type { EventStreamSink } from '../../../src/events/publisher.js';
import type { AnyEvent } from '../../../src/events/channels.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { embeddedPair, onCleanup, order, position, signal, waitFor } from '../../harness/events/helpers.js';
import type { RedisClient } from '../../../src/client/redis-client.js';

/** A raw subscriber on its own connection that records every message it receives. */
async function rawListener(client: RedisClient, channels: string[]): Promise<Array<{ channel: string; message: string }>> {
  const received: Array<{ channel: string; message: string }> = [];
  const sub = await client.duplicate({ ping: false }).connect();
  onCleanup(() => sub.close());
  await sub.subscribe(channels, (message, channel) => received.push({ channel, message }));
  return received;
}

const ALL = ['signals.generated', 'orders.executed', 'positions.updated'];

describe('EventPublisher on the embedded backend', () => {
  it('publishes the cached wire JSON and resolves the receiver count (1 with a subscriber, 0 without)', async () => {
    const { client } = await embeddedPair();
    const publisher = new EventPublisher(client);
    const event = signal(7);
    expect(await publisher.publish('signals.generated', event)).toBe(0);
    const received = await rawListener(client, ['signals.generated']);
    expect(await publisher.publish('signals.generated', event)).toBe(1);
    await waitFor(() => received.length === 1);
    expect(received[0]).toEqual({ channel: 'signals.generated', message: event.toWire() });
    expect(publisher.stats()).toMatchObject({ published: 2, failed: 0, buffered: 0 });
  });

  it('publishXEvent helpers accept an instance or a camelCase init, and publish on their own channel', async () => {
    const { client } = await embeddedPair();
    const received = await rawListener(client, ALL);
    const publisher = new EventPublisher(client);
    await publisher.publishSignalEvent({ strategyId: 'x', symbols: ['MSFT'], numSignals: 1, asOfDate: '2025-01-17' });
    await publisher.publishOrderEvent(order(4));
    await publisher.publishPositionEvent({ symbol: 'AAPL', action: 'sell', qtyChange: -5, newQty: 95, price: '1.50', strategyId: 's' });
    await waitFor(() => received.length === 3);
    expect(received.map((r) => r.channel)).toEqual(ALL);
    expect(JSON.parse(received[0]?.message ?? '')).toMatchObject({ strategy_id: 'x', symbols: ['MSFT'], as_of_date: '2025-01-17' });
    expect(JSON.parse(received[1]?.message ?? '')).toMatchObject({ num_orders: 4 });
    expect(JSON.parse(received[2]?.message ?? '')).toMatchObject({ action: 'sell', qty_change: -5, price: '1.50' });
  });

  it('publishPriceUpdate publishes on the symbol channel, from an instance or an init, and refuses an invalid one', async () => {
    const { client } = await embeddedPair();
    const received = await rawListener(client, ['price.updated.AAPL', 'price.updated.BRK.B']);
    const publisher = new EventPublisher(client);
    const event = new PriceUpdateEvent({ symbol: 'BRK.B', price: '412.1' });
    await publisher.publishPriceUpdate({ symbol: 'AAPL', price: '150.25', bid: '150.24', ask: '150.26' });
    await publisher.publishPriceUpdate(event);
    await expect(publisher.publishPriceUpdate({ symbol: 'AAPL', price: '-1' })).rejects.toBeInstanceOf(ValidationError);
    await expect(publisher.publish('price.updated.AAPL', event)).rejects.toThrow(/belongs on its own channel "price.updated.BRK.B", not on price.updated.AAPL/);
    await waitFor(() => received.length === 2);
    expect(received[0]?.channel).toBe('price.updated.AAPL');
    expect(JSON.parse(received[0]?.message ?? '')).toMatchObject({ event_type: 'price.updated', symbol: 'AAPL', price: '150.25', bid: '150.24', volume: null });
    expect(received[1]).toEqual({ channel: 'price.updated.BRK.B', message: event.toWire() });
  });

  it('rejects a wrong-channel, wrong-class or invalid event with ValidationError and sends nothing', async () => {
    const { client } = await embeddedPair();
    const received = await rawListener(client, ALL);
    const publisher = new EventPublisher(client);
    const wrong = [
      publisher.publish('orders.executed', signal(1) as unknown as OrderEvent),
      publisher.publish('signals.generated', JSON.parse(signal(1).toWire()) as SignalEvent),
      publisher.publish('nope' as 'signals.generated', signal(1)),
      publisher.publishOrderEvent(signal(1) as unknown as OrderEvent),
      publisher.publishSignalEvent({ strategyId: 'x', symbols: [], numSignals: -1, asOfDate: '2025-02-30' }),
      publisher.publishPositionEvent(null as unknown as OrderEvent as never),
    ];
    for (const attempt of wrong) await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const invalidInit = await publisher
      .publishSignalEvent({ strategyId: 'x', symbols: [], numSignals: -1, asOfDate: '2025-02-30' })
      .then(
        () => undefined,
        (e: unknown) => e as ValidationError,
      );
    expect(invalidInit?.issues.map((i) => i.path).sort()).toEqual(['as_of_date', 'num_signals', 'symbols']);
    // A marker published afterwards is the first (and only) message seen: nothing was sent before it.
    const marker = signal(99);
    await publisher.publish('signals.generated', marker);
    await waitFor(() => received.length === 1);
    expect(received.map((r) => r.message)).toEqual([marker.toWire()]);
    expect(publisher.stats()).toMatchObject({ published: 1, failed: 0 });
  });

  it('without a buffer, a Redis failure resolves null, is counted, and nothing is kept', async () => {
    const { client } = await embeddedPair();
    const publisher = new EventPublisher(client);
    await client.close();
    expect(await publisher.publish('signals.generated', signal(1))).toBeNull();
    expect(publisher.stats()).toEqual({ published: 0, failed: 1, rejected: 0, buffered: 0, dropped: 0, replayed: 0, streamFailed: 0 });
    await client.connect();
    expect(await publisher.flush()).toBe(0);
  });

  it('with a buffer, events published while the client is closed are replayed in order when it is ready again', async () => {
    const { client } = await embeddedPair();
    const received = await rawListener(client, ALL);
    const publisher = new EventPublisher(client, { buffer: true });
    onCleanup(() => publisher.close());
    await client.close();
    const results = [];
    for (let n = 1; n <= 5; n++) results.push(await publisher.publish('signals.generated', signal(n)));
    results.push(await publisher.publishOrderEvent(order(6)));
    expect(results).toEqual([null, null, null, null, null, null]);
    expect(publisher.stats()).toMatchObject({ buffered: 6, failed: 1 });
    await client.connect();
    await waitFor(() => received.length === 6, { description: 'replayed events' });
    expect(received.map((r) => JSON.parse(r.message) as Record<string, number>).map((w) => w['num_signals'] ?? w['num_orders'])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(publisher.stats()).toMatchObject({ buffered: 0, replayed: 6, published: 0, dropped: 0 });
    expect(await publisher.publish('positions.updated', position())).toBe(1);
  });

  it('feeds the stream sink with every published event; sink failures are counted, publishing goes on', async () => {
    const { client } = await embeddedPair();
    const appended: AnyEvent[] = [];
    let failNext = false;
    const sink: EventStreamSink = {
      append: (event) => {
        if (failNext) return Promise.reject(new Error('stream down'));
        appended.push(event);
        return Promise.resolve(`${appended.length}-0`);
      },
    };
    const publisher = new EventPublisher(client, { stream: sink });
    const first = signal(1);
    expect(await publisher.publish('signals.generated', first)).toBe(0);
    failNext = true;
    expect(await publisher.publishOrderEvent(order())).toBe(0);
    expect(appended).toEqual([first]);
    expect(publisher.stats()).toMatchObject({ published: 2, streamFailed: 1 });
    await expect(publisher.publishSignalEvent({} as never)).rejects.toBeInstanceOf(ValidationError);
    expect(appended).toHaveLength(1);
  });

  it('close() detaches from the client and later publishes reject with RedisClosedError', async () => {
    const { client } = await embeddedPair();
    const before = client.listenerCount('ready');
    const publisher = new EventPublisher(client, { buffer: { maxQueuedEvents: 10 } });
    expect(client.listenerCount('ready')).toBe(before + 1);
    await publisher.close();
    await publisher.close();
    expect(client.listenerCount('ready')).toBe(before);
    await expect(publisher.publish('signals.generated', signal(1))).rejects.toBeInstanceOf(RedisClosedError);
    await expect(publisher.publishSignalEvent(signal(1))).rejects.toBeInstanceOf(RedisClosedError);
  });

  it('SignalEvent instances pass the channel check only on their own channel', async () => {
    const { client } = await embeddedPair();
    const publisher = new EventPublisher(client);
    await expect(publisher.publish(SignalEvent.channel, signal(1))).resolves.toBe(0);
    await expect(publisher.publish(OrderEvent.channel, signal(1) as unknown as OrderEvent)).rejects.toThrow(/OrderEvent/);
  });
});
