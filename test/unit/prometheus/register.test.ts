import { channel } from 'node:diagnostics_channel';
import { Counter, Registry, register as globalRegister } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/internal/errors.js';
import { DIAGNOSTICS_CHANNELS as N } from '../../../src/diagnostics/channels.js';
import { METRIC_NAMES, METRICS_DEFAULTS, registerMetrics, type MetricsHandle, type MetricsOptions } from '../../../src/prometheus.js';

const handles: MetricsHandle[] = [];
function metricsIn(options?: MetricsOptions): MetricsHandle {
  const handle = registerMetrics(options);
  handles.push(handle);
  return handle;
}
afterEach(() => {
  for (const h of handles.splice(0)) h.unregister();
});

function configError(options: unknown): ConfigError {
  try {
    registerMetrics(options as MetricsOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** The metric names of the contract with the examples and dashboards (../metrics-spec), without the prefix. */
const CONTRACT = [
  'cache_requests_total',
  'cache_read_duration_seconds',
  'cache_writes_total',
  'cache_errors_total',
  'cache_single_flight_joins_total',
  'cache_compute_duration_seconds',
  'cache_local_entries',
  'cache_local_invalidations_total',
  'cache_local_evictions_total',
  'publish_total',
  'publish_duration_seconds',
  'publish_buffer_events',
  'publish_buffer_capacity',
  'subscriber_messages_total',
  'stream_appends_total',
  'stream_deliveries_total',
  'stream_pending',
  'stream_lag',
  'stream_dead_letter_length',
  'client_connection_status',
  'client_reconnects_total',
  'client_command_duration_seconds',
  'client_command_errors_total',
  'price_cache_requests_total',
  'price_cache_writes_total',
  'price_cache_errors_total',
];

describe('registerMetrics', () => {
  it('registers exactly the agreed metric names, under the default prefix', async () => {
    const registry = new Registry();
    metricsIn({ registry });
    expect(Object.values(METRIC_NAMES).sort()).toEqual([...CONTRACT].sort());
    const registered = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(registered.sort()).toEqual(CONTRACT.map((n) => `trading_platform_${n}`).sort());
    const types = Object.fromEntries((await registry.getMetricsAsJSON()).map((m) => [m.name.replace('trading_platform_', ''), String(m.type)]));
    for (const name of CONTRACT) {
      const expected = name.endsWith('_total') ? 'counter' : name.endsWith('_seconds') ? 'histogram' : 'gauge';
      expect([name, types[name]]).toEqual([name, expected]);
    }
  });

  it('uses prom-client’s global registry by default', async () => {
    const handle = metricsIn();
    expect(handle.registry).toBe(globalRegister);
    expect(handle.prefix).toBe(METRICS_DEFAULTS.prefix);
    expect(globalRegister.getSingleMetric('trading_platform_publish_total')).toBeDefined();
    handle.unregister();
    expect(globalRegister.getSingleMetric('trading_platform_publish_total')).toBeUndefined();
  });

  it('is idempotent per registry and prefix: handles share the metrics until the last is given up', async () => {
    const registry = new Registry();
    const first = registerMetrics({ registry });
    const metric = registry.getSingleMetric('trading_platform_publish_total');
    const second = registerMetrics({ registry });
    expect(registry.getSingleMetric('trading_platform_publish_total')).toBe(metric);
    const outcome = channel(N.PUBLISH_OUTCOME);
    expect(outcome.hasSubscribers).toBe(true);
    first.unregister();
    first.unregister(); // idempotent: does not give up the second handle's share
    expect(registry.getSingleMetric('trading_platform_publish_total')).toBe(metric);
    outcome.publish({ channel: 'signals.generated', outcome: 'published', buffered: 0 });
    expect(await registry.metrics()).toContain('trading_platform_publish_total{channel="signals.generated",outcome="published"} 1');
    // The first call's buckets apply to both handles.
    channel(`tracing:${N.CLIENT_COMMAND}:asyncEnd`).publish({ command: 'GET', component: 'client', startedAt: performance.now() });
    expect(await registry.metrics()).toContain('trading_platform_client_command_duration_seconds_bucket{operation="GET",le="0.0001"}');
    second.unregister();
    expect(await registry.getMetricsAsJSON()).toEqual([]);
    expect(outcome.hasSubscribers).toBe(false);
  });

  it('lets a later call repeat or leave out buckets and collectTimeoutMs, and refuses one that changes them', () => {
    const registry = new Registry();
    metricsIn({ registry, buckets: [0.01, 0.1, 1], collectTimeoutMs: 500 });
    metricsIn({ registry });
    metricsIn({ registry, buckets: [0.01, 0.1, 1], collectTimeoutMs: 500 });
    expect(configError({ registry, buckets: [0.01, 0.1] }).context).toMatchObject({ option: 'buckets' });
    expect(configError({ registry, buckets: [0.01, 0.1, 2] }).message).toContain('[0.01, 0.1, 1]');
    expect(configError({ registry, collectTimeoutMs: 1000 }).context).toMatchObject({ option: 'collectTimeoutMs' });
    // A first call without options registered the defaults: a later one may give them, not others.
    const plain = new Registry();
    metricsIn({ registry: plain });
    expect(configError({ registry: plain, buckets: [1] }).context).toMatchObject({ option: 'buckets' });
    metricsIn({ registry: plain, buckets: [...METRICS_DEFAULTS.buckets], collectTimeoutMs: METRICS_DEFAULTS.collectTimeoutMs });
    // Another prefix is another registration, with its own options.
    metricsIn({ registry, prefix: 'other_', buckets: [5], collectTimeoutMs: 10 });
  });

  it('keeps registries and prefixes apart', async () => {
    const a = new Registry();
    const b = new Registry();
    metricsIn({ registry: a });
    metricsIn({ registry: b });
    metricsIn({ registry: a, prefix: 'svc_' });
    metricsIn({ registry: a, prefix: '' });
    channel(N.CLIENT_RECONNECT).publish({ component: 'client', attempt: 1, delayMs: 10 });
    for (const [registry, name] of [
      [a, 'trading_platform_client_reconnects_total'],
      [b, 'trading_platform_client_reconnects_total'],
      [a, 'svc_client_reconnects_total'],
      [a, 'client_reconnects_total'],
    ] as const) {
      expect(await registry.getSingleMetricAsString(name)).toContain(`${name}{component="client"} 1`);
    }
  });

  it('registers afresh when the registry lost its metrics (registry.clear())', async () => {
    const registry = new Registry();
    const stale = registerMetrics({ registry });
    registry.clear();
    metricsIn({ registry });
    channel(N.STREAM_APPEND).publish({ channel: 'orders.executed', outcome: 'appended' });
    expect(await registry.metrics()).toContain('trading_platform_stream_appends_total{outcome="appended"} 1');
    stale.unregister(); // the old handle leaves the new metrics alone
    expect(registry.getSingleMetric('trading_platform_stream_appends_total')).toBeDefined();
  });

  it('refuses a registry holding a metric of its names that it did not register', () => {
    const registry = new Registry();
    new Counter({ name: 'trading_platform_publish_total', help: 'mine', registers: [registry] });
    const err = configError({ registry });
    expect(err.context).toMatchObject({ option: 'prefix', metric: 'trading_platform_publish_total' });
    expect(registry.getSingleMetric('trading_platform_cache_requests_total')).toBeUndefined();
    metricsIn({ registry, prefix: 'other_' });
  });

  it.each<[string, unknown]>([
    ['', 'options'],
    ['', null],
    ['registry', { registry: {} }],
    ['registry', { registry: 'global' }],
    ['prefix', { prefix: 'bad-prefix' }],
    ['prefix', { prefix: '1abc' }],
    ['prefix', { prefix: 7 }],
    ['buckets', { buckets: [] }],
    ['buckets', { buckets: [0.1, 0.1] }],
    ['buckets', { buckets: [0.2, 0.1] }],
    ['buckets', { buckets: [0, 1] }],
    ['buckets', { buckets: [1, Number.POSITIVE_INFINITY] }],
    ['buckets', { buckets: [Number.NaN] }],
    ['buckets', { buckets: 'fast' }],
    ['collectTimeoutMs', { collectTimeoutMs: 0 }],
    ['collectTimeoutMs', { collectTimeoutMs: 1.5 }],
    ['collectTimeoutMs', { collectTimeoutMs: 60_001 }],
  ])('names the bad option %s', (option, options) => {
    expect(configError(options).context).toMatchObject({ option });
  });
});
