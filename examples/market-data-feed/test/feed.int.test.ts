import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { PriceCache, PriceUpdateEvent, RedisClient } from '@trading-platform/redis-client';
import { useRedisServer, waitFor } from '../../../test/harness/index.js';
import { loadShared, tradingDay } from '../../lib/test/fixtures.js';
import { parsePrometheusText, sampleValue } from '../../lib/test/prometheus-text.js';
import { buildExamples, startService } from '../../observability/test/services.js';
import { startFeed } from '../src/feed.js';
import type { FeedHealth } from '../src/server.js';

const redis = useRedisServer();
const SYMBOLS = ['AAPL', 'MSFT', 'XOM'];

/** The key order of upstream `PriceUpdateEvent.model_dump_json()`; the SDK adds `event_id`, which Python ignores. */
const EVENT_KEYS = ['event_type', 'symbol', 'price', 'timestamp', 'bid', 'ask', 'bid_price', 'ask_price', 'bid_size', 'ask_size', 'exchange', 'volume', 'event_id'];
/** The key order of upstream `PriceData.model_dump_json()`. */
const PRICE_KEYS = ['symbol', 'bid', 'ask', 'mid', 'bid_size', 'ask_size', 'timestamp', 'exchange'];
const DECIMAL = /^\d+\.\d\d$/;

describe('market-data feed on a real Redis', () => {
  let raw: ReturnType<typeof createClient>;
  let client: RedisClient;
  const messages: Array<{ channel: string; text: string }> = [];

  beforeAll(async () => {
    raw = createClient({ url: redis.url });
    await raw.connect();
    client = await RedisClient.connect({ url: redis.url });
  });
  afterAll(async () => {
    await raw.quit();
    await client.close();
  });

  it('publishes price.updated.{symbol} and writes price:{symbol} in the Python shapes, read by a plain node-redis client', async () => {
    const { marketData } = await loadShared();
    const date = tradingDay(marketData, 4);
    const subscriber = raw.duplicate();
    await subscriber.connect();
    await subscriber.pSubscribe('price.updated.*', (text, channel) => void messages.push({ channel, text }));
    const feed = startFeed({ redis: client, marketData, symbols: SYMBOLS, days: [date], ratePerSymbol: 40, dayMs: 500 });
    await feed.done;
    const { quotes, failed } = feed.stats();
    expect(failed).toBe(0);
    expect(quotes).toBeGreaterThan(SYMBOLS.length);
    await waitFor(() => messages.length === quotes, { description: `${quotes} messages` });
    await subscriber.quit();

    for (const { channel, text } of messages) {
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(EVENT_KEYS);
      expect(channel).toBe(`price.updated.${String(body.symbol)}`);
      expect(body.event_type).toBe('price.updated');
      for (const field of ['price', 'bid', 'ask', 'bid_price', 'ask_price']) expect(body[field]).toMatch(DECIMAL);
      expect(Number(body.bid)).toBeLessThan(Number(body.price));
      expect(Number(body.ask)).toBeGreaterThan(Number(body.price));
      expect(Number.isInteger(body.bid_size) && Number.isInteger(body.ask_size)).toBe(true);
      expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?(Z|\+00:00)$/);
      // The SDK reads back what it wrote as conforming.
      expect(PriceUpdateEvent.fromJSON(text, channel).nonconforming).toEqual([]);
    }
    const last = new Map(messages.map(({ text }) => [JSON.parse(text).symbol as string, JSON.parse(text) as Record<string, unknown>]));
    for (const symbol of SYMBOLS) {
      // Each symbol ends the day on its close, and price:{symbol} holds that last quote.
      const close = (marketData.closeOn(symbol, date) as number).toFixed(2);
      expect(last.get(symbol)?.price).toBe(close);
      const stored = await raw.get(`price:${symbol}`);
      const price = JSON.parse(stored ?? 'null') as Record<string, unknown>;
      expect(Object.keys(price)).toEqual(PRICE_KEYS);
      expect(price).toMatchObject({ symbol, mid: close, bid: last.get(symbol)?.bid, ask: last.get(symbol)?.ask, exchange: null });
      expect(await raw.ttl(`price:${symbol}`)).toBeGreaterThan(0);
      expect(await raw.ttl(`price:${symbol}`)).toBeLessThanOrEqual(300);
      expect((await new PriceCache(client, { maxAgeMs: 60_000 }).get(symbol))?.mid).toBe(close);
    }
  });

  it('runs as a process (npm run example:market-data-feed) serving /metrics and /health on METRICS_PORT, and exits 0 on SIGTERM', { timeout: 120_000 }, async () => {
    await buildExamples();
    const feed = await startService(
      'market-data-feed',
      'market-data-feed',
      { REDIS_URL: redis.url, METRICS_PORT: '0', SYMBOLS: 'AAPL,MSFT', FEED_DAY_SECONDS: '1', FEED_RATE_PER_SYMBOL: '10' },
      /market-data-feed: metrics listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    try {
      const scrape = async (): Promise<ReturnType<typeof parsePrometheusText>> => {
        const res = await fetch(`${feed.url}/metrics`);
        expect(res.status).toBe(200);
        return parsePrometheusText(await res.text());
      };
      const after = await waitFor(async () => {
        const s = await scrape();
        return (sampleValue(s, 'market_data_feed_days_closed_total') ?? 0) >= 1 ? s : undefined;
      }, { timeoutMs: 30_000, description: 'a trading day closed' });
      const quotes = sampleValue(after, 'market_data_feed_quotes_total') ?? 0;
      // A closed day is 10 steps of each of the 2 symbols, each sent or (on a late tick) skipped.
      expect(quotes + (sampleValue(after, 'market_data_feed_steps_skipped_total') ?? 0)).toBeGreaterThanOrEqual(2 * 10);
      expect(quotes).toBeGreaterThan(0);
      expect(sampleValue(after, 'market_data_feed_quote_operations_total', { operation: 'publish', outcome: 'failed' })).toBe(0);
      expect(sampleValue(after, 'market_data_feed_ticks_total')).toBeGreaterThan(0);
      expect(after.types.get('market_data_feed_last_tick_lag_seconds')).toBe('gauge');
      // The SDK's metrics of the feed's own client, from the same registry.
      expect(sampleValue(after, 'trading_platform_client_connection_status', { component: 'client' })).toBe(1);
      expect(sampleValue(after, 'trading_platform_publish_total', { channel: 'price.updated.*', outcome: 'published' })).toBeGreaterThanOrEqual(quotes);
      expect(await raw.get('price:AAPL')).not.toBeNull();
      const health = await fetch(`${feed.url}/health`);
      expect(health.status).toBe(200);
      expect((await health.json()) as FeedHealth).toMatchObject({ status: 'healthy', service: 'market-data-feed', redis_connected: true });
    } finally {
      expect(await feed.stop(), feed.output()).toBe('code 0');
    }
    expect(feed.output()).toContain('market-data-feed: SIGTERM received, stopping');
  });
});
