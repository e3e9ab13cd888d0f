import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Dashboard } from './queries.js';
import { alertNames, dashboardQueries, loopbackConfig, substituteVariables } from './queries.js';

const DIR = fileURLToPath(new URL('../', import.meta.url));
const read = (file: string): string => readFileSync(`${DIR}${file}`, 'utf8');
const dashboard = JSON.parse(read('grafana/dashboards/trading-platform-redis.json')) as Dashboard;

describe('the shipped observability files', () => {
  it('the dashboard: every panel but the rows has a query, on the provisioned datasource, with only known variables', () => {
    const panels = (dashboard.panels ?? []).filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(15);
    for (const panel of panels) {
      expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
      expect(panel.datasource?.uid, panel.title).toBe('prometheus');
    }
    expect(read('grafana/provisioning/datasources/prometheus.yml')).toMatch(/^\s+uid: prometheus$/m);
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThanOrEqual(panels.length);
    for (const q of queries) expect(q.expr, q.panel).not.toMatch(/\$|\[\[/);
  });

  it('the dashboard covers what issue 14 asks for', () => {
    const exprs = dashboardQueries(dashboard).map((q) => q.expr).join('\n');
    for (const metric of [
      'trading_platform_cache_requests_total{job=~".+", outcome="hit"}',
      'trading_platform_client_command_duration_seconds_bucket{job=~".+", operation=~"GET|MGET"}',
      'trading_platform_cache_compute_duration_seconds_bucket',
      'trading_platform_publish_total',
      'trading_platform_publish_buffer_events',
      'trading_platform_subscriber_messages_total{job=~".+", outcome!="received"}',
      'trading_platform_stream_lag',
      'trading_platform_stream_pending',
      'trading_platform_stream_dead_letter_length',
      'trading_platform_client_connection_status',
      'trading_platform_client_reconnects_total',
      'signal_service_requests_total',
      'pnl_service_total_pl',
      'pnl_service_sse_clients',
      'pnl_service_sse_messages_total',
      'pnl_service_price_age_seconds',
      'market_data_feed_quotes_total',
    ]) {
      expect(exprs).toContain(metric);
    }
  });

  it('substitutes Grafana variables in all three spellings and refuses an unknown one', () => {
    expect(substituteVariables('rate(x{job=~"$job"}[$__rate_interval]) + y{a="${job}"} + z{b="[[job]]"}', { job: '.+' })).toBe(
      'rate(x{job=~".+"}[1m]) + y{a=".+"} + z{b=".+"}',
    );
    expect(() => substituteVariables('x{a="$nope"}', {})).toThrow('no value for the Grafana variable $nope');
  });

  it('alerts.yml has the five alerts issue 14 asks for, and one for stale prices on the P&L service', () => {
    expect(alertNames(read('alerts.yml'))).toEqual(
      expect.arrayContaining(['RedisDown', 'PublishBufferHalfFull', 'DeadLetterQueueGrowing', 'ConsumerLagGrowing', 'FeatureCacheHitRateLow', 'PnlPricesStale']),
    );
  });

  it('every alert of alerts.yml has a promtool unit test in alerts.test.yml', () => {
    const tested = new Set([...read('alerts.test.yml').matchAll(/^\s+alertname:\s*(\S+)\s*$/gm)].map((m) => m[1]));
    expect(alertNames(read('alerts.yml')).filter((name) => !tested.has(name))).toEqual([]);
  });

  it('derives the loopback prometheus.yml: same service jobs and rule file, 1 s intervals, redis_exporter dropped', () => {
    const config = loopbackConfig(read('prometheus.yml'), {
      targets: { 'signal-service': '127.0.0.1:1', 'execution-gateway': '127.0.0.1:2', orchestrator: '127.0.0.1:3', 'market-data-feed': '127.0.0.1:4', 'pnl-service': '127.0.0.1:5' },
      rulesPath: '/abs/alerts.yml',
      dropJobs: ['redis'],
    });
    expect([...config.matchAll(/job_name: (\S+)/g)].map((m) => m[1])).toEqual(['signal-service', 'execution-gateway', 'orchestrator', 'market-data-feed', 'pnl-service']);
    expect([...config.matchAll(/targets: \[(.*)\]/g)].map((m) => m[1])).toEqual(["'127.0.0.1:1'", "'127.0.0.1:2'", "'127.0.0.1:3'", "'127.0.0.1:4'", "'127.0.0.1:5'"]);
    expect(config).toMatch(/^ {2}scrape_interval: 1s$/m);
    expect(config).toMatch(/^ {2}evaluation_interval: 1s$/m);
    expect(config).toMatch(/^ {2}- \/abs\/alerts\.yml$/m);
    expect(config).not.toContain('redis-exporter');
  });

  it('refuses to derive from a prometheus.yml whose jobs it does not know', () => {
    const shipped = read('prometheus.yml');
    const options = { targets: { 'signal-service': 'a:1', 'execution-gateway': 'b:2', orchestrator: 'c:3', 'market-data-feed': 'd:4', 'pnl-service': 'e:5' }, rulesPath: '/r.yml', dropJobs: ['redis'] };
    expect(() => loopbackConfig(shipped.replace('job_name: orchestrator', 'job_name: other'), options)).toThrow('job other is neither a test target nor dropped');
    expect(() => loopbackConfig(shipped.replace('  - alerts.yml', '  - rules.yml'), options)).toThrow('expected one rule file alerts.yml, found 0');
  });
});
