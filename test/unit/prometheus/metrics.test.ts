import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DIAGNOSTICS_CHANNELS as N } from '../../../src/diagnostics/channels.js';
import { trackLive, type LiveConsumer, type LiveGroupStream } from '../../../src/diagnostics/live.js';
import { FeatureCache } from '../../../src/cache/feature-cache.js';
import { RedisClient } from '../../../src/client/redis-client.js';
import { BACKEND_FACTORY, type Backend, type InternalClientOptions } from '../../../src/client/backend.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { PriceCache } from '../../../src/prices/price-cache.js';
import { EventStream } from '../../../src/streams/event-stream.js';
import { groupFields, readGroupStreams } from '../../../src/streams/group-gauges.js';
import { RedisClosedError, RedisCommandError, RedisConnectionError } from '../../../src/internal/errors.js';
import { registerMetrics, type MetricsHandle } from '../../../src/prometheus.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { embeddedPair, onCleanup, order, signal, waitFor } from '../../harness/events/helpers.js';
import { Scrape } from './scrape.js';

const P = 'trading_platform_';
const DATE = '2025-01-17';
let handle: MetricsHandle | undefined;

function metrics(options: { buckets?: number[] } = {}): Registry {
  const registry = new Registry();
  handle = registerMetrics({ registry, ...options });
  return registry;
}
afterEach(() => {
  handle?.unregister();
  handle = undefined;
});

const scrape = async (registry: Registry): Promise<Scrape> => new Scrape(await registry.metrics());

describe('counters fed by the channels', () => {
  it('equal the stats() of the objects that did the work (embedded backend)', async () => {
    const registry = metrics();
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client, { prefix: 'pm', maxValueBytes: 100 });
    await client.set(cache.key('BAD', DATE), '{"a": ');
    await client.set(cache.key('FOR', DATE), '[1, 2]');
    await client.set(cache.key('NEW', DATE), Buffer.from([0, 0x46, 0x36, 0x34, 2]));
    await cache.set('A', DATE, { a: 1 });
    await cache.getMany(['A', 'B', 'BAD', 'FOR', 'NEW'], DATE);
    await cache.get('A', DATE);
    await cache.getMatrix(['A'], DATE);
    await cache.set('BIG', DATE, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, i])));
    await cache.setMany(DATE, [['S1', { s: 1 }], ['S2', { s: 2 }], ['BIG', Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, i]))]]);
    await Promise.all([cache.getOrCompute('C', DATE, () => ({ c: 1 })), cache.getOrCompute('C', DATE, () => ({ c: 2 }))]);

    const fake = new FakePublishClient();
    const publisher = new EventPublisher(fake, { buffer: { maxQueuedEvents: 1 } });
    onCleanup(() => publisher.close());
    await publisher.publish('signals.generated', signal(1));
    fake.failWith.push(new RedisCommandError('NOPERM'));
    await publisher.publish('signals.generated', signal(2));
    fake.down();
    await publisher.publish('orders.executed', order(1));
    await publisher.publish('orders.executed', order(2));
    fake.up();
    await waitFor(() => publisher.stats().buffered === 0);

    const subscriber = new EventSubscriber(client);
    onCleanup(() => subscriber.close());
    subscriber.onInvalid(() => undefined);
    await subscriber.on('signals.generated', () => undefined);
    await client.publish('signals.generated', 'garbage');
    await client.publish('signals.generated', signal(3).toWire());
    await waitFor(() => subscriber.stats().received === 2);

    const prices = new PriceCache(client);
    await prices.set({ symbol: 'AAPL', bid: '1', ask: '1.2', mid: '1.1', timestamp: new Date() });
    await client.set(prices.key('BAD'), '{}');
    await prices.getMany(['AAPL', 'BAD', 'NONE']);
    await new EventStream(client, { keyPrefix: 'pm:' }).append(order());

    const s = await scrape(registry);
    const c = cache.stats();
    const req = (tier: string, outcome: string): number | undefined => s.value(`${P}cache_requests_total`, { tier, outcome });
    expect(s.sum(`${P}cache_requests_total`, { outcome: 'hit' })).toBe(c.hits);
    expect(req('local', 'hit')).toBe(c.localHits);
    expect(s.sum(`${P}cache_requests_total`) - s.sum(`${P}cache_requests_total`, { outcome: 'hit' })).toBe(c.misses);
    expect([req('redis', 'corrupt'), req('redis', 'foreign'), req('redis', 'unsupported')]).toEqual([c.corrupt, c.foreign, c.unsupported]);
    expect(s.value(`${P}cache_writes_total`, { outcome: 'written' })).toBe(c.sets);
    expect(s.value(`${P}cache_writes_total`, { outcome: 'oversized' })).toBe(c.oversized);
    expect(c.oversized).toBe(2);
    expect(s.value(`${P}cache_writes_total`, { outcome: 'refused' })).toBe(2);
    expect(s.value(`${P}cache_single_flight_joins_total`)).toBe(1);
    expect(s.value(`${P}cache_compute_duration_seconds_count`, { outcome: 'ok' })).toBe(1);
    expect(s.value(`${P}cache_read_duration_seconds_count`, { operation: 'getMany' })).toBe(1);
    expect(s.value(`${P}cache_read_duration_seconds_count`, { operation: 'get' })).toBe(1);
    expect(s.value(`${P}cache_read_duration_seconds_count`, { operation: 'getMatrix' })).toBe(1);

    const p = publisher.stats();
    const pub = (ch: string, outcome: string): number => s.sum(`${P}publish_total`, { channel: ch, outcome });
    expect(pub('signals.generated', 'published')).toBe(1);
    for (const outcome of ['failed', 'rejected', 'replayed', 'dropped'] as const) {
      expect([outcome, s.sum(`${P}publish_total`, { outcome })]).toEqual([outcome, p[outcome]]);
    }
    expect(pub('orders.executed', 'buffered')).toBe(2);

    const sub = subscriber.stats();
    expect(s.sum(`${P}subscriber_messages_total`, { channel: 'signals.generated', outcome: 'received' })).toBe(sub.received);
    expect(s.sum(`${P}subscriber_messages_total`, { outcome: 'invalid' })).toBe(sub.invalid);

    const pr = prices.stats();
    expect(s.value(`${P}price_cache_requests_total`, { outcome: 'hit' })).toBe(pr.hits);
    expect(s.sum(`${P}price_cache_requests_total`) - pr.hits).toBe(pr.misses);
    expect(s.value(`${P}price_cache_requests_total`, { outcome: 'invalid' })).toBe(pr.invalid);
    expect(s.value(`${P}price_cache_writes_total`, { outcome: 'written' })).toBe(pr.sets);
    expect(s.value(`${P}stream_appends_total`, { outcome: 'appended' })).toBe(1);
    // Commands are timed by name; the embedded server refuses nothing here.
    expect(s.value(`${P}client_command_duration_seconds_count`, { operation: 'MGET' })).toBeGreaterThan(0);
    expect(s.find(`${P}client_command_errors_total`)).toEqual([]);
  });

  it('count failed commands by SDK error class', async () => {
    const registry = metrics();
    const { client } = await embeddedPair();
    await client.close();
    await expect(client.get('k')).rejects.toThrow();
    await expect(client.publish('c', 'm')).rejects.toThrow();
    const s = await scrape(registry);
    expect(s.value(`${P}client_command_errors_total`, { operation: 'GET', class: 'RedisClosedError' })).toBe(1);
    expect(s.value(`${P}client_command_errors_total`, { operation: 'PUBLISH', class: 'RedisClosedError' })).toBe(1);
  });

  it('label the error class by its spelled-out name, which a minifier renaming the class leaves alone', async () => {
    const registry = metrics();
    const { client } = await embeddedPair();
    await client.close();
    const original = Object.getOwnPropertyDescriptor(RedisClosedError, 'name') as PropertyDescriptor;
    Object.defineProperty(RedisClosedError, 'name', { ...original, value: 'e' });
    try {
      await expect(client.get('k')).rejects.toMatchObject({ name: 'RedisClosedError' });
    } finally {
      Object.defineProperty(RedisClosedError, 'name', original);
    }
    expect((await scrape(registry)).value(`${P}client_command_errors_total`, { operation: 'GET', class: 'RedisClosedError' })).toBe(1);
    // A subclass of the application's own is named by its class.
    class AppError extends RedisCommandError {}
    expect(new AppError('x').name).toBe('AppError');
  });

  it('count failed round trips of caches by operation: equal to stats().errors', async () => {
    const registry = metrics();
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client, { prefix: 'pme' });
    const prices = new PriceCache(client);
    let s = await scrape(registry);
    // Every operation's series is there from the first scrape, at 0.
    expect(s.find(`${P}cache_errors_total`)).toHaveLength(10);
    expect(s.sum(`${P}cache_errors_total`)).toBe(0);
    expect(s.find(`${P}price_cache_errors_total`).map((x) => x.labels.operation).sort()).toEqual(['get', 'getMany', 'set']);
    await client.close();
    await cache.get('A', DATE);
    await cache.getMany(['A', 'B'], DATE);
    await cache.getMatrix(['A'], DATE);
    await cache.set('A', DATE, { a: 1 });
    await cache.setMany(DATE, [['A', { a: 1 }]]);
    await cache.invalidate('A', DATE);
    await cache.invalidateSymbol('A');
    await cache.invalidateDate(DATE);
    await cache.serverStats();
    await cache.getStats();
    await prices.get('AAPL');
    await prices.getMany(['AAPL', 'MSFT']);
    await prices.set({ symbol: 'AAPL', bid: '1', ask: '1.2', mid: '1.1', timestamp: new Date() });
    s = await scrape(registry);
    const cacheErrors = Object.fromEntries(s.find(`${P}cache_errors_total`).map((x) => [x.labels.operation, x.value]));
    expect(cacheErrors).toEqual({
      get: 1,
      getMany: 1,
      getMatrix: 1,
      set: 1,
      setMany: 1,
      invalidate: 1,
      invalidateSymbol: 1,
      invalidateDate: 1,
      serverStats: 1,
      getStats: 1,
    });
    expect(s.sum(`${P}cache_errors_total`)).toBe(cache.stats().errors);
    expect(s.sum(`${P}price_cache_errors_total`)).toBe(prices.stats().errors);
    expect(prices.stats().errors).toBe(3);
  });
});

describe('registry.resetMetrics()', () => {
  it('zeroes the counters, drops what was not collected yet, and brings back the series that exist from the start', async () => {
    const registry = metrics();
    const writes = channel(N.CACHE_WRITE);
    const outcome = channel(N.PUBLISH_OUTCOME);
    const fresh = (await scrape(registry)).samples.filter((x) => x.name.endsWith('_total'));
    expect(fresh.length).toBeGreaterThan(20);
    writes.publish({ operation: 'set', written: 2, failed: 0, oversized: 0, refused: 0, errors: 0 });
    outcome.publish({ channel: 'signals.generated', outcome: 'published', buffered: 0 });
    expect((await scrape(registry)).value(`${P}cache_writes_total`, { outcome: 'written' })).toBe(2);
    // Counted after the last scrape, before the reset: gone with it.
    writes.publish({ operation: 'set', written: 5, failed: 0, oversized: 0, refused: 0, errors: 0 });
    registry.resetMetrics();
    let s = await scrape(registry);
    expect(s.samples.filter((x) => x.name.endsWith('_total'))).toEqual(fresh);
    expect(s.find(`${P}publish_total`)).toEqual([]);
    // Counting goes on from 0, for new and known series alike.
    writes.publish({ operation: 'set', written: 1, failed: 0, oversized: 0, refused: 0, errors: 0 });
    outcome.publish({ channel: 'signals.generated', outcome: 'published', buffered: 0 });
    s = await scrape(registry);
    expect(s.value(`${P}cache_writes_total`, { outcome: 'written' })).toBe(1);
    expect(s.value(`${P}publish_total`, { channel: 'signals.generated', outcome: 'published' })).toBe(1);
  });
});

describe('duration histograms', () => {
  it('expose cumulative buckets, +Inf, sum and count in seconds, and clear on resetMetrics()', async () => {
    const registry = metrics({ buckets: [0.001, 0.01, 0.1] });
    const asyncEnd = channel(`tracing:${N.CLIENT_COMMAND}:asyncEnd`);
    // The listener reads the clock at asyncEnd: a fixed clock makes each duration exact.
    const now = 1_000_000;
    const clock = vi.spyOn(performance, 'now').mockReturnValue(now);
    try {
      for (const agoMs of [0, 5, 5, 50, 5000]) asyncEnd.publish({ command: 'GET', component: 'client', startedAt: now - agoMs });
    } finally {
      clock.mockRestore();
    }
    const s = await scrape(registry);
    const bucket = (le: string): number | undefined => s.value(`${P}client_command_duration_seconds_bucket`, { operation: 'GET', le });
    expect([bucket('0.001'), bucket('0.01'), bucket('0.1'), bucket('+Inf')]).toEqual([1, 3, 4, 5]);
    expect(s.value(`${P}client_command_duration_seconds_count`, { operation: 'GET' })).toBe(5);
    expect(s.value(`${P}client_command_duration_seconds_sum`, { operation: 'GET' })).toBeCloseTo(5.06, 9);
    const json = await registry.getMetricsAsJSON();
    expect(json.find((m) => m.name === `${P}client_command_duration_seconds`)?.values).toHaveLength(6);
    registry.resetMetrics();
    expect((await scrape(registry)).find(`${P}client_command_duration_seconds_count`)).toEqual([]);
  });

  it('time compute calls by outcome, and publishes by channel', async () => {
    const registry = metrics();
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client, { prefix: 'pmc' });
    await cache.getOrCompute('A', DATE, () => ({ a: 1 }));
    await expect(cache.getOrCompute('B', DATE, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(cache.getManyOrCompute(['C'], DATE, () => ({}))).rejects.toThrow();
    await new EventPublisher(client).publishPriceUpdate({ symbol: 'AAPL', price: '1.5' });
    const s = await scrape(registry);
    expect(s.value(`${P}cache_compute_duration_seconds_count`, { outcome: 'ok' })).toBe(2);
    expect(s.value(`${P}cache_compute_duration_seconds_count`, { outcome: 'error' })).toBe(1);
    expect(s.value(`${P}publish_duration_seconds_count`, { channel: 'price.updated.*' })).toBe(1);
  });
});

describe('gauges computed at scrape time', () => {
  it('read the local tiers, publish buffers and connection status of live objects', async () => {
    const registry = metrics();
    const tier = { size: 12 };
    const untrack = trackLive(tier, (t) => ({ kind: 'cache', localEntries: t.size }));
    onCleanup(async () => untrack());
    const fake = new FakePublishClient();
    const publisher = new EventPublisher(fake, { buffer: { maxQueuedEvents: 10 } });
    onCleanup(() => publisher.close());
    fake.down();
    for (let n = 1; n <= 3; n++) await publisher.publish('signals.generated', signal(n));

    const { client } = await embeddedPair();
    const ready = await client.duplicate({ component: 'gauge-test' }).connect();
    onCleanup(() => ready.close());
    let s = await scrape(registry);
    expect(s.value(`${P}cache_local_entries`)).toBeGreaterThanOrEqual(12);
    expect(s.value(`${P}publish_buffer_events`)).toBeGreaterThanOrEqual(3);
    expect(s.value(`${P}publish_buffer_capacity`)).toBeGreaterThanOrEqual(10);
    expect(s.value(`${P}client_connection_status`, { component: 'gauge-test' })).toBe(1);

    // One connection of the component not ready (as a reconnecting client reports itself): the component reads 0.
    const reconnecting = { status: 'reconnecting' as const };
    const untrackDown = trackLive(reconnecting, (c) => ({ kind: 'client', component: 'gauge-test', status: c.status }));
    s = await scrape(registry);
    expect(s.value(`${P}client_connection_status`, { component: 'gauge-test' })).toBe(0);
    expect(reconnecting.status).toBe('reconnecting'); // held until here
    untrackDown();
    expect((await scrape(registry)).value(`${P}client_connection_status`, { component: 'gauge-test' })).toBe(1);
    await ready.close();
    s = await scrape(registry);
    expect(s.value(`${P}client_connection_status`, { component: 'gauge-test' })).toBeUndefined();

    // Replayed: the depth drops by 3; closed: the capacity drops by 10; the tier shrank to 0.
    const depth = s.value(`${P}publish_buffer_events`) ?? 0;
    const capacity = s.value(`${P}publish_buffer_capacity`) ?? 0;
    const entries = s.value(`${P}cache_local_entries`) ?? 0;
    fake.up();
    await waitFor(() => publisher.stats().buffered === 0);
    tier.size = 0;
    s = await scrape(registry);
    expect(s.value(`${P}publish_buffer_events`)).toBe(depth - 3);
    expect(s.value(`${P}cache_local_entries`)).toBe(entries - 12);
    await publisher.close();
    s = await scrape(registry);
    expect(s.value(`${P}publish_buffer_capacity`)).toBe(capacity - 10);
  });

  it('sum the groups of running consumers over their distinct streams, leaving out what could not be read', async () => {
    const registry = metrics();
    const stream = (streamKey: string, pending: number | null, lag: number | null, deadLetterLength: number | null): LiveGroupStream => ({
      streamKey,
      deadLetterKey: `dlq:${streamKey}`,
      pending,
      lag,
      deadLetterLength,
    });
    const consumers: LiveConsumer[] = [
      { kind: 'consumer', group: 'g-one', readGroups: async () => [stream('s1', 5, 2, 1), stream('s2', 3, 0, 4)] },
      // A second consumer of the group in this process reads s1 too: counted once.
      { kind: 'consumer', group: 'g-one', readGroups: async () => [stream('s1', 5, 2, 1)] },
      { kind: 'consumer', group: 'g-two', readGroups: async () => [stream('s1', 7, null, null)] },
    ];
    const holders = consumers.map((c) => ({ c }));
    const untracks = holders.map((h) => trackLive(h, (held) => held.c));
    onCleanup(async () => untracks.forEach((u) => u()));
    const s = await scrape(registry);
    expect(s.value(`${P}stream_pending`, { group: 'g-one' })).toBe(8);
    expect(s.value(`${P}stream_lag`, { group: 'g-one' })).toBe(2);
    expect(s.value(`${P}stream_dead_letter_length`, { group: 'g-one' })).toBe(5);
    expect(s.value(`${P}stream_pending`, { group: 'g-two' })).toBe(7);
    expect(s.value(`${P}stream_lag`, { group: 'g-two' })).toBeUndefined();
    expect(s.value(`${P}stream_dead_letter_length`, { group: 'g-two' })).toBeUndefined();
    expect(holders).toHaveLength(3); // held until here
  });

  it('bound every Redis read of a scrape by collectTimeoutMs, and never fail the scrape', async () => {
    const never = new Promise<never>(() => undefined);
    const stuck = { command: () => never } as unknown as RedisClient;
    vi.useFakeTimers();
    let figures: unknown;
    try {
      const reading = readGroupStreams(stuck, 'g', [{ streamKey: 's', deadLetterKey: 'd' }], 30).then((f) => (figures = f));
      await vi.advanceTimersByTimeAsync(29);
      expect(figures).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await reading;
    } finally {
      vi.useRealTimers();
    }
    expect(figures).toEqual([{ streamKey: 's', deadLetterKey: 'd', pending: null, lag: null, deadLetterLength: null }]);
    // A consumer on the embedded backend (no raw commands): the scrape succeeds without its series.
    const registry = metrics();
    const { client } = await embeddedPair();
    const failing = { c: { kind: 'consumer', group: 'g-embedded', readGroups: (ms: number) => readGroupStreams(client, 'g-embedded', [{ streamKey: 'x', deadLetterKey: 'y' }], ms) } as LiveConsumer };
    const untrack = trackLive(failing, (f) => f.c);
    onCleanup(async () => untrack());
    const s = await scrape(registry);
    expect(s.find(`${P}stream_pending`, { group: 'g-embedded' })).toEqual([]);
    expect(failing.c.group).toBe('g-embedded'); // held until here
  });
});

describe('scrape-time group reads', () => {
  it('read XINFO GROUPS and XLEN once each, never retried, and left out of client:command', async () => {
    const sent: string[][] = [];
    const backend = {
      kind: 'standalone',
      endpoint: 'fake',
      raw: undefined,
      onSignal: () => undefined,
      isReady: () => true,
      mapError: (err: unknown) => err,
      sendCommand: (args: readonly string[]) => {
        sent.push([...args]);
        return Promise.reject(new RedisConnectionError('connection reset'));
      },
    } as unknown as Backend;
    const options: InternalClientOptions = { retry: { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 }, [BACKEND_FACTORY]: () => backend };
    const client = new RedisClient(options);
    const traced: unknown[] = [];
    const onEnd = (context: unknown): void => void traced.push(context);
    subscribe(`tracing:${N.CLIENT_COMMAND}:asyncEnd`, onEnd);
    try {
      const figures = await readGroupStreams(client, 'g', [{ streamKey: 's', deadLetterKey: 'd' }], 1000);
      expect(figures).toEqual([{ streamKey: 's', deadLetterKey: 'd', pending: null, lag: null, deadLetterLength: null }]);
      // The same failure on a command of the application's is retried and traced.
      await expect(client.command(['XLEN', 'd'], { idempotent: true })).rejects.toBeInstanceOf(RedisConnectionError);
    } finally {
      unsubscribe(`tracing:${N.CLIENT_COMMAND}:asyncEnd`, onEnd);
    }
    expect(sent.slice(0, 2)).toEqual([
      ['XINFO', 'GROUPS', 's'],
      ['XLEN', 'd'],
    ]);
    expect(sent.length).toBeGreaterThan(3);
    expect(traced).toHaveLength(1);
  });
});

describe('groupFields (XINFO GROUPS replies)', () => {
  const resp2 = [
    ['name', 'other', 'consumers', 1, 'pending', 9, 'last-delivered-id', '0-0', 'entries-read', null, 'lag', 1],
    ['name', 'risk', 'consumers', 2, 'pending', 4, 'last-delivered-id', '1-0', 'entries-read', 3, 'lag', 0],
  ];
  it.each<[string, unknown]>([
    ['RESP2 field/value lists', resp2],
    ['RESP3 maps', resp2.map((fields) => new Map(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]])))],
    ['RESP3 objects', resp2.map((fields) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]])))],
    ['Buffers', resp2.map((fields) => fields.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)))],
  ])('finds the group in %s', (_kind, reply) => {
    const fields = groupFields(reply, 'risk');
    expect(fields?.get('consumers')).toBe(2);
    expect(String(fields?.get('pending'))).toBe('4');
    expect(groupFields(reply, 'absent')).toBeUndefined();
  });

  it('reads nothing from a reply that is not a list', () => {
    expect(groupFields(null, 'risk')).toBeUndefined();
    expect(groupFields('ERR', 'risk')).toBeUndefined();
  });
});
