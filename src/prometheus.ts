/**
 * `@trading-platform/redis-client/prometheus`: the SDK's Prometheus metrics (prom-client 15, an
 * optional peer dependency), fed by its diagnostics channels and by its live objects at scrape
 * time. Metric names and labels: `docs/diagnostics.md`. Loading this entry without prom-client
 * installed throws a `ConfigError` (`context.dependency: 'prom-client'`) saying `npm install prom-client@^15`.
 *
 * @example
 * ```ts
 * import { register } from 'prom-client';
 * import { registerMetrics } from '@trading-platform/redis-client/prometheus';
 *
 * const metrics = registerMetrics(); // prom-client's global registry, names trading_platform_*
 * app.get('/metrics', async (_req, reply) => reply.type(register.contentType).send(await register.metrics()));
 * // on shutdown: metrics.unregister();
 * ```
 */
import type { Registry } from 'prom-client';
import { ConfigError } from './internal/errors.js';
import { promClient } from './prometheus/prom-client.js';
import { listen } from './prometheus/listeners.js';
import { createMetrics, METRIC_SPECS, metricNames, type SdkMetrics } from './prometheus/metrics.js';
import { resolveMetricsOptions, type MetricsOptions } from './prometheus/options.js';

export { METRICS_DEFAULTS } from './prometheus/options.js';
export type { MetricsOptions } from './prometheus/options.js';

/**
 * The SDK's metric names without the prefix, keyed by what they measure (their help texts and
 * labels: `docs/diagnostics.md`).
 */
export const METRIC_NAMES = Object.freeze(Object.fromEntries(Object.entries(METRIC_SPECS).map(([key, spec]) => [key, spec.name]))) as {
  readonly [K in keyof typeof METRIC_SPECS]: string;
};

/** What {@link registerMetrics} returns. */
export interface MetricsHandle {
  /** The registry the metrics are in. */
  readonly registry: Registry;
  /** The prefix of their names. */
  readonly prefix: string;
  /**
   * Gives this handle up; idempotent. The metrics of a registry and prefix stay (registered and
   * fed) while any handle of them is held: when the last one is given up, the SDK stops listening
   * to its channels and removes its metrics from the registry.
   */
  unregister(): void;
}

/** The metrics of one registry and prefix, shared by every handle of them. */
interface Registration {
  handles: number;
  readonly metrics: SdkMetrics;
  readonly stopListening: () => void;
  /** What the metrics were created with: a later call may repeat them, not change them. */
  readonly buckets: readonly number[];
  readonly collectTimeoutMs: number;
}

/**
 * Kept on `globalThis`, so a second copy of the SDK in the process (its ESM and CJS bundles)
 * finds the registrations the first made instead of registering the same names again.
 */
const KEY = Symbol.for('@trading-platform/redis-client:prometheus-registrations:v1');

function registrations(registry: Registry): Map<string, Registration> {
  const holder = globalThis as Record<symbol, WeakMap<Registry, Map<string, Registration>> | undefined>;
  let all = holder[KEY];
  if (all === undefined) {
    all = new WeakMap();
    Object.defineProperty(globalThis, KEY, { value: all, enumerable: false, configurable: false, writable: false });
  }
  let byPrefix = all.get(registry);
  if (byPrefix === undefined) all.set(registry, (byPrefix = new Map()));
  return byPrefix;
}

/** Whether the registry still holds the metrics of `registration` (a `registry.clear()` removes them). */
function intact(registry: Registry, registration: Registration): boolean {
  return registration.metrics.owned.every(([name, metric]) => registry.getSingleMetric(name) === metric);
}

/**
 * A later call for the same registry and prefix may leave `buckets` and `collectTimeoutMs` out
 * (it gets the registration's) or repeat them; it cannot change them.
 */
function checkSame(options: MetricsOptions | undefined, resolved: { buckets: readonly number[]; collectTimeoutMs: number }, registration: Registration): void {
  const sameBuckets = resolved.buckets.length === registration.buckets.length && resolved.buckets.every((b, i) => b === registration.buckets[i]);
  if (options?.buckets !== undefined && !sameBuckets) {
    throw new ConfigError(
      `Option buckets: this registry and prefix already have the SDK's metrics with buckets [${registration.buckets.join(', ')}]; pass the same buckets, none, or another prefix or registry`,
      { context: { option: 'buckets' } },
    );
  }
  if (options?.collectTimeoutMs !== undefined && resolved.collectTimeoutMs !== registration.collectTimeoutMs) {
    throw new ConfigError(
      `Option collectTimeoutMs: this registry and prefix already have the SDK's metrics with collectTimeoutMs ${registration.collectTimeoutMs}; pass the same value, none, or another prefix or registry`,
      { context: { option: 'collectTimeoutMs' } },
    );
  }
}

function remove(registry: Registry, registration: Registration): void {
  registration.stopListening();
  for (const [name, metric] of registration.metrics.owned) if (registry.getSingleMetric(name) === metric) registry.removeSingleMetric(name);
}

/**
 * Registers the SDK's metrics in a prom-client registry and feeds them: counters and histograms
 * from the SDK's diagnostics channels, gauges computed at scrape time from the live SDK objects
 * of the process (local-tier size, publish buffer depth and capacity, connection status, and the
 * pending entries, lag and dead letters of the groups of running stream consumers, read from
 * Redis within `collectTimeoutMs`). Counts only what happens after the call.
 *
 * Idempotent per registry and prefix: a second call with the same ones returns another handle of
 * the same metrics and never throws "already registered"; it may leave out `buckets` and
 * `collectTimeoutMs` (the first call's apply) or repeat them, but not change them. The metrics
 * stay until every handle is given up (see {@link MetricsHandle.unregister}). If the registry
 * lost them meanwhile (`registry.clear()`), they are registered afresh.
 *
 * @throws ConfigError naming the bad option (`registry`, `prefix`, `buckets`, `collectTimeoutMs`);
 * (`buckets`, `collectTimeoutMs`) when a later call for the same registry and prefix gives another
 * value than the metrics were registered with; or (`prefix`) when the registry holds a metric of
 * one of the SDK's names that this function did not register.
 */
export function registerMetrics(options?: MetricsOptions): MetricsHandle {
  const { registry, prefix, buckets, collectTimeoutMs } = resolveMetricsOptions(options, promClient.register);
  const byPrefix = registrations(registry);
  let registration = byPrefix.get(prefix);
  if (registration !== undefined && !intact(registry, registration)) {
    remove(registry, registration);
    byPrefix.delete(prefix);
    registration = undefined;
  }
  if (registration !== undefined) checkSame(options, { buckets, collectTimeoutMs }, registration);
  if (registration === undefined) {
    const taken = metricNames(prefix).find((name) => registry.getSingleMetric(name) !== undefined);
    if (taken !== undefined) {
      throw new ConfigError(`Option prefix: the registry already holds a metric named ${taken} that registerMetrics did not register; use another prefix or registry`, {
        context: { option: 'prefix', metric: taken },
      });
    }
    const metrics = createMetrics(registry, prefix, buckets, collectTimeoutMs);
    registration = { handles: 0, metrics, stopListening: listen(metrics), buckets, collectTimeoutMs };
    byPrefix.set(prefix, registration);
  }
  const shared = registration;
  shared.handles += 1;
  let held = true;
  return Object.freeze({
    registry,
    prefix,
    unregister(): void {
      if (!held) return;
      held = false;
      shared.handles -= 1;
      if (shared.handles > 0) return;
      remove(registry, shared);
      if (byPrefix.get(prefix) === shared) byPrefix.delete(prefix);
    },
  });
}
