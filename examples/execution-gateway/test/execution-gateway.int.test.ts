/** The execution gateway on a real Redis: events published while Redis is unreachable are buffered and delivered later. */
import { beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EventSubscriber, RedisClient, silentLogger } from '@trading-platform/redis-client';
import type { OrderEvent, PositionEvent } from '@trading-platform/redis-client';
import { startFaultProxy, useRedisServer, waitFor } from '../../../test/harness/index.js';
import { loadShared, tradingDay } from '../../lib/test/fixtures.js';
import { connectFromEnv } from '../../lib/redis.js';
import type { MarketData } from '../../shared/index.js';
import { buildExecutionGateway } from '../src/app.js';
import type { GatewayHealth } from '../src/app.js';

const redis = useRedisServer();
let marketData: MarketData;

beforeAll(async () => {
  ({ marketData } = await loadShared());
});

describe('execution gateway on a real Redis', () => {
  it('fills while Redis is unreachable and delivers the order and position events once it is back (REDIS_FALLBACK_* buffer)', { timeout: 30_000 }, async () => {
    const proxy = await startFaultProxy({ targetPort: redis.server.port });
    const listener = await RedisClient.connect({ url: redis.url });
    const subscriber = new EventSubscriber(listener);
    const client = await connectFromEnv({ REDIS_URL: proxy.url }, silentLogger);
    const app = buildExecutionGateway({ marketData, redis: client, env: { REDIS_FALLBACK_BUFFER_MAX_SIZE: '10' } });
    try {
      const seen = { orders: [] as OrderEvent[], positions: [] as PositionEvent[] };
      await subscriber.on(CHANNELS.ORDERS, (e) => void seen.orders.push(e));
      await subscriber.on(CHANNELS.POSITIONS, (e) => void seen.positions.push(e));
      await proxy.setMode('reset');
      await waitFor(async () => ((await app.inject({ method: 'GET', url: '/health' })).json() as GatewayHealth).redis_status === 'disconnected', {
        description: 'health to report Redis down',
      });
      const date = tradingDay(marketData, 1);
      const res = await app.inject({ method: 'POST', url: '/api/v1/orders', payload: { strategy_id: 's1', as_of_date: date, orders: [{ symbol: 'AAPL', quantity: 100 }] } });
      expect(res.statusCode).toBe(200);
      expect(seen.orders).toEqual([]);
      await proxy.setMode('pass');
      await waitFor(() => seen.orders.length === 1 && seen.positions.length === 1, { timeoutMs: 20_000, description: 'the buffered events to be replayed' });
      expect(seen.orders[0]).toMatchObject({ strategyId: 's1' });
      expect(seen.positions[0]).toMatchObject({ symbol: 'AAPL' });
    } finally {
      await app.close();
      await subscriber.close();
      await listener.close();
      await proxy.close();
    }
  });
});
