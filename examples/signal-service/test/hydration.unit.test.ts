import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FeatureCache } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import type { FastifyInstance } from 'fastify';
import { embeddedClient, loadShared, unreachableClient } from '../../lib/test/fixtures.js';
import { waitFor } from '../../../test/harness/index.js';
import { ModelError } from '../../shared/index.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { buildSignalService } from '../src/app.js';
import type { SignalHealth, SignalResponse } from '../src/app.js';
import { loadSignalServiceConfig } from '../src/config.js';
import { FeatureHydration, HYDRATION_DEFAULTS } from '../src/hydration.js';
import { SignalGenerator } from '../src/signal-generator.js';

let marketData: MarketData;
let model: LinearModel;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ({ marketData, model } = await loadShared());
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

type Deps = Parameters<typeof buildSignalService>[0];

function service(deps: Partial<Deps> & Pick<Deps, 'redis'>): FastifyInstance {
  const app = buildSignalService({ marketData, model, topN: 2, bottomN: 2, ...deps });
  apps.push(app);
  return app;
}

async function health(app: FastifyInstance): Promise<SignalHealth> {
  return (await app.inject({ method: 'GET', url: '/health' })).json();
}

/** The last `n` trading days of the data, newest first (what the hydration warms). */
function lastDays(n: number): string[] {
  return marketData.tradingDays().slice(-n).reverse();
}

describe('start-up feature hydration', () => {
  it('warms every symbol over the last trading days in the background and reports it on /health', async () => {
    const server = createEmbeddedServer();
    const app = service({ redis: await embeddedClient(server), featureHydration: { enabled: true, days: 3 } });
    const symbols = marketData.symbols();
    const done = await waitFor(async () => {
      const body = await health(app);
      return body.feature_hydration.status === 'complete' ? body : undefined;
    });
    expect(done.status).toBe('healthy');
    expect(done.feature_hydration).toEqual({
      enabled: true,
      status: 'complete',
      result: { dates_attempted: 3, dates_succeeded: 3, dates_failed: 0, cached_count: 3 * symbols.length, skipped_count: 0 },
      error: null,
    });
    // Every vector is in Redis, and a request for a warmed date is served from the cache alone.
    const reader = new FeatureCache(await embeddedClient(server));
    for (const date of lastDays(3)) {
      const got = await reader.getMany(symbols, date);
      expect([...got.values()].every((v) => v !== null)).toBe(true);
    }
    const res = await app.inject({ method: 'POST', url: '/api/v1/signals/generate', payload: { symbols: symbols.slice(0, 6), as_of_date: lastDays(3)[2] } });
    expect((res.json() as SignalResponse).metadata.cache).toEqual({ hits: 6, misses: 0, joined: 0 });
  });

  it('computes only what is not cached yet (skipped_count counts the rest, as upstream)', async () => {
    const server = createEmbeddedServer();
    const date = lastDays(1)[0] as string;
    const first = service({ redis: await embeddedClient(server) });
    const res = await first.inject({ method: 'POST', url: '/api/v1/signals/generate', payload: { symbols: ['AAPL', 'MSFT', 'KO', 'PEP'], as_of_date: date } });
    expect((res.json() as SignalResponse).metadata.cache.misses).toBe(4);
    const app = service({ redis: await embeddedClient(server), featureHydration: { enabled: true, days: 2 } });
    const body = await waitFor(async () => {
      const h = await health(app);
      return h.feature_hydration.status === 'complete' ? h : undefined;
    });
    const n = marketData.symbols().length;
    expect(body.feature_hydration.result).toEqual({ dates_attempted: 2, dates_succeeded: 2, dates_failed: 0, cached_count: 2 * n - 4, skipped_count: 4 });
  });

  it('serves at once while waiting for an unreachable Redis, degraded, and fails at its timeout, staying degraded (as upstream)', async () => {
    const app = service({ redis: await unreachableClient(), featureHydration: { enabled: true, days: 2, timeoutSeconds: 1 } });
    const running = await health(app);
    expect(running.status).toBe('degraded');
    expect(running.feature_hydration).toEqual({ enabled: true, status: 'running', result: null, error: null });
    const res = await app.inject({ method: 'POST', url: '/api/v1/signals/generate', payload: { symbols: ['AAPL', 'MSFT'], as_of_date: lastDays(1)[0] } });
    expect(res.statusCode).toBe(200);
    const failed = await waitFor(async () => {
      const h = await health(app);
      return h.feature_hydration.status === 'failed' ? h : undefined;
    });
    expect(failed.status).toBe('degraded');
    expect(failed.feature_hydration.error).toBe('timed out after 1 s (Redis did not become ready)');
  });

  it('is disabled by default in code, without Redis, and without a model; /health stays healthy', async () => {
    const off = { enabled: false, status: 'disabled', result: null, error: null };
    expect((await health(service({ redis: await embeddedClient() }))).feature_hydration).toEqual(off);
    const noRedis = await health(service({ redis: null, featureHydration: { enabled: true } }));
    expect(noRedis.status).toBe('healthy');
    expect(noRedis.feature_hydration).toEqual(off);
    const noModel = service({ redis: await embeddedClient(), model: new ModelError('m.json', ['not valid JSON']), featureHydration: { enabled: true } });
    expect((await health(noModel)).feature_hydration).toEqual(off);
  });

  it('closing the service stops a hydration still waiting for Redis', async () => {
    const app = buildSignalService({ marketData, model, redis: await unreachableClient(), featureHydration: { enabled: true, timeoutSeconds: 600 } });
    expect((await health(app)).feature_hydration.status).toBe('running');
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stop() ends it as failed with the reason, logged at info, not as an error', async () => {
    const redis = await unreachableClient();
    const cache = new FeatureCache(redis);
    const levels: string[] = [];
    const at = (level: string) => (): void => void levels.push(level);
    const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const hydration = new FeatureHydration({ cache, redis, generator: new SignalGenerator(marketData, model, cache), marketData, log }, { enabled: true });
    hydration.start();
    expect(hydration.degraded).toBe(true);
    await hydration.stop();
    expect(hydration.health()).toEqual({ enabled: true, status: 'failed', result: null, error: 'stopped: the service is closing' });
    expect(levels).not.toContain('error');
    await redis.close();
  });
});

describe('hydration configuration from the environment (upstream names and defaults)', () => {
  it('defaults to enabled, 300 s, 60 days', () => {
    expect(loadSignalServiceConfig({}).featureHydration).toEqual({ enabled: true, timeoutSeconds: 300, days: 60 });
    expect(HYDRATION_DEFAULTS).toMatchObject({ timeoutSeconds: 300, days: 60 });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
  ])('reads FEATURE_HYDRATION_ENABLED=%s as pydantic does', (value, enabled) => {
    expect(loadSignalServiceConfig({ FEATURE_HYDRATION_ENABLED: value }).featureHydration.enabled).toBe(enabled);
  });

  it('reads FEATURE_HYDRATION_TIMEOUT_SECONDS and FEATURE_HYDRATION_DAYS', () => {
    expect(loadSignalServiceConfig({ FEATURE_HYDRATION_TIMEOUT_SECONDS: '30', FEATURE_HYDRATION_DAYS: '5' }).featureHydration).toEqual({
      enabled: true,
      timeoutSeconds: 30,
      days: 5,
    });
  });

  it.each([
    ['FEATURE_HYDRATION_ENABLED', 'maybe'],
    ['FEATURE_HYDRATION_TIMEOUT_SECONDS', '0'],
    ['FEATURE_HYDRATION_TIMEOUT_SECONDS', '1.5'],
    ['FEATURE_HYDRATION_DAYS', '0'],
  ])('names %s when its value %j is invalid', (name, value) => {
    expect(() => loadSignalServiceConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadSignalServiceConfig({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });
});
