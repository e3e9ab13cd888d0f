import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, useRedisServer, waitFor } from '../../../test/harness/index.js';
import type { FaultProxyHandle } from '../../../test/harness/index.js';
import { prometheusMissing, promtool, startPrometheus } from '../../../test/harness/prometheus.js';
import type { ActiveTarget, PrometheusHandle } from '../../../test/harness/prometheus.js';
import { getJson, postJson } from '../../lib/http.js';
import { parsePrometheusText, sampleValue } from '../../lib/test/prometheus-text.js';
import type { Scrape } from '../../lib/test/prometheus-text.js';
import { alertNames, dashboardQueries, loopbackConfig } from './queries.js';
import { buildExamples, startService } from './services.js';
import type { ServiceProcess } from './services.js';

const DIR = fileURLToPath(new URL('../', import.meta.url));
const read = (file: string): string => readFileSync(`${DIR}${file}`, 'utf8');
const DASHBOARD = 'grafana/dashboards/trading-platform-redis.json';

const missing = prometheusMissing();
if (missing !== undefined) console.warn(`skipping the real-Prometheus test of examples/observability: ${missing}`);

async function scrape(service: ServiceProcess, path = '/metrics'): Promise<Scrape> {
  const res = await fetch(`${service.url}${path}`);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

describe.skipIf(missing !== undefined)('examples/observability against a real Prometheus', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  const services: ServiceProcess[] = [];
  let prometheus: PrometheusHandle;

  /** Resolves once every target was scraped successfully twice after `since`. */
  async function twoScrapesAfter(since: number): Promise<ActiveTarget[]> {
    const seen = new Map<string, Set<string>>();
    return waitFor(
      async () => {
        const targets = await prometheus.targets();
        for (const t of targets) {
          if (t.health === 'up' && Date.parse(t.lastScrape) > since) seen.set(t.scrapeUrl, (seen.get(t.scrapeUrl) ?? new Set()).add(t.lastScrape));
        }
        return targets.length > 0 && targets.every((t) => t.health === 'up' && (seen.get(t.scrapeUrl)?.size ?? 0) >= 2) ? targets : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'two successful scrapes of every target' },
    );
  }

  beforeAll(async () => {
    await buildExamples();
    // The signal service reaches Redis through a proxy, so the workload can take Redis away from it.
    proxy = await startFaultProxy({ targetPort: redis.server.port });
    const [signal, gateway] = await Promise.all([
      startService(
        'signal-service',
        'signal-service',
        { REDIS_URL: proxy.url, PORT: '0', FEATURE_HYDRATION_DAYS: '2', REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS: '1' },
        /signal-service listening on (http:\/\/127\.0\.0\.1:\d+)/,
      ),
      startService('execution-gateway', 'execution-gateway', { REDIS_URL: redis.url, PORT: '0' }, /execution-gateway listening on (http:\/\/127\.0\.0\.1:\d+)/),
    ]);
    services.push(signal, gateway);
    // The feed quotes four symbols; the P&L service marks the gateway's positions with those quotes.
    const [feed, pnl] = await Promise.all([
      startService(
        'market-data-feed',
        'market-data-feed',
        { REDIS_URL: redis.url, METRICS_PORT: '0', SYMBOLS: 'AAPL,MSFT,KO,PEP', FEED_DAY_SECONDS: '5', FEED_RATE_PER_SYMBOL: '5' },
        /market-data-feed: metrics listening on (http:\/\/127\.0\.0\.1:\d+)/,
      ),
      startService('pnl-service', 'pnl-service', { REDIS_URL: redis.url, PORT: '0' }, /pnl-service listening on (http:\/\/127\.0\.0\.1:\d+)/),
    ]);
    services.push(feed, pnl);
    const orchestrator = await startService(
      'orchestrator',
      'orchestrator',
      { REDIS_URL: redis.url, SIGNAL_SERVICE_URL: signal.url, GATEWAY_URL: gateway.url, DAYS: '2', METRICS_PORT: '0', STAY_UP: 'true' },
      /orchestrator: metrics listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    services.push(orchestrator);
    const config = loopbackConfig(read('prometheus.yml'), {
      targets: Object.fromEntries(services.map((s) => [s.name, new URL(s.url).host])),
      rulesPath: `${DIR}alerts.yml`,
      dropJobs: ['redis'],
    });
    prometheus = await startPrometheus({ config });
    // Prometheus watches from before the workload, so what the workload changes shows as a change.
    await twoScrapesAfter(0);

    // The workload. Two paper-trading days: misses, then hits, publishes, fills, stream deliveries.
    await orchestrator.waitForOutput(/run complete \(STAY_UP\)/);
    // A message that is no OrderEvent: the orchestrator's subscriber counts it invalid.
    await redis.server.cli('PUBLISH', 'orders.executed', '{"not":"an order event"}');
    // An entry that cannot be decoded: the orchestrator's consumer group dead-letters it.
    await redis.server.cli('XADD', 'stream:orders.executed', '*', 'garbage', '1');
    await waitFor(async () => (await redis.server.cli('XLEN', 'stream:dlq:orders.executed')) === '1', { description: 'the entry to be dead-lettered' });
    // A Redis outage for the signal service: its signal event waits in the outage buffer, then is replayed.
    await proxy.setMode('reset');
    await waitFor(async () => (await getJson<{ redis_status: string }>(`${signal.url}/health`)).redis_status === 'disconnected', {
      description: 'the signal service to see Redis down',
    });
    await postJson(`${signal.url}/api/v1/signals/generate`, { symbols: ['AAPL', 'MSFT', 'KO', 'PEP'] });
    expect(sampleValue(await scrape(signal), 'signal_service_signals_buffered_total')).toBe(1);
    expect(sampleValue(await scrape(signal), 'signal_service_redis_fallback_buffer_size')).toBe(1);
    await proxy.setMode('pass');
    await waitFor(async () => sampleValue(await scrape(signal), 'signal_service_signals_replayed_total') === 1, {
      timeoutMs: 30_000,
      description: 'the buffered signal event to be replayed',
    });
    // Hits after the outage.
    await postJson(`${signal.url}/api/v1/signals/generate`, { symbols: ['AAPL', 'MSFT', 'KO', 'PEP'] });
    await twoScrapesAfter(Date.now());
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(services.map((s) => s.stop()));
    await proxy?.close();
  });

  it('promtool accepts the shipped prometheus.yml and alerts.yml, and the alert unit tests pass', async () => {
    for (const args of [
      ['check', 'config', 'prometheus.yml'],
      ['check', 'rules', 'alerts.yml'],
      ['test', 'rules', 'alerts.test.yml'],
    ]) {
      const result = await promtool(args, DIR);
      expect(result.output, `promtool ${args.join(' ')}`).toContain('SUCCESS');
      expect(result.code, `promtool ${args.join(' ')}:\n${result.output}`).toBe(0);
    }
  });

  it('scrapes the five services, every target up', async () => {
    const targets = await prometheus.targets();
    expect(targets.map((t) => t.labels.job).sort()).toEqual(['execution-gateway', 'market-data-feed', 'orchestrator', 'pnl-service', 'signal-service']);
    for (const t of targets) expect(t, `${t.scrapeUrl}: ${t.lastError}`).toMatchObject({ health: 'up', lastError: '' });
  });

  it('loads every alert rule of alerts.yml, evaluates each without error, and runs each expression', async () => {
    const answer = await prometheus.api<{ groups: Array<{ rules: Array<{ name: string; query: string; type: string; health: string; lastError?: string }> }> }>('rules');
    if (answer.status !== 'success') throw new Error(answer.error);
    const rules = answer.data.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual(alertNames(read('alerts.yml')).sort());
    await waitFor(async () => {
      const again = await prometheus.api<{ groups: Array<{ rules: Array<{ health: string }> }> }>('rules');
      return again.status === 'success' && again.data.groups.every((g) => g.rules.every((r) => r.health !== 'unknown'));
    }, { description: 'every rule evaluated once' });
    for (const rule of rules) {
      const result = await prometheus.query(rule.query);
      expect(result, `${rule.name}: ${rule.query}`).toMatchObject({ status: 'success' });
    }
    const evaluated = await prometheus.api<{ groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> }>('rules');
    if (evaluated.status !== 'success') throw new Error(evaluated.error);
    for (const rule of evaluated.data.groups.flatMap((g) => g.rules)) expect(rule, `${rule.name}: ${rule.lastError ?? ''}`).toMatchObject({ health: 'ok' });
  });

  it('answers every query of the Grafana dashboard with data after the workload', async () => {
    const queries = dashboardQueries(JSON.parse(read(DASHBOARD)) as object);
    expect(queries.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const q of queries) {
      const answer = await prometheus.query(q.expr);
      if (answer.status !== 'success') failures.push(`${q.panel} ${q.refId}: ${answer.errorType}: ${answer.error}\n  ${q.expr}`);
      else if (!Array.isArray(answer.data.result) || answer.data.result.length === 0) failures.push(`${q.panel} ${q.refId}: no data\n  ${q.expr}`);
    }
    expect(failures, `${failures.length} of ${queries.length} dashboard queries failed:\n${failures.join('\n')}`).toEqual([]);
  });

  it('sees quotes flowing from the feed and the P&L service marking with fresh prices', async () => {
    const quotes = await prometheus.query('sum(rate(market_data_feed_quotes_total[1m])) > 0');
    expect(quotes).toMatchObject({ status: 'success', data: { result: [expect.anything()] } });
    const fresh = await prometheus.query('pnl_service_price_age_seconds{job="pnl-service"} < 60');
    expect(fresh).toMatchObject({ status: 'success', data: { result: [expect.anything()] } });
    const failed = await prometheus.query('sum(market_data_feed_quote_operations_total{outcome="failed"})');
    expect(failed).toMatchObject({ status: 'success', data: { result: [{ value: [expect.any(Number), '0'] }] } });
  });

  it('fires DeadLetterQueueGrowing for the group that dead-lettered an entry, and nothing about Redis being down', async () => {
    const active = await waitFor(
      async () => {
        const answer = await prometheus.api<{ alerts: Array<{ labels: Record<string, string>; state: string }> }>('alerts');
        return answer.status === 'success' && answer.data.alerts.some((a) => a.labels.alertname === 'DeadLetterQueueGrowing' && a.state === 'firing') ? answer.data.alerts : undefined;
      },
      { timeoutMs: 20_000, description: 'DeadLetterQueueGrowing to fire' },
    );
    expect(active.find((a) => a.labels.alertname === 'DeadLetterQueueGrowing')?.labels).toMatchObject({ group: 'orchestrator' });
    const firing = active.filter((a) => a.state === 'firing').map((a) => a.labels.alertname);
    expect(firing).not.toContain('RedisUnreachableFromService');
    expect(active.map((a) => a.labels.alertname)).not.toContain('PnlPricesStale');
  });

  it('stops every service cleanly on SIGTERM, the orchestrator too while it stays up after its run', async () => {
    for (const service of services) expect(await service.stop(), `${service.name}:\n${service.output()}`).toBe('code 0');
    expect(services.find((s) => s.name === 'orchestrator')?.output()).toContain('orchestrator: SIGTERM received, stopping');
  });
});
