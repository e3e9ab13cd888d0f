/** The P&L service on the embedded Redis: REST shape and filter, marks from price updates and `price:{symbol}`, health, metrics, the static page, options. */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, EventPublisher, PriceCache, PriceUpdateEvent } from '@trading-platform/redis-client';
import type { RedisClient } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import { waitFor } from '../../../test/harness/index.js';
import { buildPnlService } from '../src/app.js';
import type { PnlHealth, PnlService } from '../src/app.js';
import type { RealtimePnl } from '../src/view.js';

const open: Array<{ service: PnlService; publisher: EventPublisher; client: RedisClient }> = [];
afterEach(async () => {
  for (const { service, publisher, client } of open.splice(0)) {
    await service.close();
    await publisher.close();
    await client.close();
  }
});

async function start(options: { staleAfterMs?: number } = {}): Promise<{ service: PnlService; publisher: EventPublisher; client: RedisClient }> {
  const server = createEmbeddedServer();
  const client = await server.createClient().connect();
  const service = await buildPnlService({ redis: await server.createClient().connect(), ...options });
  const publisher = new EventPublisher(client);
  const started = { service, publisher, client };
  open.push(started);
  return started;
}

async function realtime(service: PnlService, query = ''): Promise<RealtimePnl> {
  const res = await service.app.inject({ method: 'GET', url: `/api/v1/positions/pnl/realtime${query}` });
  expect(res.statusCode).toBe(200);
  return res.json<RealtimePnl>();
}

const fill = (strategyId: string, symbol: string, qtyChange: number, newQty: number, price: string) =>
  ({ symbol, action: qtyChange > 0 ? 'buy' : 'sell', qtyChange, newQty, price, strategyId }) as const;

describe('P&L service (embedded Redis)', () => {
  it('serves upstream real-time P&L from pub/sub fills, marks from price updates and from price:{symbol} for a newly held symbol', async () => {
    const { service, publisher, client } = await start();
    const quoteAt = new Date(Date.now() - 1000);
    await new PriceCache(client).set({ symbol: 'MSFT', bid: '409.99', ask: '410.01', mid: '410', timestamp: quoteAt });
    await publisher.publishPositionEvent(fill('s1', 'AAPL', 10, 10, '100.00'));
    await publisher.publishPositionEvent(fill('s2', 'AAPL', -4, -4, '101.00'));
    await publisher.publishPositionEvent(fill('s1', 'MSFT', 5, 5, '400.10'));
    await publisher.publishPriceUpdate(new PriceUpdateEvent({ symbol: 'AAPL', price: '102.50', timestamp: '2030-01-01T00:00:00+00:00' }));
    const body = await waitFor(async () => {
      const b = await realtime(service);
      return b.realtime_prices_available === 2 && b.positions.find((p) => p.symbol === 'AAPL')?.qty === '6' ? b : undefined;
    });
    expect(body.positions).toEqual([
      { symbol: 'AAPL', qty: '6', avg_entry_price: '99.333333', current_price: '102.5', price_source: 'real-time', unrealized_pl: '19', unrealized_pl_pct: '1.3533', last_price_update: '2030-01-01T00:00:00.000Z' },
      { symbol: 'MSFT', qty: '5', avg_entry_price: '400.1', current_price: '410', price_source: 'real-time', unrealized_pl: '49.5', unrealized_pl_pct: '2.4744', last_price_update: quoteAt.toISOString() },
    ]);
    expect(body).toMatchObject({ total_positions: 2, total_unrealized_pl: '68.5', total_unrealized_pl_pct: '2.012', realized_pl: '0', total_pl: '68.5' });
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await realtime(service, '?strategy=s2')).toMatchObject({
      positions: [{ symbol: 'AAPL', qty: '-4', avg_entry_price: '101', unrealized_pl: '-6', unrealized_pl_pct: '-1.4851' }],
      total_unrealized_pl: '-6',
      total_pl: '-6',
    });
    expect(await realtime(service, '?strategy=nobody')).toMatchObject({ positions: [], total_positions: 0, total_unrealized_pl: '0', total_unrealized_pl_pct: null, realized_pl: '0', total_pl: '0' });
    for (const query of ['?strategy=', '?strategy=a&strategy=b']) {
      const res = await service.app.inject({ method: 'GET', url: `/api/v1/positions/pnl/realtime${query}` });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ message: 'strategy must be one non-empty string' });
    }
  });

  it('realizes on reductions and omits a position once flat', async () => {
    const { service, publisher } = await start();
    await publisher.publishPositionEvent(fill('s1', 'KO', 10, 10, '60'));
    await publisher.publishPositionEvent(fill('s1', 'KO', -10, 0, '61.25'));
    const body = await waitFor(async () => ((b) => (b.realized_pl !== '0' ? b : undefined))(await realtime(service)));
    expect(body).toMatchObject({ positions: [], total_positions: 0, realized_pl: '12.5', total_unrealized_pl: '0', total_pl: '12.5' });
    expect(service.book.totals()).toEqual({ realized_pl: '12.5', unrealized_pl: '0', total_pl: '12.5' });
  });

  it('reports health (degraded while positions have no fresh price), Prometheus metrics and serves the page and uPlot', async () => {
    const { service, publisher } = await start({ staleAfterMs: 60_000 });
    let health = (await service.app.inject({ method: 'GET', url: '/health' })).json<PnlHealth>();
    expect(health).toMatchObject({ status: 'healthy', service: 'pnl-service', redis_status: 'connected', positions_source: 'pubsub', positions: 0, prices_stale: true, sse_clients: 0, last_price_at: null });
    await publisher.publishPositionEvent(fill('s1', 'AAPL', 1, 1, '100'));
    await waitFor(() => service.book.heldSymbols().length === 1);
    health = (await service.app.inject({ method: 'GET', url: '/health' })).json<PnlHealth>();
    expect(health).toMatchObject({ status: 'degraded', positions: 1, prices_stale: true, fills: { applied: 1, bridged: 0, duplicate: 0, late: 0 } });
    await publisher.publishPriceUpdate({ symbol: 'AAPL', price: '101' });
    await waitFor(() => service.book.lastPriceAtMs !== null);
    health = (await service.app.inject({ method: 'GET', url: '/health' })).json<PnlHealth>();
    expect(health).toMatchObject({ status: 'healthy', prices_stale: false, stale_after_ms: 60_000 });

    const metrics = await service.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    for (const line of [
      'pnl_service_total_pl 1',
      'pnl_service_realized_pl 0',
      'pnl_service_unrealized_pl 1',
      'pnl_service_positions 1',
      'pnl_service_sse_clients 0',
      'pnl_service_sse_messages_total{outcome="dropped"} 0',
      'pnl_service_fills_total{outcome="applied"} 1',
      'pnl_service_fills_total{outcome="invalid"} 0',
      'pnl_service_price_updates_total{outcome="accepted"} 1',
    ]) {
      expect(metrics.body).toContain(`\n${line}\n`);
    }
    expect(metrics.body).toMatch(/\npnl_service_price_age_seconds \d/);
    // The SDK's own metrics share the registry (./prometheus): the subscriber counted the fill and the price.
    expect(metrics.body).toMatch(/\ntrading_platform_subscriber_messages_total\{[^}]*\} [1-9]/);

    const page = await service.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const uplot = await service.app.inject({ method: 'GET', url: '/vendor/uplot/uPlot.iife.min.js' });
    expect(uplot.statusCode).toBe(200);
    expect((await service.app.inject({ method: 'GET', url: '/vendor/uplot/uPlot.min.css' })).statusCode).toBe(200);
  });

  it('refuses bad options with a ConfigError naming the option', async () => {
    const redis = createEmbeddedServer().createClient();
    await expect(buildPnlService({ redis, maxMessagesPerSecond: 0 })).rejects.toThrow(ConfigError);
    await expect(buildPnlService({ redis, staleAfterMs: 1.5 })).rejects.toThrow(/staleAfterMs/);
    await expect(buildPnlService({ redis, maxMessagesPerSecond: 5000 })).rejects.toThrow(/maxMessagesPerSecond must be a number > 0 and <= 1000/);
  });
});
