/** Options of `registerMetrics` (`./prometheus`): their types, their defaults in one place, and their validation. */
import type { Registry } from 'prom-client';
import { integerOption } from '../internal/config.js';
import { ConfigError } from '../internal/errors.js';

/** Options of `registerMetrics`. Defaults are in {@link METRICS_DEFAULTS}. */
export interface MetricsOptions {
  /** The prom-client registry to register the SDK's metrics in. @default prom-client's global `register` */
  registry?: Registry;
  /**
   * Prepended to every metric name: a Prometheus name start (letters, digits, `_` and `:`, not
   * starting with a digit), or `''` for none. @default 'trading_platform_'
   */
  prefix?: string;
  /**
   * Upper bounds, in seconds, of every duration histogram's buckets: finite, > 0, strictly
   * increasing. The default spans sub-millisecond Redis replies to multi-second computations and
   * blocking stream reads. @default METRICS_DEFAULTS.buckets
   */
  buckets?: readonly number[];
  /**
   * Longest wait, in milliseconds, for each Redis read a scrape makes (`XINFO GROUPS` and `XLEN`
   * for the stream gauges); a read that fails or takes longer leaves its gauge out of that
   * scrape, never failing it. From 1 to 60000. @default 1000
   */
  collectTimeoutMs?: number;
}

/** The defaults of {@link MetricsOptions}. */
export const METRICS_DEFAULTS = Object.freeze({
  prefix: 'trading_platform_',
  buckets: Object.freeze([0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
  collectTimeoutMs: 1000,
});

/** Options after defaults and validation. Internal. */
export interface ResolvedMetricsOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  readonly collectTimeoutMs: number;
}

const NAME_START = /^[A-Za-z_:][A-Za-z0-9_:]*$/;

function bad(option: string, message: string): ConfigError {
  return new ConfigError(`Option ${option} ${message}`, { context: { option } });
}

/**
 * Applies defaults and validates. `fallbackRegistry` is prom-client's global registry.
 * @throws ConfigError naming the bad option (`context.option`).
 */
export function resolveMetricsOptions(options: unknown, fallbackRegistry: Registry): ResolvedMetricsOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`registerMetrics options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`, {
      context: { option: '' },
    });
  }
  const o = options as MetricsOptions;
  return {
    registry: checkRegistry(o.registry ?? fallbackRegistry),
    prefix: checkPrefix(o.prefix ?? METRICS_DEFAULTS.prefix),
    buckets: checkBuckets(o.buckets ?? METRICS_DEFAULTS.buckets),
    collectTimeoutMs: integerOption(o.collectTimeoutMs, METRICS_DEFAULTS.collectTimeoutMs, 'collectTimeoutMs', { min: 1, max: 60_000 }),
  };
}

function checkRegistry(registry: unknown): Registry {
  const r = registry as Partial<Record<'registerMetric' | 'getSingleMetric' | 'removeSingleMetric' | 'metrics', unknown>> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.registerMetric !== 'function' ||
    typeof r.getSingleMetric !== 'function' ||
    typeof r.removeSingleMetric !== 'function' ||
    typeof r.metrics !== 'function'
  ) {
    throw bad('registry', 'must be a prom-client Registry');
  }
  return registry as Registry;
}

function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || (prefix !== '' && !NAME_START.test(prefix))) {
    throw bad('prefix', `must be '' or start a Prometheus metric name ([A-Za-z_:][A-Za-z0-9_:]*), got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

function checkBuckets(buckets: unknown): readonly number[] {
  if (!Array.isArray(buckets) || buckets.length === 0) throw bad('buckets', 'must be a non-empty array of upper bounds in seconds');
  for (let i = 0; i < buckets.length; i++) {
    const b: unknown = buckets[i];
    if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) throw bad('buckets', `must hold finite numbers > 0; item ${i} is ${String(b)}`);
    if (i > 0 && b <= (buckets[i - 1] as number)) throw bad('buckets', `must be strictly increasing; item ${i} (${b}) is not above item ${i - 1}`);
  }
  return Object.freeze([...(buckets as number[])]);
}
