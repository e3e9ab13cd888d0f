import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, ConfigError } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import { Registry } from 'prom-client';
import { buildExecutionGateway } from '../../execution-gateway/src/app.js';
import { createServiceRegistry } from '../../lib/metrics.js';
import { embeddedClient, loadShared, tradingDay, unreachableClient } from '../../lib/test/fixtures.js';
import { sampleValue, scrapeApp } from '../../lib/test/prometheus-text.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { buildSignalService } from '../../signal-service/src/app.js';
import { loadOrchestratorConfig } from '../src/config.js';
import { registerOrchestratorMetrics } from '../src/metrics.js';
import { Orchestrator } from '../src/orchestrator.js';
import { buildOrchestratorServer } from '../src/server.js';
import type { OrchestratorHealth } from '../src/server.js';

let marketData: MarketData;
let model: LinearModel;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  ({ marketData, model } = await loadShared());
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('the orchestrator server', () => {
  it('serves events handled per channel and the days run on /metrics, equal to what the orchestrator counted', async () => {
    const server = createEmbeddedServer();
    const signal = buildSignalService({ marketData, model, redis: await embeddedClient(server), topN: 1, bottomN: 1 });
    const gateway = buildExecutionGateway({ marketData, redis: await embeddedClient(server) });
    cleanup.push(() => signal.close(), () => gateway.close());
    const [signalServiceUrl, gatewayUrl] = await Promise.all([signal, gateway].map((app) => app.listen({ port: 0, host: '127.0.0.1' })));
    const client = await embeddedClient(server);
    const orchestrator = await Orchestrator.start({
      redis: client,
      signalServiceUrl: signalServiceUrl as string,
      gatewayUrl: gatewayUrl as string,
      marketData,
      capital: 100_000,
    });
    cleanup.push(() => client.close(), () => orchestrator.stop());
    const { registry, close } = createServiceRegistry();
    registerOrchestratorMetrics(registry, orchestrator);
    const app = buildOrchestratorServer({ registry, redis: client });
    cleanup.push(async () => close(), () => app.close());

    const empty = await scrapeApp(app);
    expect(sampleValue(empty, 'orchestrator_days_total')).toBe(0);
    expect(sampleValue(empty, 'orchestrator_events_total', { channel: CHANNELS.POSITIONS, source: 'pubsub' })).toBe(0);
    // No consumer group on the embedded Redis: no `stream` series.
    expect(empty.samples.filter((s) => s.labels.source === 'stream')).toEqual([]);

    const report = await orchestrator.runDay(['AAPL', 'MSFT', 'KO', 'PEP'], tradingDay(marketData, 0));
    const scrape = await scrapeApp(app);
    const counts = orchestrator.eventCounts();
    expect(sampleValue(scrape, 'orchestrator_days_total')).toBe(1);
    expect(sampleValue(scrape, 'orchestrator_events_total', { channel: CHANNELS.SIGNALS, source: 'pubsub' })).toBe(counts[CHANNELS.SIGNALS]);
    expect(sampleValue(scrape, 'orchestrator_events_total', { channel: CHANNELS.ORDERS, source: 'pubsub' })).toBe(1);
    expect(sampleValue(scrape, 'orchestrator_events_total', { channel: CHANNELS.POSITIONS, source: 'pubsub' })).toBe(report.orders.fills.length);
    expect(report.orders.fills.length).toBeGreaterThan(0);
    // The SDK's subscriber metrics in the same registry: every position event was received.
    expect(sampleValue(scrape, 'trading_platform_subscriber_messages_total', { channel: CHANNELS.POSITIONS, outcome: 'received' })).toBe(report.orders.fills.length);
  });

  it('answers /health healthy with a connected Redis and degraded without', async () => {
    const health = async (redis: Parameters<typeof buildOrchestratorServer>[0]['redis']): Promise<OrchestratorHealth> => {
      const app = buildOrchestratorServer({ registry: new Registry(), redis });
      cleanup.push(() => app.close(), () => redis.close());
      return (await app.inject({ method: 'GET', url: '/health' })).json();
    };
    expect(await health(await embeddedClient())).toMatchObject({ status: 'healthy', service: 'orchestrator', redis_connected: true, redis_status: 'connected' });
    expect(await health(await unreachableClient())).toMatchObject({ status: 'degraded', redis_connected: false, redis_status: 'disconnected' });
  });
});

describe('loadOrchestratorConfig', () => {
  it('applies the defaults: metrics on 8002, no pause between days, exit after the run', () => {
    expect(loadOrchestratorConfig({})).toMatchObject({ metricsPort: 8002, host: '127.0.0.1', dayIntervalMs: 0, stayUp: false, days: 10, consumerGroup: 'orchestrator' });
    expect(loadOrchestratorConfig({ METRICS_PORT: '0', STAY_UP: 'yes', DAY_INTERVAL_MS: '250' })).toMatchObject({ metricsPort: 0, stayUp: true, dayIntervalMs: 250 });
  });

  it.each([
    ['METRICS_PORT', '70000'],
    ['DAY_INTERVAL_MS', '-1'],
    ['STAY_UP', 'maybe'],
    ['DAYS', '0'],
    ['GATEWAY_URL', 'gateway:8001'],
  ])('names %s when its value %j is invalid', (name, value) => {
    expect(() => loadOrchestratorConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadOrchestratorConfig({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });
});
