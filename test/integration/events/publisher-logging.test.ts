import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventPublisher, EventSubscriber, OrderEvent, PositionEvent, RedisClient, SignalEvent } from '../../../src/index.js';
import type { AnyEvent, Channel } from '../../../src/index.js';
import type * as EventInput from '../../../src/events/event-input.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { plainClient } from '../../harness/cache/helpers.js';
import { recordingLogger } from '../../harness/cache/context.js';

// The price event class is another change's subject: on the high-frequency channel families the
// channel check lets a stand-in through, so a real PUBLISH on them can be logged and counted here.
vi.mock('../../../src/events/event-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof EventInput>();
  return {
    ...actual,
    assertEventForChannel: (channel: string, event: unknown) =>
      channel.startsWith('price.updated.') || channel.startsWith('level2.') ? event : actual.assertEventForChannel(channel as Channel, event),
  };
});

/** A stand-in event for a high-frequency channel, with upstream PriceUpdateEvent's wire JSON. */
function priceUpdate(symbol: string): AnyEvent {
  const wire = `{"event_type":"price.updated","symbol":"${symbol}","price":"150.25","timestamp":"2025-01-17T14:30:15.123456+00:00","bid":null,"ask":null,"bid_price":null,"ask_price":null,"bid_size":null,"ask_size":null,"exchange":null,"volume":null}`;
  return { eventType: 'price.updated', toWire: () => wire } as unknown as AnyEvent;
}

describe('EventPublisher logs real publishes with the upstream text and level', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  let subscriberClient: RedisClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url });
    subscriberClient = await RedisClient.connect({ url: redis.url });
  });
  afterAll(async () => {
    await client.close();
    await subscriberClient.close();
  });

  it('info on the business channels, with the receiver count Redis returned', async () => {
    const log = recordingLogger();
    const publisher = new EventPublisher(client, { logger: log });
    const subscriber = new EventSubscriber(subscriberClient);
    const got: string[] = [];
    await subscriber.on('signals.generated', () => void got.push('signal'));
    await subscriber.on('orders.executed', () => void got.push('order'));
    try {
      expect(await publisher.publishSignalEvent({ strategyId: 's', symbols: ['AAPL'], numSignals: 1, asOfDate: '2025-01-17' })).toBe(1);
      expect(await publisher.publish('orders.executed', new OrderEvent({ runId: '550e8400-e29b-41d4-a716-446655440000', strategyId: 's', numOrders: 1, numAccepted: 1, numRejected: 0 }))).toBe(1);
      expect(await publisher.publish('positions.updated', new PositionEvent({ symbol: 'AAPL', action: 'buy', qtyChange: 1, newQty: 1, price: '150.25', strategyId: 's' }))).toBe(0);
      await waitFor(() => got.length === 2);
      expect(log.records.map((r) => [r.level, r.msg])).toEqual([
        ['info', "Published signals.generated to 'signals.generated' (1 subscribers)"],
        ['info', "Published orders.executed to 'orders.executed' (1 subscribers)"],
        ['info', "Published positions.updated to 'positions.updated' (0 subscribers)"],
      ]);
      expect(log.records[0]?.fields).toEqual({ channel: 'signals.generated', eventType: 'signals.generated', subscribers: 1 });
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  });

  it('debug on price.updated.{symbol}, with the receiver count of a real PUBLISH (a pattern subscriber on price.updated.*)', async () => {
    const log = recordingLogger();
    const publisher = new EventPublisher(client, { logger: log });
    const raw = await plainClient(redis.url);
    const got: string[] = [];
    await raw.pSubscribe('price.updated.*', (message, channel) => void got.push(`${channel} ${message}`));
    try {
      expect(await publisher.publish('price.updated.AAPL' as Channel, priceUpdate('AAPL') as never)).toBe(1);
      expect(await publisher.publish('level2.AAPL' as Channel, priceUpdate('AAPL') as never)).toBe(0);
      await waitFor(() => got.length === 1);
      expect(got[0]).toBe(`price.updated.AAPL ${priceUpdate('AAPL').toWire()}`);
      expect(log.records).toEqual([
        { level: 'debug', fields: { channel: 'price.updated.AAPL', eventType: 'price.updated', subscribers: 1 }, msg: "Published price.updated to 'price.updated.AAPL' (1 subscribers)" },
        { level: 'debug', fields: { channel: 'level2.AAPL', eventType: 'price.updated', subscribers: 0 }, msg: "Published price.updated to 'level2.AAPL' (0 subscribers)" },
      ]);
    } finally {
      await raw.pUnsubscribe();
      await raw.close();
      await publisher.close();
    }
  });

  it('logs nothing per event for a publish that failed; the client is closed', async () => {
    const log = recordingLogger();
    const closed = await RedisClient.connect({ url: redis.url });
    const publisher = new EventPublisher(closed, { logger: log });
    await closed.close();
    expect(await publisher.publish('signals.generated', new SignalEvent({ strategyId: 's', symbols: ['A'], numSignals: 0, asOfDate: '2025-01-17' }))).toBeNull();
    expect(log.records.filter((r) => r.msg.startsWith('Published'))).toEqual([]);
    expect(log.records.map((r) => r.level)).toEqual(['warn']);
  });
});
