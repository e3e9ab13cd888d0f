/**
 * The signal service's own Prometheus metrics, under the Python service's names and with their
 * meaning (upstream `apps/signal_service/main.py`), next to the SDK's metrics in the service's
 * registry.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { DIAGNOSTICS_CHANNELS } from '@trading-platform/redis-client';
import type { EventPublisher, PublishOutcomeMessage, RedisClient } from '@trading-platform/redis-client';
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

/**
 * Counts the events that this service's publish calls put into the publisher's outage buffer,
 * from the SDK's `trading-platform:publisher:outcome` channel (one `buffered` message per event
 * entering a buffer, as `trading_platform_publish_total{outcome="buffered"}` counts them).
 *
 * That channel is process-wide and its messages do not say which publisher sent them, so each
 * call runs in an `AsyncLocalStorage` context of this counter ({@link publish}): the SDK reports
 * an outcome synchronously, either inside the call or in a promise continuation the call set up,
 * and a continuation runs in the context of the call that created it. A message seen inside that
 * context is this service's, whatever other calls, services or replays run at the same time. A
 * `stats()` delta cannot tell: `rejected` also moves for another request's refusal, and no
 * `PublisherStats` field counts the events that entered the buffer.
 */
export class BufferedEventCounter {
  readonly #calls = new AsyncLocalStorage<true>();
  #count = 0;
  #closed = false;
  readonly #onOutcome = (message: unknown): void => {
    if ((message as PublishOutcomeMessage).outcome === 'buffered' && this.#calls.getStore() === true) this.#count += 1;
  };

  constructor() {
    subscribe(DIAGNOSTICS_CHANNELS.PUBLISH_OUTCOME, this.#onOutcome);
  }

  /** Events that `publish` calls put into the buffer so far. */
  get count(): number {
    return this.#count;
  }

  /** Runs `send` (one publish call) so that the events it buffers are counted. */
  publish<T>(send: () => Promise<T>): Promise<T> {
    return this.#calls.run(true, send);
  }

  /** Stops listening to the channel. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    unsubscribe(DIAGNOSTICS_CHANNELS.PUBLISH_OUTCOME, this.#onOutcome);
  }
}

/** What the metrics read at scrape time. */
export interface SignalMetricsSources {
  /** The service's Redis client, or `null` when Redis is disabled. */
  redis: RedisClient | null;
  /** The publisher of `signals.generated` (with its outage buffer), or `null` without Redis. */
  publisher: EventPublisher | null;
  /** Counts the signal events this service's publish calls buffered (`null` without a publisher). */
  buffered: BufferedEventCounter | null;
}

/** What the service records as it serves; the rest is read at scrape time. */
export interface SignalServiceMetrics {
  /** One generation request ended with `outcome` after `seconds`. */
  observeRequest(outcome: RequestOutcome, seconds: number): void;
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
  const { redis, publisher, buffered } = sources;
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
  collectedCounter(registry, {
    name: 'signal_service_signals_buffered_total',
    help: 'Total number of signal events buffered due to Redis publish failures',
    read: () => [[{}, buffered?.count ?? 0]],
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
  };
}
