/**
 * The P&L service on a real Redis, fed by the execution gateway: REST totals equal a reference
 * computed from the gateway's own fills, a restart mid-run (consumer group) loses no fill and
 * counts none twice, and a price published as Python bytes by a plain client moves the P&L.
 */
import { Decimal } from 'decimal.js';
import { createClient } from 'redis';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EventPublisher, EventStream, PositionEvent, PriceCache, RedisClient } from '@trading-platform/redis-client';
import { keygen, useRedisServer, waitFor } from '../../../test/harness/index.js';
import { loadShared, tradingDay } from '../../lib/test/fixtures.js';
import { buildExecutionGateway } from '../../execution-gateway/src/app.js';
import type { OrderResponse } from '../../execution-gateway/src/app.js';
import type { Fill as GatewayFill } from '../../execution-gateway/src/paper-broker.js';
import type { MarketData } from '../../shared/index.js';
import { buildPnlService } from '../src/app.js';
import type { PnlService } from '../src/app.js';
import type { RealtimePnl } from '../src/view.js';

const redis = useRedisServer();
let marketData: MarketData;
beforeAll(async () => {
  ({ marketData } = await loadShared());
});

type Trade = GatewayFill & { strategy: string };

/** Cash the fills moved plus the shares at `marks`: what the P&L must be, computed without the book. */
function reference(trades: readonly Trade[], marks: Readonly<Record<string, string>>, strategy?: string): string {
  let pnl = new Decimal(0);
  for (const t of trades) {
    if (strategy !== undefined && t.strategy !== strategy) continue;
    pnl = pnl.minus(new Decimal(t.qty_change).times(t.price)).plus(new Decimal(t.qty_change).times(marks[t.symbol] as string));
  }
  return pnl.toFixed();
}

interface Rig {
  keyPrefix: string;
  gateway: ReturnType<typeof buildExecutionGateway>;
  trades: Trade[];
  order(strategy: string, day: number, orders: Array<{ symbol: string; quantity: number }>): Promise<void>;
  startService(consumer: string): Promise<PnlService>;
  close(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const keyPrefix = `${keygen('pnl').prefix}:stream:`;
  const gatewayClient = await RedisClient.connect({ url: redis.url });
  const gateway = buildExecutionGateway({ marketData, redis: gatewayClient, stream: new EventStream(gatewayClient, { keyPrefix }) });
  const trades: Trade[] = [];
  return {
    keyPrefix,
    gateway,
    trades,
    async order(strategy, day, orders) {
      const res = await gateway.inject({ method: 'POST', url: '/api/v1/orders', payload: { strategy_id: strategy, as_of_date: tradingDay(marketData, day), orders } });
      expect(res.statusCode).toBe(200);
      const body = res.json<OrderResponse>();
      expect(body.num_rejected).toBe(0);
      trades.push(...body.fills.map((f) => ({ ...f, strategy })));
    },
    async startService(consumer) {
      const client = await RedisClient.connect({ url: redis.url });
      return buildPnlService({ redis: client, durable: { stream: new EventStream(client, { keyPrefix }), group: 'pnl-service', consumer } });
    },
    close: () => gateway.close(),
  };
}

async function realtime(service: PnlService, query = ''): Promise<RealtimePnl> {
  return (await service.app.inject({ method: 'GET', url: `/api/v1/positions/pnl/realtime${query}` })).json<RealtimePnl>();
}

async function publishMarks(marks: Record<string, string>): Promise<void> {
  const client = await RedisClient.connect({ url: redis.url });
  const publisher = new EventPublisher(client);
  for (const [symbol, price] of Object.entries(marks)) await publisher.publishPriceUpdate({ symbol, price });
  await publisher.close();
  await client.close();
}

describe('P&L service on a real Redis', () => {
  it('REST totals equal a reference computed from the gateway fills (stream consumer group), in total and per strategy', async () => {
    const r = await rig();
    const service = await r.startService('c1');
    try {
      await r.order('s1', 0, [{ symbol: 'AAPL', quantity: 100 }, { symbol: 'MSFT', quantity: 50 }]);
      await r.order('s2', 0, [{ symbol: 'AAPL', quantity: -30 }, { symbol: 'KO', quantity: 200 }]);
      await r.order('s1', 1, [{ symbol: 'AAPL', quantity: -150 }, { symbol: 'MSFT', quantity: -20 }]);
      await r.order('s2', 2, [{ symbol: 'KO', quantity: -80 }, { symbol: 'AAPL', quantity: 30 }]);
      await waitFor(() => service.book.stats().fills.applied === r.trades.length, { description: `${r.trades.length} fills applied` });
      const marks = { AAPL: '187.4321', MSFT: '402.17', KO: '59.995' };
      await publishMarks(marks);
      const body = await waitFor(async () => ((b) => (b.realtime_prices_available === b.total_positions ? b : undefined))(await realtime(service)));
      expect(body.total_positions).toBe(3);
      expect(body.total_pl).toBe(reference(r.trades, marks));
      expect(new Decimal(body.realized_pl).plus(body.total_unrealized_pl).toFixed()).toBe(body.total_pl);
      for (const strategy of ['s1', 's2']) expect((await realtime(service, `?strategy=${strategy}`)).total_pl).toBe(reference(r.trades, marks, strategy));
      expect(service.book.totals().total_pl).toBe(body.total_pl);
      expect(service.book.stats().fills).toEqual({ applied: r.trades.length, bridged: 0, duplicate: 0, late: 0 });
    } finally {
      await service.close();
      await r.close();
    }
  });

  it('a service closed and restarted mid-run loses no fill and counts none twice', async () => {
    const r = await rig();
    let service = await r.startService('first');
    try {
      await r.order('s1', 0, [{ symbol: 'AAPL', quantity: 100 }, { symbol: 'KO', quantity: -40 }]);
      await waitFor(() => service.book.stats().fills.applied === 2);
      await service.close();
      // While no P&L service runs: these fills wait in the stream for the group.
      await r.order('s1', 1, [{ symbol: 'AAPL', quantity: -60 }, { symbol: 'KO', quantity: 90 }]);
      await r.order('s2', 1, [{ symbol: 'MSFT', quantity: 10 }]);
      service = await r.startService('second');
      await r.order('s1', 2, [{ symbol: 'AAPL', quantity: -70 }]);
      await waitFor(() => service.book.stats().fills.applied === r.trades.length, { description: `all ${r.trades.length} fills applied after the restart` });
      const marks = { AAPL: '180', KO: '60.5', MSFT: '399.99' };
      await publishMarks(marks);
      const body = await waitFor(async () => ((b) => (b.realtime_prices_available === b.total_positions ? b : undefined))(await realtime(service)));
      expect(body.total_pl).toBe(reference(r.trades, marks));
      const positions = (await r.gateway.inject({ method: 'GET', url: '/api/v1/positions' })).json<{ positions: Array<{ strategy_id: string; symbol: string; quantity: number }> }>().positions;
      for (const p of positions) expect(service.book.positionsIn(p.symbol, p.strategy_id)[0]?.qty.toNumber()).toBe(p.quantity);
      // The group delivered again what the start-up replay had read; the book skipped those by entry id.
      const fills = service.book.stats().fills;
      expect(fills).toMatchObject({ applied: r.trades.length, bridged: 0, late: 0 });
      expect(fills.duplicate).toBeGreaterThanOrEqual(3);
    } finally {
      await service.close();
      await r.close();
    }
  });

  it('marks the symbols the start-up replay left held from price:{symbol} in one read', async () => {
    const keyPrefix = `${keygen('pnl').prefix}:stream:`;
    const client = await RedisClient.connect({ url: redis.url });
    const stream = new EventStream(client, { keyPrefix });
    const cached = new PriceCache(client);
    const symbols = Array.from({ length: 20 }, (_, i) => `RPL${String(i).padStart(2, '0')}`);
    for (const symbol of symbols) {
      await stream.append(new PositionEvent({ symbol, action: 'buy', qtyChange: 5, newQty: 5, price: '10', strategyId: 's1' }));
      await cached.set({ symbol, bid: '10.99', ask: '11.01', mid: '11', timestamp: new Date() });
    }
    const getMany = vi.spyOn(PriceCache.prototype, 'getMany');
    const serviceClient = await RedisClient.connect({ url: redis.url });
    const service = await buildPnlService({ redis: serviceClient, durable: { stream: new EventStream(serviceClient, { keyPrefix }), group: 'pnl-service', consumer: 'c1' } });
    try {
      expect(service.book.stats().fills.applied).toBe(symbols.length);
      expect(getMany.mock.calls.map(([asked]) => asked)).toEqual([symbols]);
      expect(await realtime(service)).toMatchObject({ total_positions: 20, realtime_prices_available: 20, total_unrealized_pl: '100' });
    } finally {
      getMany.mockRestore();
      await service.close();
      await client.close();
    }
  });

  it('a price published by a plain node-redis client as Python bytes on price.updated.AAPL moves the P&L', async () => {
    const r = await rig();
    const service = await r.startService('c1');
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      await r.order('s1', 0, [{ symbol: 'AAPL', quantity: 10 }]);
      await waitFor(() => service.book.stats().fills.applied === 1);
      const [trade] = r.trades as [Trade];
      const timestamp = new Date(Date.now() + 1000).toISOString().replace('Z', '000+00:00');
      // Pydantic's model_dump_json() of upstream's PriceUpdateEvent: Decimals as strings, no event_id.
      const python = `{"event_type":"price.updated","symbol":"AAPL","price":"151.2550","timestamp":"${timestamp}","bid":"151.25","ask":"151.26","bid_price":"151.25","ask_price":"151.26","bid_size":300,"ask_size":200,"exchange":"V","volume":null}`;
      expect(await raw.publish('price.updated.AAPL', Buffer.from(python, 'utf8'))).toBe(1);
      const body = await waitFor(async () => ((b) => (b.positions[0]?.price_source === 'real-time' ? b : undefined))(await realtime(service)));
      expect(body.positions[0]).toMatchObject({ symbol: 'AAPL', qty: '10', current_price: '151.255', last_price_update: new Date(timestamp).toISOString() });
      expect(body.total_pl).toBe(new Decimal('151.255').minus(trade.price).times(10).toFixed());
    } finally {
      await raw.quit();
      await service.close();
      await r.close();
    }
  });
});
