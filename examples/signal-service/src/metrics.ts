/**
 * The signal service's own Prometheus metrics, under the Python service's names and with their
 * meaning (upstream `apps/signal_service/main.py`), next to the SDK's metrics in the service's
 * registry.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { EventPublisher, RedisClient } from '@trading-platform/redis-client';
import { collectedCounter } from '../../lib/metrics.js';

/** How a generation request ended: `success` (200) or `error` (any other answer), as upstream labels it. */
export type RequestOutcome = 'success' | 'error';

/**
 * Buckets of `signal_service_signal_generation_duration_seconds`: upstream's (0.1 s to 60 s)
 * with finer ones below 0.1 s, where a request served from the cache lands.
 */
export const GENERATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60,
]);

/** What the metrics read at scrape time. */
export interface SignalMetricsSources {
  /** The service's Redis client, or `null` when Redis is disabled. */
  redis: RedisClient | null;
  /** The publisher of `signals.generated` (with its outage buffer), or `null` without Redis. */
  publisher: EventPublisher | null;
}

/** What the service records as it serves; the rest is read at scrape time. */
export interface SignalServiceMetrics {
  /** One generation request ended with `outcome` after `seconds`. */
  observeRequest(outcome: RequestOutcome, seconds: number): void;
  /** One signal event entered the publisher's outage buffer (Redis could not take it). */
  signalBuffered(): void;
}

/**
 * Registers in `registry`:
 * - `signal_service_requests_total{status}`: generation requests by `success` / `error`;
 * - `signal_service_signal_generation_duration_seconds{outcome}`: their duration;
 * - `signal_service_redis_connection_status`: 1 while the Redis client is ready, else 0 (and 0 when disabled);
 * - `signal_service_redis_fallback_buffer_size`: signal events waiting in the outage buffer now;
 * - `signal_service_signals_buffered_total`: signal events that entered the buffer because Redis could not take them;
 * - `signal_service_signals_replayed_total`: buffered events published after Redis came back;
 * - `signal_service_signals_dropped_total`: buffered events dropped because the buffer was full.
 */
export function registerSignalServiceMetrics(registry: Registry, sources: SignalMetricsSources): SignalServiceMetrics {
  const { redis, publisher } = sources;
  const requests = new Counter({
    name: 'signal_service_requests_total',
    help: 'Total number of signal generation requests',
    labelNames: ['status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'signal_service_signal_generation_duration_seconds',
    help: 'Time taken to generate signals',
    labelNames: ['outcome'],
    buckets: [...GENERATION_BUCKETS_SECONDS],
    registers: [registry],
  });
  new Gauge({
    name: 'signal_service_redis_connection_status',
    help: 'Redis connection status (1=connected, 0=disconnected)',
    registers: [registry],
    collect() {
      this.set(redis?.isReady === true ? 1 : 0);
    },
  });
  new Gauge({
    name: 'signal_service_redis_fallback_buffer_size',
    help: 'Number of buffered signal events waiting for Redis publish',
    registers: [registry],
    collect() {
      this.set(publisher?.stats().buffered ?? 0);
    },
  });
  const buffered = new Counter({
    name: 'signal_service_signals_buffered_total',
    help: 'Total number of signal events buffered due to Redis publish failures',
    registers: [registry],
  });
  collectedCounter(registry, {
    name: 'signal_service_signals_replayed_total',
    help: 'Total number of buffered signal events replayed after Redis recovery',
    read: () => [[{}, publisher?.stats().replayed ?? 0]],
  });
  collectedCounter(registry, {
    name: 'signal_service_signals_dropped_total',
    help: 'Total number of buffered signal events dropped due to buffer limits',
    read: () => [[{}, publisher?.stats().dropped ?? 0]],
  });
  // Both label values exist from the start, so a rate or an error ratio has series before the first error.
  for (const outcome of ['success', 'error'] as const) {
    requests.inc({ status: outcome }, 0);
    duration.zero({ outcome });
  }
  return {
    observeRequest(outcome, seconds) {
      requests.inc({ status: outcome });
      duration.observe({ outcome }, seconds);
    },
    signalBuffered() {
      buffered.inc();
    },
  };
}
