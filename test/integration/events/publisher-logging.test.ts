import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventPublisher, EventSubscriber, OrderEvent, PositionEvent, PriceUpdateEvent, RedisClient, SignalEvent } from '../../../src/index.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { plainClient } from '../../harness/cache/helpers.js';
import { recordingLogger } from '../../harness/cache/context.js';

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
      const quote = new PriceUpdateEvent({ symbol: 'AAPL', price: '150.25', timestamp: '2025-01-17T14:30:15.123456+00:00' });
      expect(await publisher.publishPriceUpdate(quote)).toBe(1);
      await waitFor(() => got.length === 1);
      expect(got[0]).toBe(`price.updated.AAPL ${quote.toWire()}`);
      expect(log.records).toEqual([
        { level: 'debug', fields: { channel: 'price.updated.AAPL', eventType: 'price.updated', subscribers: 1 }, msg: "Published price.updated to 'price.updated.AAPL' (1 subscribers)" },
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
