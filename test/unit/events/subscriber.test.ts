import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, RedisClosedError, ValidationError } from '../../../src/internal/errors.js';
import type { AnyEvent } from '../../../src/events/channels.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { SUBSCRIBER_DEFAULTS } from '../../../src/events/subscriber-types.js';
import type {
  EventSubscriberOptions,
  HandlerErrorContext,
  InvalidMessage,
  MessageMeta,
  SubscriberStreamOptions,
} from '../../../src/events/subscriber-types.js';
import { embeddedPair, onCleanup, order, position, signal, waitFor } from '../../harness/events/helpers.js';
import { thrownBy } from '../../harness/events/thrown.js';

async function setup(options: ConstructorParameters<typeof EventSubscriber>[1] = {}) {
  const { client } = await embeddedPair();
  const subscriber = new EventSubscriber(client, options);
  onCleanup(() => subscriber.close());
  return { client, subscriber, publisher: new EventPublisher(client) };
}

describe('EventSubscriber on the embedded backend', () => {
  it('delivers typed class instances per channel, with the channel in meta', async () => {
    const { subscriber, publisher } = await setup();
    const signals: Array<[SignalEvent, MessageMeta]> = [];
    const orders: OrderEvent[] = [];
    await subscriber.on('signals.generated', (event, meta) => {
      expectTypeOf(event).toEqualTypeOf<SignalEvent>();
      signals.push([event, meta]);
    });
    await subscriber.on('orders.executed', (event) => void orders.push(event));
    const sent = signal(3);
    expect(await publisher.publish('signals.generated', sent)).toBe(1);
    expect(await publisher.publish('orders.executed', order(8))).toBe(1);
    expect(await publisher.publish('positions.updated', position())).toBe(0);
    await waitFor(() => signals.length === 1 && orders.length === 1);
    const [event, meta] = signals[0] ?? [];
    expect(event).toBeInstanceOf(SignalEvent);
    expect(event?.toWire()).toBe(sent.toWire());
    expect(event?.numSignals).toBe(3);
    expect(meta).toEqual({ channel: 'signals.generated' });
    expect(orders[0]).toBeInstanceOf(OrderEvent);
    expect(orders[0]?.numOrders).toBe(8);
  });

  it('several handlers share one subscription; unsubscribing the last one stops delivery', async () => {
    const { subscriber, publisher } = await setup();
    const a: number[] = [];
    const b: number[] = [];
    const offA = await subscriber.on('signals.generated', (e) => void a.push(e.numSignals));
    const offB = await subscriber.on('signals.generated', (e) => void b.push(e.numSignals));
    expect(await publisher.publish('signals.generated', signal(1))).toBe(1);
    await waitFor(() => a.length === 1 && b.length === 1);
    await offA();
    expect(await publisher.publish('signals.generated', signal(2))).toBe(1);
    await waitFor(() => b.length === 2);
    expect(a).toEqual([1]);
    await offB();
    await offB();
    expect(await publisher.publish('signals.generated', signal(3))).toBe(0);
  });

  it('price updates: one symbol by channel, every symbol by the family pattern, both typed', async () => {
    const { client, subscriber, publisher } = await setup();
    const aapl: PriceUpdateEvent[] = [];
    const all: Array<{ event: PriceUpdateEvent; meta: MessageMeta }> = [];
    const invalid: InvalidMessage[] = [];
    subscriber.onInvalid((m) => invalid.push(m));
    await subscriber.on(PriceUpdateEvent.channelFor('AAPL'), (event) => {
      expectTypeOf(event).toEqualTypeOf<PriceUpdateEvent>();
      aapl.push(event);
    });
    await subscriber.onPattern(PriceUpdateEvent.pattern, (event, meta) => {
      expectTypeOf(event).toEqualTypeOf<PriceUpdateEvent>();
      all.push({ event, meta });
    });
    expect(await publisher.publishPriceUpdate({ symbol: 'AAPL', price: '150.25', bidSize: 300 })).toBe(2);
    expect(await publisher.publishPriceUpdate(new PriceUpdateEvent({ symbol: 'MSFT', price: '410.5' }))).toBe(1);
    // A signal on a price channel is read as a price update, as the family's model reads it: refused.
    await client.publish('price.updated.IBM', signal(1).toWire());
    await waitFor(() => aapl.length === 1 && all.length === 2 && invalid.length === 1);
    expect(aapl[0]?.bidSize).toBe(300);
    expect(all.map(({ event, meta }) => [event.symbol, event.price, meta])).toEqual([
      ['AAPL', '150.25', { channel: 'price.updated.AAPL', pattern: 'price.updated.*' }],
      ['MSFT', '410.5', { channel: 'price.updated.MSFT', pattern: 'price.updated.*' }],
    ]);
    expect(all.every(({ event }) => event instanceof PriceUpdateEvent && event.conforms)).toBe(true);
    expect(invalid[0]?.channel).toBe('price.updated.IBM');
    expect(invalid[0]?.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['symbol', 'price']));
  });

  it('a family pattern reports a symbol that does not match the channel it came on', async () => {
    const { client, subscriber } = await setup();
    const seen: PriceUpdateEvent[] = [];
    await subscriber.onPattern(PriceUpdateEvent.pattern, (event) => void seen.push(event));
    await client.publish('price.updated.MSFT', new PriceUpdateEvent({ symbol: 'AAPL', price: '1' }).toWire());
    await waitFor(() => seen.length === 1);
    expect(seen[0]?.symbol).toBe('AAPL');
    expect(seen[0]?.nonconforming.map((i) => i.path)).toEqual(['symbol']);
  });

  it('onPattern gets any event parsed by event_type, with channel and pattern', async () => {
    const { client, subscriber, publisher } = await setup();
    const seen: Array<{ event: AnyEvent; meta: MessageMeta }> = [];
    await subscriber.onPattern('*', (event, meta) => void seen.push({ event, meta }));
    await publisher.publish('orders.executed', order());
    await publisher.publish('positions.updated', position());
    await client.publish('custom.audit', signal(5).toWire());
    await waitFor(() => seen.length === 3);
    expect(seen[0]?.event).toBeInstanceOf(OrderEvent);
    expect(seen[1]?.event).toBeInstanceOf(PositionEvent);
    expect(seen[2]?.event).toBeInstanceOf(SignalEvent);
    expect(seen.map((s) => s.meta)).toEqual([
      { channel: 'orders.executed', pattern: '*' },
      { channel: 'positions.updated', pattern: '*' },
      { channel: 'custom.audit', pattern: '*' },
    ]);
  });

  it('reports garbage and invalid events to onInvalid, and keeps delivering valid events after them', async () => {
    const { client, subscriber, publisher } = await setup();
    const invalid: InvalidMessage[] = [];
    const events: SignalEvent[] = [];
    subscriber.onInvalid((m) => invalid.push(m));
    await subscriber.on('signals.generated', (e) => void events.push(e));
    await client.publish('signals.generated', 'not json {');
    await client.publish('signals.generated', order().toWire());
    await client.publish('signals.generated', JSON.stringify({ ...signal(1).toJSON(), num_signals: -2 }));
    await publisher.publish('signals.generated', signal(9));
    await waitFor(() => events.length === 1);
    expect(events[0]?.numSignals).toBe(9);
    expect(invalid.map((m) => [m.channel, m.raw.slice(0, 10)])).toEqual([
      ['signals.generated', 'not json {'],
      ['signals.generated', order().toWire().slice(0, 10)],
      ['signals.generated', '{"event_ty'],
    ]);
    for (const m of invalid) {
      expect(m.error).toBeInstanceOf(ValidationError);
      expect(m.issues).toBe(m.error.issues);
    }
    // Dispatched by channel: the order misses every field of the signal model.
    expect(invalid[1]?.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['symbols', 'num_signals', 'as_of_date']));
    expect(invalid[2]?.issues.map((i) => i.path)).toEqual(['num_signals']);
    expect(subscriber.stats()).toMatchObject({ received: 4, invalid: 3 });
  });

  it('a handler that throws or rejects goes to onError and delivery continues to it and to others', async () => {
    const { subscriber, publisher } = await setup();
    const errors: Array<[unknown, HandlerErrorContext]> = [];
    subscriber.onError((err, ctx) => errors.push([err, ctx]));
    const good: number[] = [];
    await subscriber.on('signals.generated', (e) => {
      if (e.numSignals === 1) throw new Error('sync boom');
    });
    await subscriber.on('signals.generated', async (e) => {
      if (e.numSignals === 2) throw new Error('async boom');
      good.push(e.numSignals);
    });
    for (const n of [1, 2, 3]) await publisher.publish('signals.generated', signal(n));
    await waitFor(() => good.length === 2 && errors.length === 2);
    expect(good).toEqual([1, 3]);
    expect(errors.map(([err]) => (err as Error).message).sort()).toEqual(['async boom', 'sync boom']);
    expect(errors.map(([, ctx]) => ctx.channel)).toEqual(['signals.generated', 'signals.generated']);
    expect(errors.every(([, ctx]) => ctx.event instanceof SignalEvent)).toBe(true);
    expect(subscriber.stats().handlerErrors).toBe(2);
  });

  it('without onError, handler failures are logged and delivery continues', async () => {
    const logged: string[] = [];
    const noop = (): void => undefined;
    const { subscriber, publisher } = await setup({ logger: { debug: noop, info: noop, warn: noop, error: (_f, msg) => logged.push(msg) } });
    const seen: number[] = [];
    await subscriber.on('signals.generated', (e) => {
      seen.push(e.numSignals);
      throw new Error('boom');
    });
    await publisher.publish('signals.generated', signal(1));
    await publisher.publish('signals.generated', signal(2));
    await waitFor(() => seen.length === 2 && logged.length === 2);
    expect(logged).toEqual(['event handler failed', 'event handler failed']);
  });

  it('stream() yields events in order and ends on break; a full queue drops the oldest', async () => {
    const { subscriber, publisher } = await setup();
    const stream = await subscriber.stream('orders.executed', { maxQueuedEvents: 3 });
    for (let n = 1; n <= 5; n++) await publisher.publish('orders.executed', order(n));
    await waitFor(() => stream.size + stream.dropped === 5);
    expect(stream.dropped).toBe(2);
    const got: number[] = [];
    for await (const event of stream) {
      expectTypeOf(event).toEqualTypeOf<OrderEvent>();
      got.push(event.numOrders);
      if (got.length === 3) break;
    }
    expect(got).toEqual([3, 4, 5]);
    expect(subscriber.stats().dropped).toBe(2);
    // break closed the stream and removed its subscription.
    expect(await publisher.publish('orders.executed', order())).toBe(0);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('a pending stream read resolves with the next event, and ends when the subscriber closes', async () => {
    const { subscriber, publisher } = await setup();
    const stream = await subscriber.stream('positions.updated');
    const next = stream.next();
    await publisher.publish('positions.updated', position());
    const first = await next;
    expect(first.done).toBe(false);
    expect(first.value).toBeInstanceOf(PositionEvent);
    const pending = stream.next();
    await subscriber.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    await expect(subscriber.on('signals.generated', () => undefined)).rejects.toBeInstanceOf(RedisClosedError);
  });

  it('rejects unknown channels, empty patterns, bad queue bounds and disagreeing aliases, naming the option the caller wrote', async () => {
    const { client, subscriber } = await setup();
    await expect(subscriber.on('signals' as 'signals.generated', () => undefined)).rejects.toBeInstanceOf(ValidationError);
    await expect(subscriber.onPattern('', () => undefined)).rejects.toBeInstanceOf(ConfigError);
    await expect(subscriber.stream('orders.executed', { maxQueuedEvents: 0 })).rejects.toThrow('Option maxQueuedEvents must be an integer >= 1, got 0');
    await expect(subscriber.stream('orders.executed', { maxQueue: 0 })).rejects.toThrow('Option maxQueue must be an integer >= 1, got 0');
    expect(thrownBy(() => new EventSubscriber(client, { maxQueuedEvents: -1 }), ConfigError).context['option']).toBe('maxQueuedEvents');
    expect(thrownBy(() => new EventSubscriber(client, { queueSize: -1 }), ConfigError).context['option']).toBe('queueSize');
    // A bad alias next to a good current name is not ignored: the two disagree.
    const conflict = thrownBy(() => new EventSubscriber(client, { maxQueuedEvents: 2, queueSize: -1 }), ConfigError);
    expect(conflict.context['option']).toBe('maxQueuedEvents');
    expect(conflict.message).toBe('maxQueuedEvents (2) and its deprecated alias queueSize (-1) disagree: give maxQueuedEvents only');
    const streamConflict = await subscriber.stream('orders.executed', { maxQueuedEvents: 2, maxQueue: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(streamConflict).toBeInstanceOf(ConfigError);
    expect((streamConflict as ConfigError).context['option']).toBe('maxQueuedEvents');
    expect((streamConflict as ConfigError).message).toBe('maxQueuedEvents (2) and its deprecated alias maxQueue (0) disagree: give maxQueuedEvents only');
  });
});

describe('EventSubscriber queue bounds: maxQueuedEvents and its deprecated aliases', () => {
  /** How many of 5 events a stream of `subscriber` keeps when its reader is not reading. */
  async function kept(subscriberOptions: EventSubscriberOptions, streamOptions?: SubscriberStreamOptions): Promise<number> {
    const { subscriber, publisher } = await setup(subscriberOptions);
    const stream = await subscriber.stream('orders.executed', streamOptions);
    for (let n = 1; n <= 5; n++) await publisher.publish('orders.executed', order(n));
    await waitFor(() => stream.size + stream.dropped === 5);
    return stream.size;
  }

  it('keeps 1000 events per stream by default', async () => {
    expect(SUBSCRIBER_DEFAULTS.maxQueuedEvents).toBe(1000);
    const { subscriber, publisher } = await setup();
    const stream = await subscriber.stream('orders.executed');
    for (let n = 1; n <= 1002; n++) await publisher.publish('orders.executed', order(n));
    await waitFor(() => stream.size + stream.dropped === 1002);
    expect([stream.size, stream.dropped]).toEqual([1000, 2]);
  });

  it('takes the subscriber-wide bound from maxQueuedEvents or queueSize; both given must agree', async () => {
    expect(await kept({ maxQueuedEvents: 2 })).toBe(2);
    expect(await kept({ queueSize: 3 })).toBe(3);
    expect(await kept({ maxQueuedEvents: 2, queueSize: 2 })).toBe(2);
    const { client } = await embeddedPair();
    const err = thrownBy(() => new EventSubscriber(client, { maxQueuedEvents: 2, queueSize: 4 }), ConfigError);
    expect(err.context['option']).toBe('maxQueuedEvents');
    expect(err.message).toBe('maxQueuedEvents (2) and its deprecated alias queueSize (4) disagree: give maxQueuedEvents only');
  });

  it("takes a stream's own bound from maxQueuedEvents or maxQueue over the subscriber's; both given must agree", async () => {
    // A stream's own bound overrides the subscriber-wide one: that is no alias conflict.
    expect(await kept({ maxQueuedEvents: 4 }, { maxQueuedEvents: 2 })).toBe(2);
    expect(await kept({ maxQueuedEvents: 4 }, { maxQueue: 3 })).toBe(3);
    expect(await kept({ queueSize: 4 }, { maxQueue: 3 })).toBe(3);
    expect(await kept({ maxQueuedEvents: 4 }, { maxQueuedEvents: 2, maxQueue: 2 })).toBe(2);
    // maxQueuedEvents and maxQueue in the same stream options must agree.
    const { subscriber } = await setup({ maxQueuedEvents: 4 });
    const err = await subscriber.stream('orders.executed', { maxQueuedEvents: 2, maxQueue: 3 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).context['option']).toBe('maxQueuedEvents');
    expect((err as ConfigError).message).toBe('maxQueuedEvents (2) and its deprecated alias maxQueue (3) disagree: give maxQueuedEvents only');
  });

  it('still reads SUBSCRIBER_DEFAULTS.queueSize, the deprecated key, without spreading it', () => {
    expect(SUBSCRIBER_DEFAULTS.queueSize).toBe(1000);
    expect({ ...SUBSCRIBER_DEFAULTS }).toEqual({ maxQueuedEvents: 1000 });
    expect(Object.isFrozen(SUBSCRIBER_DEFAULTS)).toBe(true);
  });
});
