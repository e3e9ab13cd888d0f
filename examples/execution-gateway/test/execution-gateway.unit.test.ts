import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EventSubscriber } from '@trading-platform/redis-client';
import type { RedisClient , OrderEvent, PositionEvent } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import type { EmbeddedServer } from '@trading-platform/redis-client/embedded';
import type { FastifyInstance } from 'fastify';
import { embeddedClient, loadShared, tradingDay, unreachableClient } from '../../lib/test/fixtures.js';
import { waitFor } from '../../../test/harness/index.js';
import type { MarketData } from '../../shared/index.js';
import { buildExecutionGateway } from '../src/app.js';
import type { GatewayHealth, OrderResponse } from '../src/app.js';
import type { Position } from '../src/paper-broker.js';

let marketData: MarketData;
let date: string;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ({ marketData } = await loadShared());
  date = tradingDay(marketData, 0);
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function gateway(redis: RedisClient | null): FastifyInstance {
  const app = buildExecutionGateway({ marketData, redis });
  cleanup.push(() => app.close());
  return app;
}

async function order(app: FastifyInstance, payload: unknown): Promise<{ status: number; body: OrderResponse & { message?: string } }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/orders', payload: payload as Record<string, unknown> });
  return { status: res.statusCode, body: res.json() };
}

/** Collects every order and position event published on `server`. */
async function listen(server: EmbeddedServer): Promise<{ orders: OrderEvent[]; positions: PositionEvent[] }> {
  const client = await embeddedClient(server);
  const subscriber = new EventSubscriber(client);
  const seen = { orders: [] as OrderEvent[], positions: [] as PositionEvent[] };
  await subscriber.on(CHANNELS.ORDERS, (e) => void seen.orders.push(e));
  await subscriber.on(CHANNELS.POSITIONS, (e) => void seen.positions.push(e));
  cleanup.push(async () => {
    await subscriber.close();
    await client.close();
  });
  return seen;
}

const close = (symbol: string, day: string): string => (marketData.closeOn(symbol, day) as number).toFixed(2);

describe('POST /api/v1/orders with orders', () => {
  it('fills accepted orders at the close, rejects bad ones with reasons, and publishes one OrderEvent and one PositionEvent per fill', async () => {
    const server = createEmbeddedServer();
    const seen = await listen(server);
    const { status, body } = await order(gateway(await embeddedClient(server)), {
      strategy_id: 's1',
      as_of_date: date,
      orders: [
        { symbol: 'AAPL', quantity: 100 },
        { symbol: 'MSFT', quantity: 40, side: 'sell' },
        { symbol: 'NOPE', quantity: 10 },
        { symbol: 'KO', quantity: 0 },
        { symbol: 'PEP', quantity: 2.5 },
        { symbol: 'JPM', quantity: -3, side: 'buy' },
      ],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ strategy_id: 's1', as_of_date: date, num_orders: 6, num_accepted: 2, num_rejected: 4 });
    expect(body.fills).toEqual([
      { symbol: 'AAPL', side: 'buy', quantity: 100, qty_change: 100, price: close('AAPL', date), new_quantity: 100 },
      { symbol: 'MSFT', side: 'sell', quantity: 40, qty_change: -40, price: close('MSFT', date), new_quantity: -40 },
    ]);
    expect(body.rejected.map((r) => [r.symbol, r.reason])).toEqual([
      ['NOPE', `no close price for NOPE on ${date} (unknown symbol or not a trading day)`],
      ['KO', 'quantity must not be zero'],
      ['PEP', 'quantity must be an integer'],
      ['JPM', 'quantity must be positive when side is given'],
    ]);
    await waitFor(() => seen.orders.length === 1 && seen.positions.length === 2, { description: '1 order and 2 position events' });
    expect(seen.orders[0]).toMatchObject({ runId: body.run_id, strategyId: 's1', numOrders: 6, numAccepted: 2, numRejected: 4 });
    expect(seen.positions.map((p) => [p.symbol, p.action, p.qtyChange, p.newQty, p.price, p.strategyId])).toEqual([
      ['AAPL', 'buy', 100, 100, close('AAPL', date), 's1'],
      ['MSFT', 'sell', -40, -40, close('MSFT', date), 's1'],
    ]);
  });

  it('keeps positions per strategy and lists them, optionally for one strategy', async () => {
    const app = gateway(null);
    await order(app, { strategy_id: 's1', as_of_date: date, orders: [{ symbol: 'AAPL', quantity: 10 }, { symbol: 'KO', quantity: 5 }] });
    await order(app, { strategy_id: 's1', as_of_date: date, orders: [{ symbol: 'AAPL', quantity: 5, side: 'sell' }, { symbol: 'KO', quantity: -5 }] });
    await order(app, { strategy_id: 's2', as_of_date: date, orders: [{ symbol: 'AAPL', quantity: -7 }] });
    const all = (await app.inject({ method: 'GET', url: '/api/v1/positions' })).json<{ positions: Position[] }>().positions;
    expect(all.map((p) => [p.strategy_id, p.symbol, p.quantity])).toEqual([
      ['s1', 'AAPL', 5],
      ['s2', 'AAPL', -7],
    ]);
    const one = (await app.inject({ method: 'GET', url: '/api/v1/positions?strategy_id=s2' })).json<{ positions: Position[] }>().positions;
    expect(one).toEqual([{ strategy_id: 's2', symbol: 'AAPL', quantity: -7, last_fill_price: close('AAPL', date), last_fill_date: date }]);
  });

  it.each([
    [{ orders: [{ symbol: 'AAPL', quantity: 1 }] }, 'strategy_id must be a non-empty string'],
    [{ strategy_id: 's1' }, 'body must have orders'],
    [{ strategy_id: 's1', orders: [] }, 'orders must not be empty'],
    [{ strategy_id: 's1', orders: [{ quantity: 1 }] }, 'orders[0].symbol must be a non-empty string'],
    [{ strategy_id: 's1', as_of_date: '2024-13-01', orders: [{ symbol: 'AAPL', quantity: 1 }] }, 'as_of_date must be a date YYYY-MM-DD'],
    [
      { strategy_id: 's1', as_of_date: '0000-01-01', orders: [{ symbol: 'AAPL', quantity: 1 }] },
      'as_of_date must be a date YYYY-MM-DD: "0000-01-01" is not a real calendar date (year must be 0001 or later)',
    ],
    [
      { strategy_id: 's1', as_of_date: '2024-02-30', orders: [{ symbol: 'AAPL', quantity: 1 }] },
      'as_of_date must be a date YYYY-MM-DD: "2024-02-30" is not a real calendar date (day 30 does not exist in 2024-02)',
    ],
    [{ strategy_id: 's1', as_of_date: 20240102, orders: [{ symbol: 'AAPL', quantity: 1 }] }, 'as_of_date must be a date YYYY-MM-DD, got 20240102'],
    [{ strategy_id: 's1', signals: [{ symbol: 'AAPL', target_weight: 1 }] }, 'capital must be a number > 0'],
    [{ strategy_id: 's1', capital: 1000, signals: [{ symbol: 'AAPL', target_weight: 'x' }] }, 'signals[0].target_weight must be a finite number'],
  ])('answers 400 to %j', async (payload, message) => {
    const { status, body } = await order(gateway(null), payload);
    expect(status).toBe(400);
    expect(body.message).toContain(message);
  });
});

describe('POST /api/v1/orders with a signal response', () => {
  const signalResponse = (asOf: string) => ({
    signals: [
      { symbol: 'AAPL', predicted_return: 0.02, rank: 1, target_weight: 0.5 },
      { symbol: 'KO', predicted_return: 0, rank: 2, target_weight: 0 },
      { symbol: 'MSFT', predicted_return: -0.01, rank: 3, target_weight: -0.5 },
    ],
    metadata: { as_of_date: asOf, strategy: 'alpha158_linear', model_version: '1.0.0' },
    capital: 100_000,
  });

  it('trades to the target weights at the close, then only the difference', async () => {
    const app = gateway(null);
    const first = await order(app, signalResponse(date));
    const aapl = Math.trunc(50_000 / (marketData.closeOn('AAPL', date) as number));
    const msft = -Math.trunc(50_000 / (marketData.closeOn('MSFT', date) as number));
    expect(first.status).toBe(200);
    expect(first.body.strategy_id).toBe('alpha158_linear');
    expect(first.body.fills.map((f) => [f.symbol, f.qty_change])).toEqual([['AAPL', aapl], ['MSFT', msft]]);
    const again = await order(app, signalResponse(date));
    expect(again.body).toMatchObject({ num_orders: 0, num_accepted: 0, num_rejected: 0, fills: [] });
    const next = tradingDay(marketData, 1);
    const later = await order(app, signalResponse(next));
    const target = Math.trunc(50_000 / (marketData.closeOn('AAPL', next) as number));
    expect(later.body.fills.find((f) => f.symbol === 'AAPL')?.new_quantity ?? aapl).toBe(target);
  });
});

describe('GET /health', () => {
  const health = async (app: FastifyInstance): Promise<GatewayHealth> => (await app.inject({ method: 'GET', url: '/health' })).json();

  it('reports disabled, connected and unreachable Redis', async () => {
    expect(await health(gateway(null))).toMatchObject({ status: 'healthy', service: 'execution-gateway', redis_enabled: false, redis_connected: false, redis_status: 'disabled' });
    expect(await health(gateway(await embeddedClient()))).toMatchObject({ status: 'healthy', redis_enabled: true, redis_connected: true, redis_status: 'connected' });
    expect(await health(gateway(await unreachableClient()))).toMatchObject({ status: 'degraded', redis_enabled: true, redis_connected: false, redis_status: 'disconnected' });
  });

  it('still fills orders while Redis is unreachable (events are lost, the answer is not)', async () => {
    const { status, body } = await order(gateway(await unreachableClient()), { strategy_id: 's1', as_of_date: date, orders: [{ symbol: 'AAPL', quantity: 1 }] });
    expect(status).toBe(200);
    expect(body.num_accepted).toBe(1);
  });
});
