import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '@trading-platform/redis-client';
import { embeddedClient, loadShared, tradingDay } from '../../lib/test/fixtures.js';
import { sampleValue, scrapeApp } from '../../lib/test/prometheus-text.js';
import type { MarketData } from '../../shared/index.js';
import { buildExecutionGateway } from '../src/app.js';

let marketData: MarketData;
let date: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ({ marketData } = await loadShared());
  date = tradingDay(marketData, 0);
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function gateway(redis: RedisClient | null = null): FastifyInstance {
  const app = buildExecutionGateway({ marketData, redis });
  apps.push(app);
  return app;
}

describe('GET /metrics of the execution gateway', () => {
  it('serves zeroed order and fill counters before the first order', async () => {
    const scrape = await scrapeApp(gateway());
    expect(scrape.types.get('execution_gateway_orders_total')).toBe('counter');
    expect(sampleValue(scrape, 'execution_gateway_orders_total', { outcome: 'accepted' })).toBe(0);
    expect(sampleValue(scrape, 'execution_gateway_orders_total', { outcome: 'rejected' })).toBe(0);
    expect(sampleValue(scrape, 'execution_gateway_fills_total', { side: 'buy' })).toBe(0);
    expect(sampleValue(scrape, 'execution_gateway_fills_total', { side: 'sell' })).toBe(0);
    expect(sampleValue(scrape, 'execution_gateway_batches_total')).toBe(0);
  });

  it('counts orders by outcome, fills by side and executed batches (a 400 is none of them)', async () => {
    const app = gateway();
    const post = async (payload: Record<string, unknown>): Promise<number> => (await app.inject({ method: 'POST', url: '/api/v1/orders', payload })).statusCode;
    expect(
      await post({
        strategy_id: 's1',
        as_of_date: date,
        orders: [
          { symbol: 'AAPL', quantity: 10 },
          { symbol: 'MSFT', quantity: 5, side: 'sell' },
          { symbol: 'KO', quantity: -3 },
          { symbol: 'NOPE', quantity: 1 },
        ],
      }),
    ).toBe(200);
    expect(await post({ strategy_id: 's1', as_of_date: date, orders: [{ symbol: 'PEP', quantity: 0 }] })).toBe(200);
    expect(await post({ strategy_id: 's1', orders: [] })).toBe(400);
    const scrape = await scrapeApp(app);
    expect(sampleValue(scrape, 'execution_gateway_orders_total', { outcome: 'accepted' })).toBe(3);
    expect(sampleValue(scrape, 'execution_gateway_orders_total', { outcome: 'rejected' })).toBe(2);
    expect(sampleValue(scrape, 'execution_gateway_fills_total', { side: 'buy' })).toBe(1);
    expect(sampleValue(scrape, 'execution_gateway_fills_total', { side: 'sell' })).toBe(2);
    expect(sampleValue(scrape, 'execution_gateway_batches_total')).toBe(2);
  });

  it("serves the SDK's publish metrics next to its own: one order event per batch, one position event per fill", async () => {
    const app = gateway(await embeddedClient());
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { strategy_id: 's1', as_of_date: date, orders: [{ symbol: 'AAPL', quantity: 10 }, { symbol: 'KO', quantity: -4 }] },
    });
    expect(res.statusCode).toBe(200);
    const scrape = await scrapeApp(app);
    expect(sampleValue(scrape, 'trading_platform_publish_total', { channel: 'orders.executed', outcome: 'published' })).toBe(1);
    expect(sampleValue(scrape, 'trading_platform_publish_total', { channel: 'positions.updated', outcome: 'published' })).toBe(2);
    expect(sampleValue(scrape, 'trading_platform_publish_buffer_capacity')).toBe(1000);
    expect(sampleValue(scrape, 'trading_platform_publish_buffer_events')).toBe(0);
  });
});
