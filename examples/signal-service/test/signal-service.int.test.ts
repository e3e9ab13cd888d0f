import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EventSubscriber, RedisClient, silentLogger } from '@trading-platform/redis-client';
import type { SignalEvent } from '@trading-platform/redis-client';
import type { FastifyInstance } from 'fastify';
import { findFreePort, startFaultProxy, useRedisServer, waitFor } from '../../../test/harness/index.js';
import { loadShared, tradingDay } from '../../lib/test/fixtures.js';
import { sampleValue, scrapeApp } from '../../lib/test/prometheus-text.js';
import { connectFromEnv } from '../../lib/redis.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { buildSignalService } from '../src/app.js';
import type { SignalHealth, SignalResponse } from '../src/app.js';

const redis = useRedisServer();
const SYMBOLS = ['AAPL', 'MSFT', 'KO', 'PEP'];
let marketData: MarketData;
let model: LinearModel;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ({ marketData, model } = await loadShared());
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function serviceFromEnv(env: Record<string, string>, cachePrefix: string): Promise<FastifyInstance> {
  const client = await connectFromEnv(env, silentLogger);
  const app = buildSignalService({ marketData, model, redis: client, topN: 1, bottomN: 1, cachePrefix });
  apps.push(app);
  return app;
}

const health = async (app: FastifyInstance): Promise<SignalHealth> => (await app.inject({ method: 'GET', url: '/health' })).json();
const generate = async (app: FastifyInstance, date: string): Promise<SignalResponse> =>
  (await app.inject({ method: 'POST', url: '/api/v1/signals/generate', payload: { symbols: SYMBOLS, as_of_date: date } })).json();

describe('signal service on a real Redis', () => {
  it('is healthy when connected, caches features, degrades when Redis dies and recovers after a restart', async () => {
    const app = await serviceFromEnv({ REDIS_URL: redis.url }, `sig-${process.pid}`);
    expect(await health(app)).toMatchObject({ status: 'healthy', redis_status: 'connected', redis_connected: true, feature_cache_enabled: true });
    const date = tradingDay(marketData, 5);
    const first = await generate(app, date);
    const second = await generate(app, date);
    expect(first.metadata.cache).toEqual({ hits: 0, misses: 4, joined: 0 });
    expect(second.metadata.cache).toEqual({ hits: 4, misses: 0, joined: 0 });
    expect(second.signals).toEqual(first.signals);
    expect(await redis.server.cli('EXISTS', `sig-${process.pid}:AAPL:${date}`)).toBe('1');

    await redis.server.kill();
    await waitFor(async () => (await health(app)).redis_status === 'disconnected', { description: 'health to report Redis down' });
    expect(await health(app)).toMatchObject({ status: 'degraded', redis_connected: false, feature_cache_enabled: false });
    const whileDown = await generate(app, date);
    expect(whileDown.metadata.cache).toEqual({ hits: 0, misses: 4, joined: 0 });
    expect(whileDown.signals).toEqual(first.signals);

    await redis.server.restart();
    await waitFor(async () => (await health(app)).status === 'healthy', { timeoutMs: 20_000, description: 'health to recover after restart' });
  });

  it('a signal published while Redis is unreachable is buffered and delivered once it is back (REDIS_FALLBACK_* buffer)', { timeout: 30_000 }, async () => {
    const proxy = await startFaultProxy({ targetPort: redis.server.port });
    const listener = await RedisClient.connect({ url: redis.url });
    const subscriber = new EventSubscriber(listener);
    try {
      const received: SignalEvent[] = [];
      await subscriber.on(CHANNELS.SIGNALS, (event) => void received.push(event));
      const client = await connectFromEnv({ REDIS_URL: proxy.url }, silentLogger);
      const app = buildSignalService({ marketData, model, redis: client, topN: 1, bottomN: 1, cachePrefix: `sig-buf-${process.pid}`, env: { REDIS_FALLBACK_BUFFER_MAX_SIZE: '10' } });
      apps.push(app);
      await proxy.setMode('reset');
      await waitFor(async () => (await health(app)).redis_status === 'disconnected', { description: 'health to report Redis down' });
      const date = tradingDay(marketData, 3);
      expect((await generate(app, date)).signals.length).toBeGreaterThan(0);
      expect(received).toEqual([]);
      const during = await scrapeApp(app);
      expect(sampleValue(during, 'signal_service_redis_connection_status')).toBe(0);
      expect(sampleValue(during, 'signal_service_signals_buffered_total')).toBe(1);
      expect(sampleValue(during, 'signal_service_redis_fallback_buffer_size')).toBe(1);
      await proxy.setMode('pass');
      await waitFor(() => received.length === 1, { timeoutMs: 20_000, description: 'the buffered signal to be replayed' });
      expect(received[0]).toMatchObject({ asOfDate: date, symbols: SYMBOLS });
      const after = await scrapeApp(app);
      expect(sampleValue(after, 'signal_service_redis_connection_status')).toBe(1);
      expect(sampleValue(after, 'signal_service_signals_replayed_total')).toBe(1);
      expect(sampleValue(after, 'signal_service_redis_fallback_buffer_size')).toBe(0);
      expect(sampleValue(after, 'signal_service_signals_buffered_total')).toBe(1);
      expect(sampleValue(after, 'signal_service_signals_dropped_total')).toBe(0);
    } finally {
      await subscriber.close();
      await listener.close();
      await proxy.close();
    }
  });

  it('starts while Redis is down (reconnecting in the background) and serves without the cache', async () => {
    const port = await findFreePort();
    const app = await serviceFromEnv({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port) }, `sig-down-${process.pid}`);
    expect(await health(app)).toMatchObject({ status: 'degraded', redis_enabled: true, redis_status: 'disconnected' });
    const { metadata } = await generate(app, tradingDay(marketData, 2));
    expect(metadata.cache).toEqual({ hits: 0, misses: 4, joined: 0 });
  });

  it('stops start-up with a ConfigError naming a bad Redis variable', async () => {
    await expect(connectFromEnv({ REDIS_PORT: 'abc' }, silentLogger)).rejects.toThrow(/REDIS_PORT/);
    await expect(connectFromEnv({ REDIS_URL: 'http://x' }, silentLogger)).rejects.toThrow(/REDIS_URL/);
    await expect(connectFromEnv({ REDIS_ENABLED: 'false', REDIS_URL: redis.url }, silentLogger)).resolves.toBeNull();
  });
});
