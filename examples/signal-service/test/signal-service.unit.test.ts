import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, ConfigError, EventSubscriber, SignalEvent } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import type { FastifyInstance } from 'fastify';
import { embeddedClient, loadShared, tradingDay, unreachableClient } from '../../lib/test/fixtures.js';
import { waitFor } from '../../../test/harness/index.js';
import { loadModel, ModelError } from '../../shared/index.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { buildSignalService } from '../src/app.js';
import type { SignalHealth, SignalResponse } from '../src/app.js';
import { loadSignalServiceConfig } from '../src/config.js';

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'JPM', 'XOM'];
let marketData: MarketData;
let model: LinearModel;
let date: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ({ marketData, model } = await loadShared());
  date = tradingDay(marketData, 3);
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

type Deps = Parameters<typeof buildSignalService>[0];

function service(redis: Deps['redis'], withModel: Deps['model'] = model): FastifyInstance {
  const app = buildSignalService({ marketData, model: withModel, redis, topN: 2, bottomN: 2 });
  apps.push(app);
  return app;
}

async function generate(app: FastifyInstance, payload: unknown): Promise<{ status: number; body: SignalResponse & { message?: string } }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/signals/generate', payload: payload as Record<string, unknown> });
  return { status: res.statusCode, body: res.json() };
}

describe('POST /api/v1/signals/generate', () => {
  it('returns ranked signals with long/short target weights and metadata', async () => {
    const { status, body } = await generate(service(await embeddedClient()), { symbols: SYMBOLS, as_of_date: date });
    expect(status).toBe(200);
    expect(body.signals.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(body.signals.map((s) => s.target_weight)).toEqual([0.5, 0.5, 0, 0, 0, 0, -0.5, -0.5]);
    const returns = body.signals.map((s) => s.predicted_return);
    expect([...returns].sort((a, b) => b - a)).toEqual(returns);
    expect(new Set(body.signals.map((s) => s.symbol))).toEqual(new Set(SYMBOLS));
    expect(body.metadata).toMatchObject({ as_of_date: date, model_version: model.version, strategy: model.strategy, num_signals: 8 });
    expect(body.metadata.cache).toEqual({ hits: 0, misses: 8, joined: 0 });
    expect(Number.isNaN(Date.parse(body.metadata.generated_at))).toBe(false);
  });

  it('serves the same request a second time entirely from the cache, with identical signals', async () => {
    const app = service(await embeddedClient());
    const first = await generate(app, { symbols: SYMBOLS, as_of_date: date });
    const second = await generate(app, { symbols: SYMBOLS, as_of_date: date });
    expect(first.body.metadata.cache).toEqual({ hits: 0, misses: 8, joined: 0 });
    expect(second.body.metadata.cache).toEqual({ hits: 8, misses: 0, joined: 0 });
    expect(second.body.signals).toEqual(first.body.signals);
  });

  it('gives the same signals from cached features as from freshly computed ones (no cache)', async () => {
    const cached = service(await embeddedClient());
    await generate(cached, { symbols: SYMBOLS, as_of_date: date });
    const fromCache = await generate(cached, { symbols: SYMBOLS, as_of_date: date });
    const fresh = await generate(service(null), { symbols: SYMBOLS, as_of_date: date });
    expect(fromCache.body.metadata.cache.misses).toBe(0);
    expect(fresh.body.metadata.cache).toEqual({ hits: 0, misses: 8, joined: 0 });
    expect(fromCache.body.signals).toEqual(fresh.body.signals);
  });

  it('mixes hits and misses when only some symbols are cached', async () => {
    const app = service(await embeddedClient());
    await generate(app, { symbols: ['AAPL', 'MSFT'], as_of_date: date });
    const { body } = await generate(app, { symbols: ['AAPL', 'MSFT', 'KO', 'PEP'], as_of_date: date });
    expect(body.metadata.cache).toEqual({ hits: 2, misses: 2, joined: 0 });
  });

  it('publishes a SignalEvent on signals.generated after each generation', async () => {
    const server = createEmbeddedServer();
    const listener = await embeddedClient(server);
    const subscriber = new EventSubscriber(listener);
    const received: SignalEvent[] = [];
    await subscriber.on(CHANNELS.SIGNALS, (event) => void received.push(event));
    try {
      await generate(service(await embeddedClient(server)), { symbols: ['AAPL', 'KO'], as_of_date: date, top_n: 1, bottom_n: 1 });
      await waitFor(() => received.length === 1, { description: 'one signals.generated event' });
      expect(received[0]).toBeInstanceOf(SignalEvent);
      expect(received[0]).toMatchObject({ strategyId: model.strategy, symbols: ['AAPL', 'KO'], numSignals: 2, asOfDate: date });
    } finally {
      await subscriber.close();
      await listener.close();
    }
  });

  it('defaults as_of_date to the last trading day and shrinks default books to fit few symbols', async () => {
    const { status, body } = await generate(service(null), { symbols: ['AAPL', 'MSFT', 'KO'] });
    const days = marketData.tradingDays();
    expect(status).toBe(200);
    expect(body.metadata.as_of_date).toBe(days[days.length - 1]);
    expect(body.signals.map((s) => s.target_weight)).toEqual([1, 0, -1]);
  });

  it.each([
    [{ symbols: [] }, 'symbols must be a non-empty array'],
    [{}, 'symbols must be a non-empty array'],
    [{ symbols: ['AAPL', 'NOPE'] }, 'unknown symbol(s): NOPE'],
    [{ symbols: ['AAPL', 'AAPL'] }, 'symbols must not repeat: AAPL'],
    [{ symbols: ['AAPL'], as_of_date: '2024-02-30' }, 'as_of_date must be a date YYYY-MM-DD: "2024-02-30" is not a real calendar date (day 30 does not exist in 2024-02)'],
    [{ symbols: ['AAPL'], as_of_date: '0000-01-01' }, 'as_of_date must be a date YYYY-MM-DD: "0000-01-01" is not a real calendar date (year must be 0001 or later)'],
    [{ symbols: ['AAPL'], as_of_date: 'yesterday' }, 'as_of_date must be a date YYYY-MM-DD: "yesterday" is not an ISO date (YYYY-MM-DD)'],
    [{ symbols: ['AAPL'], as_of_date: 20240102 }, 'as_of_date must be a date YYYY-MM-DD, got 20240102'],
    [{ symbols: ['AAPL'], as_of_date: '2024-01-06' }, 'as_of_date 2024-01-06 is not a trading day for AAPL'],
    [{ symbols: ['AAPL', 'MSFT'], top_n: -1 }, 'top_n must be a non-negative integer, got -1'],
    [{ symbols: ['AAPL', 'MSFT'], bottom_n: 1.5 }, 'bottom_n must be a non-negative integer, got 1.5'],
    [{ symbols: ['AAPL', 'MSFT'], top_n: 2, bottom_n: 1 }, 'top_n (2) + bottom_n (1) must not exceed the 2 symbols'],
  ])('answers 400 to %j', async (payload, message) => {
    const { status, body } = await generate(service(null), payload);
    expect(status).toBe(400);
    expect(body.message).toContain(message);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await service(null).inject({
      method: 'POST',
      url: '/api/v1/signals/generate',
      headers: { 'content-type': 'application/json' },
      payload: '{"symbols":',
    });
    expect(res.statusCode).toBe(400);
  });

  it('keeps serving, without the cache, while Redis is unreachable', async () => {
    const { status, body } = await generate(service(await unreachableClient()), { symbols: SYMBOLS, as_of_date: date });
    expect(status).toBe(200);
    expect(body.metadata.cache).toEqual({ hits: 0, misses: 8, joined: 0 });
  });
});

describe('GET /health', () => {
  async function health(app: FastifyInstance, statusCode = 200): Promise<SignalHealth> {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(statusCode);
    return res.json();
  }

  it('reports Redis disabled as healthy, without a feature cache', async () => {
    expect(await health(service(null))).toMatchObject({
      status: 'healthy',
      service: 'signal-service',
      model_loaded: true,
      model_info: { strategy: model.strategy, version: model.version, num_features: model.weights.size },
      model_error: null,
      redis_enabled: false,
      redis_connected: false,
      redis_status: 'disabled',
      feature_cache_enabled: false,
    });
  });

  it('reports a connected Redis as healthy, with the feature cache', async () => {
    const body = await health(service(await embeddedClient()));
    expect(body).toMatchObject({ status: 'healthy', redis_enabled: true, redis_connected: true, redis_status: 'connected', feature_cache_enabled: true });
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
  });

  it('reports an unreachable Redis as degraded', async () => {
    expect(await health(service(await unreachableClient()))).toMatchObject({
      status: 'degraded',
      redis_enabled: true,
      redis_connected: false,
      redis_status: 'disconnected',
      feature_cache_enabled: false,
    });
  });

  it('reports a model that did not load as unhealthy with a 503 and the reason, and answers generation with 503', async () => {
    const error = await loadModel('/nonexistent/model.json').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ModelError);
    const app = service(await embeddedClient(), error as ModelError);
    expect(await health(app, 503)).toMatchObject({
      status: 'unhealthy',
      model_loaded: false,
      model_info: null,
      model_error: (error as ModelError).message,
      redis_status: 'connected',
      feature_cache_enabled: true,
    });
    const { status, body } = await generate(app, { symbols: SYMBOLS, as_of_date: date });
    expect(status).toBe(503);
    expect(body.message).toBe(`no model loaded: ${(error as ModelError).message}`);
  });

  it('reports a missing model as unhealthy even while Redis is down too', async () => {
    const body = await health(service(await unreachableClient(), new ModelError('m.json', ['not valid JSON'])), 503);
    expect(body).toMatchObject({ status: 'unhealthy', model_loaded: false, model_error: 'm.json: invalid model: not valid JSON', redis_status: 'disconnected' });
  });

  it('closes the Redis client when the service closes', async () => {
    const client = await embeddedClient();
    const app = buildSignalService({ marketData, model, redis: client });
    await app.close();
    expect(client.status).toBe('closed');
  });
});

describe('loadSignalServiceConfig', () => {
  it('applies the defaults', () => {
    expect(loadSignalServiceConfig({})).toMatchObject({ port: 8000, topN: 5, bottomN: 5, cacheTtlSeconds: 3600 });
  });

  it.each([
    ['PORT', 'http'],
    ['TOP_N', '-1'],
    ['BOTTOM_N', 'x'],
    ['REDIS_TTL', '1.5'],
  ])('names %s when its value %j is invalid', (name, value) => {
    expect(() => loadSignalServiceConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadSignalServiceConfig({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });
});
