/**
 * The SDK's Prometheus metrics: every name, help text and label (the contract dashboards and
 * alerts are written against), and their creation in one registry under one prefix.
 */
import type { Gauge, Registry } from 'prom-client';
import { CounterCells, SecondsHistogram, type MetricSpec } from './cells.js';
import { connectionStatus, GroupFigures, localEntries, publishBuffer } from './gauges.js';
import { promClient } from './prom-client.js';

/** Metric names without the prefix, with their help and labels. */
export const METRIC_SPECS = Object.freeze({
  cacheRequests: spec('cache_requests_total', 'Feature cache keys read, by tier and outcome (one per key).', ['tier', 'outcome']),
  cacheReadDuration: spec('cache_read_duration_seconds', 'FeatureCache get, getMany and getMatrix calls, by operation.', ['operation']),
  cacheWrites: spec('cache_writes_total', 'Feature vectors handed to a write, by outcome (one per vector).', ['outcome']),
  cacheErrors: spec('cache_errors_total', 'Failed Redis round trips of feature caches, by operation (stats().errors).', ['operation']),
  cacheJoins: spec('cache_single_flight_joins_total', "Read-or-compute callers that shared another call's computation for their key instead of computing.", []),
  cacheComputeDuration: spec('cache_compute_duration_seconds', 'Calls of the compute function by read-or-compute and warm, by outcome.', ['outcome']),
  cacheLocalEntries: spec('cache_local_entries', 'Vectors held in the local tiers of live feature caches.', []),
  cacheLocalInvalidations: spec('cache_local_invalidations_total', 'Invalidations the local tiers received from Redis.', []),
  cacheLocalEvictions: spec('cache_local_evictions_total', 'Vectors the local tiers evicted (full or expired).', []),
  publish: spec('publish_total', 'Events handled by publishers, by channel and outcome.', ['channel', 'outcome']),
  publishDuration: spec('publish_duration_seconds', 'Live PUBLISH calls of publishers, by channel.', ['channel']),
  publishBufferEvents: spec('publish_buffer_events', 'Events waiting in the outage buffers of live publishers.', []),
  publishBufferCapacity: spec('publish_buffer_capacity', 'The maxQueuedEvents of the outage buffers of live publishers, summed.', []),
  subscriberMessages: spec('subscriber_messages_total', 'Messages received by subscribers (received), and those invalid, failing a handler or dropped.', [
    'channel',
    'outcome',
  ]),
  streamAppends: spec('stream_appends_total', 'EventStream appends, by outcome.', ['outcome']),
  streamDeliveries: spec('stream_deliveries_total', 'Stream entries consumers processed, acknowledged, retried or dead-lettered, by group.', ['group', 'outcome']),
  streamPending: spec('stream_pending', 'Entries delivered to the group and not acknowledged (XINFO GROUPS pending), over its streams.', ['group']),
  streamLag: spec('stream_lag', 'Entries not yet delivered to the group (XINFO GROUPS lag), over its streams.', ['group']),
  streamDeadLetterLength: spec('stream_dead_letter_length', 'Entries in the dead-letter streams of the channels the group consumes (XLEN).', ['group']),
  clientConnectionStatus: spec('client_connection_status', '1 when every open connection of the component is ready, 0 when one is not.', ['component']),
  clientReconnects: spec('client_reconnects_total', 'Reconnection attempts scheduled after a connection was lost, by component.', ['component']),
  clientCommandDuration: spec('client_command_duration_seconds', 'Redis commands from call to settling, retries included, by command.', ['operation']),
  clientCommandErrors: spec('client_command_errors_total', 'Redis commands that failed, by command and SDK error class.', ['operation', 'class']),
  priceRequests: spec('price_cache_requests_total', 'Price cache symbols read, by outcome (one per symbol).', ['outcome']),
  priceWrites: spec('price_cache_writes_total', 'Price cache writes, by outcome.', ['outcome']),
  priceErrors: spec('price_cache_errors_total', 'Failed Redis round trips of price caches, by operation (stats().errors).', ['operation']),
});

function spec(name: string, help: string, labelNames: readonly string[]): MetricSpec {
  return Object.freeze({ name, help, labelNames: Object.freeze([...labelNames]) });
}

const CACHE_REDIS_OUTCOMES = ['hit', 'miss', 'error', 'corrupt', 'foreign', 'unsupported'] as const;
/** Every `operation` of the cache channels that carry `errors`: lookup, write, invalidate, info. */
const CACHE_OPERATIONS = ['get', 'getMany', 'getMatrix', 'set', 'setMany', 'invalidate', 'invalidateSymbol', 'invalidateDate', 'serverStats', 'getStats'] as const;

/** Every metric of one registration. */
export interface SdkMetrics {
  readonly cacheRequests: CounterCells;
  readonly cacheReadDuration: SecondsHistogram;
  readonly cacheWrites: CounterCells;
  readonly cacheErrors: CounterCells;
  readonly cacheJoins: CounterCells;
  readonly cacheComputeDuration: SecondsHistogram;
  readonly cacheLocalInvalidations: CounterCells;
  readonly cacheLocalEvictions: CounterCells;
  readonly publish: CounterCells;
  readonly publishDuration: SecondsHistogram;
  readonly subscriberMessages: CounterCells;
  readonly streamAppends: CounterCells;
  readonly streamDeliveries: CounterCells;
  readonly clientReconnects: CounterCells;
  readonly clientCommandDuration: SecondsHistogram;
  readonly clientCommandErrors: CounterCells;
  readonly priceRequests: CounterCells;
  readonly priceWrites: CounterCells;
  readonly priceErrors: CounterCells;
  /** Every metric created, by full name: what `unregister` removes (each only while it is still this one). */
  readonly owned: ReadonlyArray<readonly [name: string, metric: unknown]>;
}

/** Every metric name under `prefix`. */
export function metricNames(prefix: string): string[] {
  return Object.values(METRIC_SPECS).map((s) => prefix + s.name);
}

/**
 * Creates every metric in `registry`, names prefixed with `prefix`. The caller checked that none
 * of the names is taken there.
 */
export function createMetrics(registry: Registry, prefix: string, buckets: readonly number[], collectTimeoutMs: number): SdkMetrics {
  const named = (s: MetricSpec): MetricSpec => ({ ...s, name: prefix + s.name });
  const S = METRIC_SPECS;
  const counter = (s: MetricSpec, initial?: ReadonlyArray<readonly [string?, string?]>): CounterCells => new CounterCells(registry, named(s), initial);
  const histogram = (s: MetricSpec): SecondsHistogram => new SecondsHistogram(registry, named(s), buckets);
  const gauge = (s: MetricSpec, collect: (this: Gauge) => void | Promise<void>): Gauge =>
    new promClient.Gauge({ ...named(s), labelNames: [...s.labelNames], registers: [registry], collect });

  const cacheRequests = counter(S.cacheRequests, [['local', 'hit'], ...CACHE_REDIS_OUTCOMES.map((o) => ['redis', o] as const)]);
  const metrics = {
    cacheRequests,
    cacheReadDuration: histogram(S.cacheReadDuration),
    cacheWrites: counter(S.cacheWrites, [['written'], ['error'], ['oversized'], ['refused']]),
    cacheErrors: counter(S.cacheErrors, CACHE_OPERATIONS.map((o) => [o] as const)),
    cacheJoins: counter(S.cacheJoins, [[]]),
    cacheComputeDuration: histogram(S.cacheComputeDuration),
    cacheLocalInvalidations: counter(S.cacheLocalInvalidations, [[]]),
    cacheLocalEvictions: counter(S.cacheLocalEvictions, [[]]),
    publish: counter(S.publish),
    publishDuration: histogram(S.publishDuration),
    subscriberMessages: counter(S.subscriberMessages),
    streamAppends: counter(S.streamAppends, [['appended'], ['failed']]),
    streamDeliveries: counter(S.streamDeliveries),
    clientReconnects: counter(S.clientReconnects),
    clientCommandDuration: histogram(S.clientCommandDuration),
    clientCommandErrors: counter(S.clientCommandErrors),
    priceRequests: counter(S.priceRequests, [['hit'], ['miss'], ['invalid'], ['stale'], ['error']]),
    priceWrites: counter(S.priceWrites, [['written'], ['error']]),
    priceErrors: counter(S.priceErrors, [['get'], ['getMany'], ['set']]),
  };
  gauge(S.cacheLocalEntries, localEntries);
  const buffer = publishBuffer();
  gauge(S.publishBufferEvents, buffer.events);
  gauge(S.publishBufferCapacity, buffer.capacity);
  gauge(S.clientConnectionStatus, connectionStatus);
  const groups = new GroupFigures(collectTimeoutMs);
  gauge(S.streamPending, groups.collector('pending'));
  gauge(S.streamLag, groups.collector('lag'));
  gauge(S.streamDeadLetterLength, groups.collector('deadLetterLength'));
  const owned = metricNames(prefix).map((name) => [name, registry.getSingleMetric(name)] as const);
  return { ...metrics, owned };
}
