import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { RedisCommandError, RedisConnectionError } from '@trading-platform/redis-client';
import { waitFor } from '../../../test/harness/index.js';
import { embeddedClient, loadShared, tradingDay, unreachableClient } from '../../lib/test/fixtures.js';
import { sampleValue, scrapeApp } from '../../lib/test/prometheus-text.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { buildSignalService } from '../src/app.js';
import type { SignalServiceDeps } from '../src/app.js';

let marketData: MarketData;
let model: LinearModel;
let date: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ({ marketData, model } = await loadShared());
  date = tradingDay(marketData, 4);
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function service(redis: SignalServiceDeps['redis'], env: SignalServiceDeps['env'] = {}): FastifyInstance {
  const app = buildSignalService({ marketData, model, redis, topN: 1, bottomN: 1, env });
  apps.push(app);
  return app;
}

async function generate(app: FastifyInstance, payload: Record<string, unknown>): Promise<number> {
  return (await app.inject({ method: 'POST', url: '/api/v1/signals/generate', payload })).statusCode;
}

describe('GET /metrics of the signal service', () => {
  it('serves the upstream names with their help texts, every series present before the first request', async () => {
    const scrape = await scrapeApp(service(await embeddedClient()));
    expect(scrape.types.get('signal_service_requests_total')).toBe('counter');
    expect(scrape.types.get('signal_service_signal_generation_duration_seconds')).toBe('histogram');
    expect(scrape.types.get('signal_service_redis_connection_status')).toBe('gauge');
    expect(scrape.help.get('signal_service_redis_connection_status')).toBe('Redis connection status (1=connected, 0=disconnected)');
    expect(scrape.help.get('signal_service_redis_fallback_buffer_size')).toBe('Number of buffered signal events waiting for Redis publish');
    for (const name of ['signal_service_signals_buffered_total', 'signal_service_signals_replayed_total', 'signal_service_signals_dropped_total']) {
      expect(scrape.types.get(name)).toBe('counter');
      expect(sampleValue(scrape, name)).toBe(0);
    }
    expect(sampleValue(scrape, 'signal_service_requests_total', { status: 'success' })).toBe(0);
    expect(sampleValue(scrape, 'signal_service_requests_total', { status: 'error' })).toBe(0);
    expect(sampleValue(scrape, 'signal_service_signal_generation_duration_seconds_count', { outcome: 'error' })).toBe(0);
  });

  it('counts generation requests by status and times them by outcome (400 and 503 are errors)', async () => {
    const app = service(await embeddedClient());
    expect(await generate(app, { symbols: ['AAPL', 'MSFT'], as_of_date: date })).toBe(200);
    expect(await generate(app, { symbols: ['AAPL', 'MSFT'], as_of_date: date })).toBe(200);
    expect(await generate(app, { symbols: ['NOPE'] })).toBe(400);
    const scrape = await scrapeApp(app);
    expect(sampleValue(scrape, 'signal_service_requests_total', { status: 'success' })).toBe(2);
    expect(sampleValue(scrape, 'signal_service_requests_total', { status: 'error' })).toBe(1);
    expect(sampleValue(scrape, 'signal_service_signal_generation_duration_seconds_count', { outcome: 'success' })).toBe(2);
    expect(sampleValue(scrape, 'signal_service_signal_generation_duration_seconds_count', { outcome: 'error' })).toBe(1);
    expect(sampleValue(scrape, 'signal_service_signal_generation_duration_seconds_bucket', { outcome: 'success', le: '+Inf' })).toBe(2);
    expect(sampleValue(scrape, 'signal_service_signal_generation_duration_seconds_sum', { outcome: 'success' })).toBeGreaterThan(0);
  });

  it('reports the Redis connection as 1 when ready, 0 when unreachable and 0 when disabled', async () => {
    const status = async (app: FastifyInstance): Promise<number | undefined> => sampleValue(await scrapeApp(app), 'signal_service_redis_connection_status');
    expect(await status(service(await embeddedClient()))).toBe(1);
    expect(await status(service(await unreachableClient()))).toBe(0);
    expect(await status(service(null))).toBe(0);
  });

  it('counts signal events buffered while Redis is unreachable, the buffer size, and those dropped by a full buffer', async () => {
    const app = service(await unreachableClient(), { REDIS_FALLBACK_BUFFER_MAX_SIZE: '2' });
    for (let i = 0; i < 3; i++) expect(await generate(app, { symbols: ['AAPL', 'KO'], as_of_date: date })).toBe(200);
    const scrape = await scrapeApp(app);
    expect(sampleValue(scrape, 'signal_service_signals_buffered_total')).toBe(3);
    expect(sampleValue(scrape, 'signal_service_redis_fallback_buffer_size')).toBe(2);
    expect(sampleValue(scrape, 'signal_service_signals_dropped_total')).toBe(1);
    expect(sampleValue(scrape, 'signal_service_signals_replayed_total')).toBe(0);
    expect(sampleValue(scrape, 'signal_service_requests_total', { status: 'success' })).toBe(3);
  });

  it('counts a signal event that entered the buffer while another request had its publish refused at the same time', async () => {
    const redis = await embeddedClient();
    const app = service(redis);
    // Every PUBLISH waits until the test settles it.
    const sends: Array<{ resolve: (receivers: number) => void; reject: (err: Error) => void }> = [];
    const publish = vi.spyOn(redis, 'publish').mockImplementation(() => new Promise<number>((resolve, reject) => void sends.push({ resolve, reject })));
    const requests = [generate(app, { symbols: ['AAPL', 'KO'], as_of_date: date }), generate(app, { symbols: ['MSFT', 'PEP'], as_of_date: date })];
    await waitFor(() => sends.length === 2, { description: 'both signal events sent' });
    // One is refused by Redis (final: dropped, never buffered), then the other fails at the connection and waits in the buffer.
    sends[1]?.reject(new RedisCommandError("NOPERM this user has no permissions to access the 'signals.generated' channel"));
    await new Promise((resolve) => setImmediate(resolve));
    sends[0]?.reject(new RedisConnectionError('connection lost'));
    expect(await Promise.all(requests)).toEqual([200, 200]);
    const scrape = await scrapeApp(app);
    expect(sampleValue(scrape, 'trading_platform_publish_total', { channel: 'signals.generated', outcome: 'rejected' })).toBe(1);
    expect(sampleValue(scrape, 'signal_service_signals_buffered_total')).toBe(1);
    expect(sampleValue(scrape, 'signal_service_redis_fallback_buffer_size')).toBe(1);
    // Redis is back: the replay publishes the buffered event, which stays counted once.
    publish.mockRestore();
    for (const send of sends.slice(2)) send.resolve(0);
    await waitFor(async () => sampleValue(await scrapeApp(app), 'signal_service_signals_replayed_total') === 1, { description: 'the buffered event replayed' });
    expect(sampleValue(await scrapeApp(app), 'signal_service_signals_buffered_total')).toBe(1);
  });

  it('counts only its own buffered events: a second service in the process buffering at the same time is not counted', async () => {
    const own = service(await unreachableClient());
    const other = service(await unreachableClient());
    expect(await Promise.all([generate(own, { symbols: ['AAPL', 'KO'], as_of_date: date }), generate(other, { symbols: ['AAPL', 'KO'], as_of_date: date }), generate(other, { symbols: ['MSFT', 'PEP'], as_of_date: date })])).toEqual([200, 200, 200]);
    expect(sampleValue(await scrapeApp(own), 'signal_service_signals_buffered_total')).toBe(1);
    expect(sampleValue(await scrapeApp(other), 'signal_service_signals_buffered_total')).toBe(2);
  });

  it("serves the SDK's metrics from the same registry: cache reads per key, writes, publishes, connection status", async () => {
    const app = service(await embeddedClient());
    const before = await scrapeApp(app);
    expect(sampleValue(before, 'trading_platform_client_connection_status', { component: 'client' })).toBe(1);
    expect(await generate(app, { symbols: ['AAPL', 'MSFT', 'KO'], as_of_date: date })).toBe(200);
    expect(await generate(app, { symbols: ['AAPL', 'MSFT', 'KO'], as_of_date: date })).toBe(200);
    const scrape = await scrapeApp(app);
    expect(sampleValue(scrape, 'trading_platform_cache_requests_total', { tier: 'redis', outcome: 'miss' })).toBe(3);
    expect(sampleValue(scrape, 'trading_platform_cache_requests_total', { tier: 'redis', outcome: 'hit' })).toBe(3);
    expect(sampleValue(scrape, 'trading_platform_cache_writes_total', { outcome: 'written' })).toBe(3);
    expect(sampleValue(scrape, 'trading_platform_cache_compute_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(scrape, 'trading_platform_publish_total', { channel: 'signals.generated', outcome: 'published' })).toBe(2);
  });

  it('keeps each app its own registry: two services in one process count apart', async () => {
    const one = service(null);
    const two = service(null);
    expect(await generate(one, { symbols: ['AAPL', 'MSFT'], as_of_date: date })).toBe(200);
    expect(sampleValue(await scrapeApp(one), 'signal_service_requests_total', { status: 'success' })).toBe(1);
    expect(sampleValue(await scrapeApp(two), 'signal_service_requests_total', { status: 'success' })).toBe(0);
  });
});
