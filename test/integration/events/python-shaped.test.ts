/**
 * Price updates and Python-shaped messages on a real redis-server: what the SDK publishes on
 * `price.updated.{symbol}` reaches a typed pattern subscriber, and the exact bytes Pydantic's
 * `model_dump_json` wrote, published by a plain node-redis client standing in for the Python
 * services, reach typed handlers and stream consumers, including values only the Python models
 * accept (read like Python; reported as nonconforming).
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisClient } from '../../../src/index.js';
import type { MessageMeta } from '../../../src/events/subscriber-types.js';
import { CHANNELS } from '../../../src/events/channels.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import type { SignalEvent } from '../../../src/events/signal-event.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { EventStream } from '../../../src/streams/event-stream.js';
import { keygen, waitFor } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

// Written by pydantic 2.13.4's model_dump_json from the upstream models: PriceUpdateEvent built as
// from_quote builds it (QuoteData ZZPY 189.99 x 190.02, sizes 100/200, exchange V); an OrderEvent
// whose run_id is no UUID; a SignalEvent whose as_of_date is a datetime text.
const PYTHON_PRICE =
  '{"event_type":"price.updated","symbol":"ZZPY","price":"190.005","timestamp":"2025-01-17T14:30:15.123456+00:00","bid":"189.99","ask":"190.02","bid_price":"189.99","ask_price":"190.02","bid_size":100,"ask_size":200,"exchange":"V","volume":null}';
const PYTHON_ORDER =
  '{"event_type":"orders.executed","timestamp":"2025-01-17T21:00:00Z","run_id":"run-2025-01-17-001","strategy_id":"alpha_baseline","num_orders":5,"num_accepted":4,"num_rejected":1}';
const PYTHON_SIGNAL =
  '{"event_type":"signals.generated","timestamp":"2025-01-17T21:00:00.500000Z","strategy_id":"alpha_baseline","symbols":["AAPL","MSFT"],"num_signals":2,"as_of_date":"2025-01-17T00:00:00"}';

describe('price updates and Python-shaped messages on a real redis-server', () => {
  let client: RedisClient;
  let subscriber: EventSubscriber;
  let publisher: EventPublisher;
  const python = createClient({ url: inject('redisUrl') });

  beforeAll(async () => {
    client = await RedisClient.connect({ url: inject('redisUrl') });
    subscriber = new EventSubscriber(client);
    publisher = new EventPublisher(client);
    await python.connect();
  });

  afterAll(async () => {
    await subscriber.close();
    await publisher.close();
    await client.close();
    python.destroy();
  });

  it('a PriceUpdateEvent the SDK publishes reaches a pattern subscriber on price.updated.*, typed, and a raw listener as its wire bytes', async () => {
    const got: Array<{ event: PriceUpdateEvent; meta: MessageMeta }> = [];
    const off = await subscriber.onPattern(PriceUpdateEvent.pattern, (event, meta) => void got.push({ event, meta }));
    const raw: string[] = [];
    const listener = python.duplicate();
    await listener.connect();
    await listener.subscribe('price.updated.ZZSDK', (message) => void raw.push(message));
    const event = new PriceUpdateEvent({ symbol: 'ZZSDK', price: '42.5', bid: '42.49', ask: '42.51', bidSize: 10, askSize: 20, volume: 1234 });
    expect(await publisher.publishPriceUpdate(event)).toBe(2);
    await waitFor(() => got.length === 1 && raw.length === 1, { description: 'the price update delivered' });
    const [first] = got;
    expect(first?.event).toBeInstanceOf(PriceUpdateEvent);
    expect(first?.meta).toEqual({ channel: 'price.updated.ZZSDK', pattern: 'price.updated.*' });
    expect({ ...first?.event }).toEqual({ ...event });
    expect(first?.event.conforms).toBe(true);
    expect(raw[0]).toBe(event.toWire());
    await listener.unsubscribe();
    listener.destroy();
    await off();
  });

  it("model_dump_json bytes published by a plain client are read as Python reads them: the price on its symbol channel and by pattern, the order and signal the old parser refused", async () => {
    const prices: PriceUpdateEvent[] = [];
    const patterned: PriceUpdateEvent[] = [];
    const orders: OrderEvent[] = [];
    const signals: SignalEvent[] = [];
    const offs = [
      await subscriber.on(PriceUpdateEvent.channelFor('ZZPY'), (event) => void prices.push(event)),
      await subscriber.onPattern(PriceUpdateEvent.pattern, (event) => void patterned.push(event)),
      await subscriber.on(CHANNELS.ORDERS, (event) => void orders.push(event)),
      await subscriber.on(CHANNELS.SIGNALS, (event) => void signals.push(event)),
    ];
    expect(await python.publish('price.updated.ZZPY', Buffer.from(PYTHON_PRICE, 'utf8'))).toBe(2);
    expect(await python.publish(CHANNELS.ORDERS, Buffer.from(PYTHON_ORDER, 'utf8'))).toBe(1);
    expect(await python.publish(CHANNELS.SIGNALS, Buffer.from(PYTHON_SIGNAL, 'utf8'))).toBe(1);
    await waitFor(() => prices.length === 1 && patterned.length === 1 && orders.length === 1 && signals.length === 1, {
      description: 'every Python message delivered',
    });

    for (const price of [prices[0], patterned[0]]) {
      expect(price).toBeInstanceOf(PriceUpdateEvent);
      expect(price?.toWire()).toBe(PYTHON_PRICE);
      expect([price?.symbol, price?.price, price?.bidSize, price?.askSize, price?.exchange, price?.volume]).toEqual(['ZZPY', '190.005', 100, 200, 'V', null]);
      expect(price?.conforms).toBe(true);
      expect(price?.date.toISOString()).toBe('2025-01-17T14:30:15.123Z');
    }
    expect(orders[0]?.runId).toBe('run-2025-01-17-001');
    expect(orders[0]?.nonconforming.map((issue) => issue.path)).toEqual(['run_id']);
    expect(orders[0]?.toWire()).toBe(PYTHON_ORDER);
    expect(signals[0]?.asOfDate).toBe('2025-01-17T00:00:00');
    expect(signals[0]?.nonconforming.map((issue) => issue.path)).toEqual(['as_of_date']);
    expect(signals[0]?.toWire()).toBe(PYTHON_SIGNAL);
    expect(subscriber.stats().invalid).toBe(0);
    for (const off of offs) await off();
  });

  it('a stream consumer handles a Python-shaped entry the old parser dead-lettered, and a price stream works per symbol', async () => {
    const keys = keygen('python-shaped');
    const stream = new EventStream(client, { keyPrefix: `${keys.prefix}:` });
    await python.xAdd(stream.streamKey(CHANNELS.ORDERS), '*', { event: PYTHON_ORDER, event_type: 'orders.executed' });
    const price = new PriceUpdateEvent({ symbol: 'ZZSTREAM', price: '1.5' });
    await stream.append(price);
    const handled: unknown[] = [];
    const consumer = stream.consume({
      channels: [CHANNELS.ORDERS, PriceUpdateEvent.channelFor('ZZSTREAM')],
      group: 'python-shaped',
      consumer: 'c1',
      startId: '0',
      handler: ({ event }) => void handled.push(event),
    });
    try {
      await waitFor(() => handled.length === 2, { description: 'both entries handled' });
      const order = handled.find((event) => event instanceof OrderEvent) as OrderEvent | undefined;
      expect(order?.runId).toBe('run-2025-01-17-001');
      expect(order?.conforms).toBe(false);
      const read = handled.find((event) => event instanceof PriceUpdateEvent) as PriceUpdateEvent | undefined;
      expect(read?.toWire()).toBe(price.toWire());
      expect(consumer.stats().deadLettered).toBe(0);
      expect(await python.xLen(stream.deadLetterKey(CHANNELS.ORDERS))).toBe(0);
    } finally {
      await consumer.stop();
      await python.del([stream.streamKey(CHANNELS.ORDERS), stream.streamKey(PriceUpdateEvent.channelFor('ZZSTREAM'))]);
    }
  });
});
