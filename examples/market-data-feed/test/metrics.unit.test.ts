import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '@trading-platform/redis-client';
import { embeddedClient, loadShared, tradingDay, unreachableClient } from '../../lib/test/fixtures.js';
import { createServiceRegistry } from '../../lib/metrics.js';
import { sampleValue, scrapeApp } from '../../lib/test/prometheus-text.js';
import { feedServerFromEnv } from '../src/config.js';
import { startFeed } from '../src/feed.js';
import type { Feed, FeedClock } from '../src/feed.js';
import { registerFeedMetrics } from '../src/metrics.js';
import { buildFeedServer } from '../src/server.js';
import type { FeedHealth } from '../src/server.js';

/** A virtual clock whose every sleep lasts `sleepMs`, whatever was asked. */
function lateClock(sleepMs: number): FeedClock {
  let now = Date.now();
  return { now: () => now, sleep: async () => void (now += sleepMs) };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * The feed's server as main.ts builds it: its own registry, with the SDK's metrics registered
 * before the feed starts (its first batch goes out at once), and the feed's metrics.
 */
function serve(redis: RedisClient, start: () => Feed): { feed: Feed; app: FastifyInstance } {
  const { registry, close } = createServiceRegistry();
  const feed = start();
  registerFeedMetrics(registry, () => feed.stats());
  const app = buildFeedServer({ registry, redis, stats: () => feed.stats() });
  cleanups.push(async () => {
    await feed.stop();
    await app.close();
    close();
  });
  return { feed, app };
}

describe("the feed's /metrics and /health", () => {
  it('serves the counters of stats() with the SDK metrics: quotes, Redis operations, skipped steps, ticks, tick lag, days', async () => {
    const { marketData } = await loadShared();
    const redis = await embeddedClient();
    cleanups.push(() => redis.close());
    // Ticks every 50 ms, but every sleep lasts 1 s: each tick starts 950 ms after its boundary, five steps apart.
    const { feed, app } = serve(redis, () =>
      startFeed({ redis, marketData, symbols: ['AAPL', 'MSFT'], days: [tradingDay(marketData)], ratePerSymbol: 5, dayMs: 10_000, clock: lateClock(1000) }),
    );
    await feed.done;
    const stats = feed.stats();
    expect(stats).toMatchObject({ written: stats.quotes, published: stats.quotes, failed: 0, lastTickLagMs: 950, daysClosed: 1 });
    expect(stats.quotes + stats.skipped).toBe(100);
    expect(stats.ticks).toBeGreaterThanOrEqual(stats.batches);

    const scrape = await scrapeApp(app);
    expect(scrape.types.get('market_data_feed_quotes_total')).toBe('counter');
    expect(scrape.types.get('market_data_feed_last_tick_lag_seconds')).toBe('gauge');
    expect(sampleValue(scrape, 'market_data_feed_quotes_total')).toBe(stats.quotes);
    expect(sampleValue(scrape, 'market_data_feed_quote_operations_total', { operation: 'set', outcome: 'ok' })).toBe(stats.quotes);
    expect(sampleValue(scrape, 'market_data_feed_quote_operations_total', { operation: 'publish', outcome: 'ok' })).toBe(stats.quotes);
    expect(sampleValue(scrape, 'market_data_feed_quote_operations_total', { operation: 'set', outcome: 'failed' })).toBe(0);
    expect(sampleValue(scrape, 'market_data_feed_steps_skipped_total')).toBe(stats.skipped);
    expect(sampleValue(scrape, 'market_data_feed_ticks_total')).toBe(stats.ticks);
    expect(sampleValue(scrape, 'market_data_feed_last_tick_lag_seconds')).toBe(0.95);
    expect(sampleValue(scrape, 'market_data_feed_days_closed_total')).toBe(1);
    // The SDK's own metrics of the same quotes, from the same registry.
    expect(sampleValue(scrape, 'trading_platform_publish_total', { channel: 'price.updated.*', outcome: 'published' })).toBe(stats.quotes);
    expect(sampleValue(scrape, 'trading_platform_price_cache_writes_total', { outcome: 'written' })).toBe(stats.quotes);

    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json<FeedHealth>()).toMatchObject({ status: 'healthy', service: 'market-data-feed', redis_connected: true, date: null, quotes: stats.quotes });
  });

  it('counts failed SETs and PUBLISHes apart while Redis is unreachable, and says degraded', async () => {
    const { marketData } = await loadShared();
    const redis = await unreachableClient();
    cleanups.push(() => redis.close());
    const { feed, app } = serve(redis, () => startFeed({ redis, marketData, symbols: ['AAPL'], days: [tradingDay(marketData)], ratePerSymbol: 5, dayMs: 800, clock: lateClock(50) }));
    await feed.done;
    const scrape = await scrapeApp(app);
    expect(sampleValue(scrape, 'market_data_feed_quotes_total')).toBe(4);
    for (const operation of ['set', 'publish']) {
      expect(sampleValue(scrape, 'market_data_feed_quote_operations_total', { operation, outcome: 'failed' })).toBe(4);
      expect(sampleValue(scrape, 'market_data_feed_quote_operations_total', { operation, outcome: 'ok' })).toBe(0);
    }
    expect((await app.inject({ method: 'GET', url: '/health' })).json<FeedHealth>()).toMatchObject({ status: 'degraded', redis_connected: false, redis_status: 'disconnected' });
  });

  it('reads METRICS_PORT and HOST, 0 for a free port, and names a bad value', () => {
    expect(feedServerFromEnv({})).toEqual({ metricsPort: 8003, host: '127.0.0.1' });
    expect(feedServerFromEnv({ METRICS_PORT: '0', HOST: '0.0.0.0' })).toEqual({ metricsPort: 0, host: '0.0.0.0' });
    expect(() => feedServerFromEnv({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT must be an integer from 0 to 65535/);
  });
});
