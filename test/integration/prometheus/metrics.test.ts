import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMetrics, type MetricsHandle } from '../../../src/prometheus.js';
import { startFaultProxy, useRedisServer, waitFor } from '../../harness/index.js';
import type { FaultProxyHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { Scrape } from '../../unit/prometheus/scrape.js';
import { groupField, runWorkload, type Workload } from './workload.js';

expectNoUnhandledRejections();

const P = 'trading_platform_';

describe('./prometheus against a real redis-server: a scripted workload, then one scrape', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  let handle: MetricsHandle;
  let registry: Registry;
  let w: Workload;
  const scrape = async (): Promise<Scrape> => new Scrape(await registry.metrics());
  const during: Record<string, Scrape> = {};
  const xinfo: Record<string, number | undefined> = {};

  beforeAll(async () => {
    proxy = await startFaultProxy({ targetPort: redis.server.port });
    registry = new Registry();
    handle = registerMetrics({ registry });
    w = await runWorkload(redis.server, proxy, {
      duringOutage: async () => {
        during.outage = await scrape();
      },
      afterOutage: async () => {
        during.recovered = await scrape();
      },
      duringBacklog: async (work) => {
        during.backlog = await scrape();
        const info = await redis.server.cli('XINFO', 'GROUPS', work.streamKey);
        xinfo.pending = groupField(info, 'pending');
        xinfo.lag = groupField(info, 'lag');
      },
    });
  });

  afterAll(async () => {
    await w?.close();
    handle?.unregister();
    await proxy?.close();
  });

  it('counts cache reads per key by tier and outcome, writes per vector, errors by operation, joins and computations: equal to stats()', async () => {
    const s = await scrape();
    const stats = w.caches.map((c) => c.stats());
    const total = (k: 'hits' | 'misses' | 'localHits' | 'corrupt' | 'foreign' | 'unsupported' | 'sets' | 'oversized'): number =>
      stats.reduce((sum, st) => sum + st[k], 0);
    const requests = `${P}cache_requests_total`;
    expect(s.sum(requests, { outcome: 'hit' })).toBe(total('hits'));
    expect(s.value(requests, { tier: 'local', outcome: 'hit' })).toBe(total('localHits'));
    expect(s.sum(requests) - s.sum(requests, { outcome: 'hit' })).toBe(total('misses'));
    for (const outcome of ['corrupt', 'foreign', 'unsupported'] as const) {
      expect([outcome, s.value(requests, { tier: 'redis', outcome })]).toEqual([outcome, total(outcome)]);
    }
    // The outage: a get of one key and a getMany of three failed on the proxied cache.
    expect(s.value(requests, { tier: 'redis', outcome: 'error' })).toBe(4);
    expect(s.value(`${P}cache_writes_total`, { outcome: 'written' })).toBe(total('sets'));
    expect(s.value(`${P}cache_writes_total`, { outcome: 'oversized' })).toBe(total('oversized'));
    expect(s.value(`${P}cache_writes_total`, { outcome: 'error' })).toBe(1);
    // Every failed round trip, reads, writes, invalidations and INFO alike, is scraped by operation.
    const errors = stats.reduce((sum, st) => sum + st.errors, 0);
    expect(s.sum(`${P}cache_errors_total`)).toBe(errors);
    const byOperation = Object.fromEntries(s.find(`${P}cache_errors_total`).filter((x) => x.value > 0).map((x) => [x.labels.operation, x.value]));
    expect(byOperation).toEqual({ get: 1, getMany: 1, set: 1, invalidate: 1, serverStats: 1 });
    expect(total('localHits')).toBeGreaterThan(0);
    expect([total('corrupt'), total('foreign'), total('unsupported'), total('oversized')]).toEqual([1, 1, 1, 1]);
    expect(s.value(`${P}cache_single_flight_joins_total`)).toBe(2);
    expect(s.value(`${P}cache_compute_duration_seconds_count`, { outcome: 'ok' })).toBe(2);
    expect(s.value(`${P}cache_compute_duration_seconds_count`, { outcome: 'error' })).toBe(1);
    expect(s.value(`${P}cache_local_invalidations_total`)).toBeGreaterThan(0);
    expect(s.value(`${P}cache_local_evictions_total`)).toBeGreaterThan(0);
    for (const operation of ['get', 'getMany', 'getMatrix']) {
      expect(s.value(`${P}cache_read_duration_seconds_count`, { operation })).toBeGreaterThan(0);
    }
    expect(s.value(`${P}cache_local_entries`)).toBeLessThanOrEqual(2);
  });

  it('counts publish outcomes per channel: equal to stats(), the buffer depth a gauge while down', async () => {
    const s = await scrape();
    const stats = w.publishers.map((p) => p.stats());
    for (const outcome of ['published', 'failed', 'rejected', 'replayed', 'dropped'] as const) {
      expect([outcome, s.sum(`${P}publish_total`, { outcome })]).toEqual([outcome, stats.reduce((sum, st) => sum + st[outcome], 0)]);
    }
    const streamFailed = stats.reduce((sum, st) => sum + st.streamFailed, 0);
    expect(streamFailed).toBe(1);
    expect(s.sum(`${P}publish_total`, { outcome: 'stream_failed' })).toBe(streamFailed);
    expect(s.value(`${P}publish_total`, { channel: 'orders.executed', outcome: 'stream_failed' })).toBe(1);
    expect(w.buffered.stats()).toMatchObject({ failed: 1, replayed: 5, dropped: 2, buffered: 0 });
    expect(s.value(`${P}publish_total`, { channel: 'signals.generated', outcome: 'buffered' })).toBe(7);
    expect(s.value(`${P}publish_total`, { channel: 'orders.executed', outcome: 'rejected' })).toBe(1);
    expect(s.value(`${P}publish_duration_seconds_count`, { channel: 'signals.generated' })).toBeGreaterThanOrEqual(3);

    const outage = during.outage as Scrape;
    expect(outage.value(`${P}publish_buffer_events`)).toBe(5);
    expect(outage.value(`${P}publish_buffer_capacity`)).toBe(5);
    expect(s.value(`${P}publish_buffer_events`)).toBe(0);
  });

  it('counts subscriber messages: equal to stats()', async () => {
    const s = await scrape();
    const stats = w.subscriber.stats();
    expect(stats).toEqual({ received: 6, invalid: 1, handlerErrors: 1, dropped: 2 });
    expect(s.sum(`${P}subscriber_messages_total`, { outcome: 'received' })).toBe(stats.received);
    expect(s.value(`${P}subscriber_messages_total`, { channel: 'signals.generated', outcome: 'invalid' })).toBe(stats.invalid);
    expect(s.value(`${P}subscriber_messages_total`, { channel: 'signals.generated', outcome: 'handler_error' })).toBe(stats.handlerErrors);
    expect(s.value(`${P}subscriber_messages_total`, { channel: 'orders.executed', outcome: 'dropped' })).toBe(stats.dropped);
  });

  it('counts stream appends and deliveries: equal to stats(); pending, lag and dead letters are gauges', async () => {
    const s = await scrape();
    expect(s.value(`${P}stream_appends_total`, { outcome: 'appended' })).toBe(w.appends.appended);
    expect(s.value(`${P}stream_appends_total`, { outcome: 'failed' })).toBe(w.appends.failed);
    expect(w.appends).toEqual({ appended: 7, failed: 2 });
    const stats = w.consumer.stats();
    expect(stats).toMatchObject({ processed: 5, retried: 1, deadLettered: 1, acked: 6 });
    const deliveries = (outcome: string): number | undefined => s.value(`${P}stream_deliveries_total`, { group: w.group, outcome });
    expect([deliveries('processed'), deliveries('acked'), deliveries('retried'), deliveries('dead_lettered')]).toEqual([
      stats.processed,
      stats.acked,
      stats.retried,
      stats.deadLettered,
    ]);
    // During the backlog the gauges read what XINFO GROUPS said.
    const backlog = during.backlog as Scrape;
    expect(xinfo).toEqual({ pending: 2, lag: 4 });
    expect(backlog.value(`${P}stream_pending`, { group: w.group })).toBe(xinfo.pending);
    expect(backlog.value(`${P}stream_lag`, { group: w.group })).toBe(xinfo.lag);
    expect(backlog.value(`${P}stream_dead_letter_length`, { group: w.group })).toBe(0);
    await waitFor(async () => (await scrape()).value(`${P}stream_pending`, { group: w.group }) === 0);
    expect(s.value(`${P}stream_lag`, { group: w.group })).toBe(0);
    expect(s.value(`${P}stream_dead_letter_length`, { group: w.group })).toBe(1);
  });

  it('counts price cache reads per symbol, writes and errors: equal to stats()', async () => {
    const s = await scrape();
    const stats = w.prices.map((p) => p.stats());
    const total = (k: 'hits' | 'misses' | 'invalid' | 'stale' | 'sets'): number => stats.reduce((sum, st) => sum + st[k], 0);
    expect(s.value(`${P}price_cache_requests_total`, { outcome: 'hit' })).toBe(total('hits'));
    expect(s.sum(`${P}price_cache_requests_total`) - total('hits')).toBe(total('misses'));
    expect(s.value(`${P}price_cache_requests_total`, { outcome: 'invalid' })).toBe(total('invalid'));
    expect(s.value(`${P}price_cache_requests_total`, { outcome: 'stale' })).toBe(total('stale'));
    expect(s.value(`${P}price_cache_requests_total`, { outcome: 'error' })).toBe(1);
    expect(s.value(`${P}price_cache_writes_total`, { outcome: 'written' })).toBe(total('sets'));
    expect(s.value(`${P}price_cache_writes_total`, { outcome: 'error' })).toBe(1);
    expect([total('hits'), total('invalid'), total('stale')]).toEqual([1, 1, 1]);
    const errors = stats.reduce((sum, st) => sum + st.errors, 0);
    expect(errors).toBe(2);
    expect(s.sum(`${P}price_cache_errors_total`)).toBe(errors);
    expect([s.value(`${P}price_cache_errors_total`, { operation: 'get' }), s.value(`${P}price_cache_errors_total`, { operation: 'set' })]).toEqual([1, 1]);
  });

  it('reports connection status 0 while down and 1 after, reconnects, and command durations and errors by class', async () => {
    const outage = during.outage as Scrape;
    const recovered = during.recovered as Scrape;
    expect(outage.value(`${P}client_connection_status`, { component: 'proxied' })).toBe(0);
    expect(outage.value(`${P}client_connection_status`, { component: 'client' })).toBe(1);
    expect(recovered.value(`${P}client_connection_status`, { component: 'proxied' })).toBe(1);
    const s = await scrape();
    expect(s.value(`${P}client_reconnects_total`, { component: 'proxied' })).toBeGreaterThan(0);
    expect(s.value(`${P}client_connection_status`, { component: 'stream-reader' })).toBe(1);
    expect(s.value(`${P}client_connection_status`, { component: 'subscriber' })).toBe(1);
    expect(s.value(`${P}client_connection_status`, { component: 'local-tier' })).toBe(1);
    expect(s.value(`${P}client_command_duration_seconds_count`, { operation: 'MGET' })).toBeGreaterThan(0);
    expect(s.sum(`${P}client_command_errors_total`, { class: 'RedisUnavailableError' })).toBeGreaterThan(0);
    expect(s.value(`${P}client_command_errors_total`, { operation: 'PUBLISH', class: 'RedisCommandError' })).toBe(1);
    // The scrapes read XINFO GROUPS and XLEN for the stream gauges: those reads are not in the command metrics.
    expect((during.backlog as Scrape).value(`${P}stream_pending`, { group: w.group })).toBeDefined();
    for (const operation of ['XINFO', 'XLEN']) {
      expect([operation, s.find(`${P}client_command_duration_seconds_count`, { operation })]).toEqual([operation, []]);
      expect([operation, s.find(`${P}client_command_errors_total`, { operation })]).toEqual([operation, []]);
    }
  });
});
