import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as sdk from '../../../src/index.js';
import { DIAGNOSTICS_CHANNELS as N, traceAsync } from '../../../src/diagnostics/channels.js';
import type {
  CacheComputeContext,
  CacheJoinMessage,
  CacheLookupMessage,
  CacheReadContext,
  CacheWriteMessage,
  ClientCommandContext,
  ClientReconnectMessage,
  ClientStatusMessage,
  PublishContext,
  PublishOutcomeMessage,
  StreamAppendMessage,
  SubscriberMessage,
} from '../../../src/diagnostics/payloads.js';
import { FeatureCache } from '../../../src/cache/feature-cache.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { patternLabel } from '../../../src/events/channel-label.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import { EventStream } from '../../../src/streams/event-stream.js';
import { PriceCache } from '../../../src/prices/price-cache.js';
import { RedisClosedError, RedisCommandError, RedisTimeoutError } from '../../../src/internal/errors.js';
import { CommandRunner } from '../../../src/client/command-runner.js';
import type { Backend, BackendSignal, ReconnectPolicy } from '../../../src/client/backend.js';
import { Connection } from '../../../src/client/connection.js';
import { resolveClientOptions } from '../../../src/client/options.js';
import { silentLogger } from '../../../src/internal/logger.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { embeddedPair, onCleanup, order, signal, waitFor } from '../../harness/events/helpers.js';
import {
  cacheStatsFrom,
  priceStatsFrom,
  publisherStatsFrom,
  recordChannels,
  subscriberStatsFrom,
  withoutHitRate,
  type Recorder,
  type TraceEvent,
} from './recorder.js';

const DATE = '2025-01-17';
let recorder: Recorder | undefined;

function record(events?: readonly TraceEvent[]): Recorder {
  recorder = recordChannels(events);
  return recorder;
}

afterEach(() => {
  recorder?.stop();
  recorder = undefined;
});

const lookup = (operation: CacheLookupMessage['operation'], counts: Partial<Omit<CacheLookupMessage, 'operation'>>): CacheLookupMessage => ({
  operation,
  localHits: 0,
  redisHits: 0,
  absent: 0,
  corrupt: 0,
  foreign: 0,
  unsupported: 0,
  failed: 0,
  errors: 0,
  ...counts,
});

describe('DIAGNOSTICS_CHANNELS', () => {
  it('is a frozen, public list of distinct names under trading-platform:', () => {
    expect(sdk.DIAGNOSTICS_CHANNELS).toBe(N);
    expect(Object.isFrozen(N)).toBe(true);
    const names = Object.values(N);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^trading-platform:[a-z]+:[a-z-]+$/);
  });
});

describe('traceAsync', () => {
  /** The events of one traced call, with the context fields each saw. */
  async function events(subscribeTo: readonly TraceEvent[], fail: boolean, useNode: boolean): Promise<string[]> {
    const name = `trading-platform-test:trace:${subscribeTo.join('-')}`;
    const tc = tracingChannel<unknown, { id: number; result?: unknown; error?: unknown }>(name);
    const seen: string[] = [];
    const handlers = subscribeTo.map((event) => [`tracing:${name}:${event}`, (ctx: unknown) => seen.push(`${event} ${JSON.stringify(ctx)}`)] as const);
    for (const [channel, fn] of handlers) subscribe(channel, fn);
    const run = (): Promise<string> => (fail ? Promise.reject(new Error('boom')) : Promise.resolve('done'));
    const context = { id: 1 };
    const traced = useNode ? tc.tracePromise(run, context) : traceAsync(tc, context, run);
    await traced.catch(() => undefined);
    for (const [channel, fn] of handlers) unsubscribe(channel, fn);
    return seen;
  }

  it.each([false, true])('publishes asyncStart/asyncEnd/error as TracingChannel.tracePromise does (failing: %s)', async (fail) => {
    // Only asyncEnd and error: the fast path.
    expect(await events(['asyncStart', 'asyncEnd', 'error'], fail, false)).toEqual(await events(['asyncStart', 'asyncEnd', 'error'], fail, true));
    // With start and end: traceAsync hands over to tracePromise itself.
    expect(await events(['start', 'end', 'asyncStart', 'asyncEnd', 'error'], fail, false)).toEqual(
      await events(['start', 'end', 'asyncStart', 'asyncEnd', 'error'], fail, true),
    );
  });

  it('settles as the traced call does, and reports a synchronous throw on error', async () => {
    const tc = tracingChannel<unknown, { result?: unknown; error?: unknown }>('trading-platform-test:trace:sync');
    const errors: unknown[] = [];
    const onError = (ctx: unknown): void => void errors.push((ctx as { error: unknown }).error);
    subscribe('tracing:trading-platform-test:trace:sync:error', onError);
    try {
      await expect(traceAsync(tc, {}, () => Promise.resolve(7))).resolves.toBe(7);
      const thrown = new Error('sync');
      expect(() =>
        traceAsync(tc, {}, () => {
          throw thrown;
        }),
      ).toThrow(thrown);
      expect(errors).toEqual([thrown]);
    } finally {
      unsubscribe('tracing:trading-platform-test:trace:sync:error', onError);
    }
  });
});

describe('feature cache channels', () => {
  it('report every read, write, computation and join with counts, and add up to stats()', async () => {
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client, { prefix: 'dc', maxValueBytes: 200 });
    await cache.set('AAPL', DATE, { a: 1 });
    await client.set(cache.key('BAD', DATE), 'not json {');
    await client.set(cache.key('FOR', DATE), '{"a": "text"}');
    await client.set(cache.key('NEW', DATE), Buffer.from([0, 0x46, 0x36, 0x34, 2]));
    cache.resetStats();
    const r = record();

    expect(await cache.get('AAPL', DATE)).toEqual({ a: 1 });
    await cache.getMany(['AAPL', 'MSFT', 'BAD', 'FOR', 'NEW'], DATE);
    await cache.getMatrix(['AAPL', 'MSFT'], DATE);
    expect(await cache.set('BIG', DATE, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i])))).toBe(false);
    expect(await cache.setMany(DATE, [['X', { a: 2 }], ['Y', { a: 3 }]])).toBe(true);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const computed = cache.getOrCompute('Z', DATE, async () => {
      await gate;
      return { z: 1 };
    });
    await waitFor(() => r.traced(N.CACHE_COMPUTE, 'start').length === 1);
    const joined = cache.getManyOrCompute(['Z', 'W'], DATE, () => ({ W: { w: 1 } }));
    const second = cache.getOrCompute('Z', DATE, () => ({ z: 2 }));
    release();
    expect(await computed).toEqual({ z: 1 });
    expect(await second).toEqual({ z: 1 });
    expect(await joined).toEqual(new Map([['Z', { z: 1 }], ['W', { w: 1 }]]));
    await expect(cache.getOrCompute('E', DATE, () => Promise.reject(new Error('compute failed')))).rejects.toThrow('compute failed');
    expect(await cache.invalidate('X', DATE)).toBe(true);

    expect(r.traced<CacheReadContext>(N.CACHE_READ, 'start').map((c) => [c.operation, c.keys])).toEqual([
      ['get', 1],
      ['getMany', 5],
      ['getMatrix', 2],
    ]);
    const ends = r.traced<CacheReadContext>(N.CACHE_READ, 'asyncEnd');
    expect(ends).toHaveLength(3);
    for (const end of ends) expect(typeof end.startedAt).toBe('number');
    expect(ends[0]?.result).toEqual({ a: 1 });
    expect(r.plain<CacheLookupMessage>(N.CACHE_LOOKUP)).toEqual([
      lookup('get', { redisHits: 1 }),
      lookup('getMany', { redisHits: 1, absent: 1, corrupt: 1, foreign: 1, unsupported: 1 }),
      lookup('getMatrix', { redisHits: 1, absent: 1 }),
      lookup('get', { absent: 1 }), // getOrCompute('Z')
      lookup('getMany', { absent: 2 }), // getManyOrCompute(['Z', 'W'])
      lookup('get', { absent: 1 }), // getOrCompute('E')
    ]);
    expect(r.plain<CacheWriteMessage>(N.CACHE_WRITE)).toEqual([
      { operation: 'set', written: 0, failed: 0, oversized: 1, refused: 0, errors: 0 },
      { operation: 'setMany', written: 2, failed: 0, oversized: 0, refused: 0, errors: 0 },
      { operation: 'set', written: 1, failed: 0, oversized: 0, refused: 0, errors: 0 }, // Z
      { operation: 'setMany', written: 1, failed: 0, oversized: 0, refused: 0, errors: 0 }, // W
    ]);
    // The second getOrCompute('Z') joined the flight in progress at once, getManyOrCompute's Z after its read.
    expect(r.plain<CacheJoinMessage>(N.CACHE_JOIN)).toEqual([{ operation: 'getOrCompute' }, { operation: 'getManyOrCompute' }]);
    const computes = r.traced<CacheComputeContext>(N.CACHE_COMPUTE, 'asyncEnd');
    expect(computes.map((c) => [c.operation, c.keys, 'error' in c])).toEqual([
      ['getOrCompute', 1, false],
      ['getManyOrCompute', 1, false],
      ['getOrCompute', 1, true],
    ]);
    expect(r.plain(N.CACHE_INVALIDATE)).toEqual([{ operation: 'invalidate', deleted: 1, errors: 0 }]);
    expect(await cache.serverStats()).not.toBeNull();
    expect(r.plain(N.CACHE_INFO)).toEqual([{ operation: 'serverStats', errors: 0 }]);
    expect(cacheStatsFrom(r)).toEqual(withoutHitRate(cache.stats()));
    // Every cache read and write above went through the client: each command is traced with its name.
    const commands = r.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'asyncEnd').map((c) => c.command);
    expect(commands).toEqual(expect.arrayContaining(['GET', 'MGET', 'SET', 'DEL']));
    expect(new Set(r.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'asyncEnd').map((c) => c.component))).toEqual(new Set(['client']));
  });

  it('reports a failed read as failed keys and one error, and failed writes and invalidations', async () => {
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client, { prefix: 'dcf' });
    await client.close();
    const r = record();
    expect(await cache.get('A', DATE)).toBeNull();
    await cache.getMany(['A', 'B', 'C'], DATE);
    expect(await cache.setMany(DATE, [['A', { a: 1 }], ['B', { b: 1 }]])).toBe(false);
    expect(await cache.invalidateSymbol('A')).toBe(0);
    expect(r.plain<CacheLookupMessage>(N.CACHE_LOOKUP)).toEqual([lookup('get', { failed: 1, errors: 1 }), lookup('getMany', { failed: 3, errors: 1 })]);
    expect(r.plain(N.CACHE_WRITE)).toEqual([{ operation: 'setMany', written: 0, failed: 2, oversized: 0, refused: 0, errors: 1 }]);
    expect(r.plain(N.CACHE_INVALIDATE)).toEqual([{ operation: 'invalidateSymbol', deleted: 0, errors: 1 }]);
    // A failed INFO counts in stats().errors: it is published too.
    expect(await cache.serverStats()).toBeNull();
    expect(await cache.getStats()).toEqual({});
    expect(r.plain(N.CACHE_INFO)).toEqual([
      { operation: 'serverStats', errors: 1 },
      { operation: 'getStats', errors: 1 },
    ]);
    expect(cache.stats().errors).toBe(6);
    const failures = r.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'error');
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f.error).toBeInstanceOf(RedisClosedError);
    expect(cacheStatsFrom(r)).toEqual(withoutHitRate(cache.stats()));
  });

  it('reports the vectors of a setMany refused with an oversized one', async () => {
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client, { prefix: 'dcr', maxValueBytes: 100 });
    const big = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, i]));
    const r = record();
    expect(await cache.setMany(DATE, [['A', { a: 1 }], ['B', big], ['C', { c: 1 }]])).toBe(false);
    expect(r.plain(N.CACHE_WRITE)).toEqual([{ operation: 'setMany', written: 0, failed: 0, oversized: 1, refused: 2, errors: 0 }]);
    expect(await cache.get('A', DATE)).toBeNull();
    expect(cacheStatsFrom(r)).toEqual(withoutHitRate(cache.stats()));
  });

  it('publishes a join only for a flight that computes, not for one whose read hit', async () => {
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client, { prefix: 'dcj' });
    await cache.set('HIT', DATE, { a: 1 });
    const r = record();
    let calls = 0;
    const compute = (): Record<string, number> => {
      calls += 1;
      return { a: 2 };
    };
    // Three callers of a cached key share one read: nothing was computed, nothing joined a computation.
    await Promise.all([1, 2, 3].map(() => cache.getOrCompute('HIT', DATE, compute)));
    expect(calls).toBe(0);
    expect(r.plain(N.CACHE_JOIN)).toEqual([]);
    // An absent key: a caller that joins during the flight's read is published when the flight computes...
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated = async (): Promise<Record<string, number>> => {
      calls += 1;
      await gate;
      return { a: 2 };
    };
    const first = cache.getOrCompute('MISS', DATE, gated);
    const second = cache.getOrCompute('MISS', DATE, gated);
    await waitFor(() => calls === 1);
    expect(r.plain<CacheJoinMessage>(N.CACHE_JOIN)).toEqual([{ operation: 'getOrCompute' }]);
    // ...and one that joins while it computes, at once.
    const many = cache.getManyOrCompute(['MISS', 'HIT'], DATE, () => ({}));
    await waitFor(() => r.plain(N.CACHE_JOIN).length === 2);
    release();
    await Promise.all([first, second, many]);
    expect(calls).toBe(1);
    expect(r.plain<CacheJoinMessage>(N.CACHE_JOIN)).toEqual([{ operation: 'getOrCompute' }, { operation: 'getManyOrCompute' }]);
  });

  it('publishes nothing for a call refused before reading', async () => {
    const { client } = await embeddedPair();
    const cache = new FeatureCache(client);
    const r = record();
    await expect(cache.get('bad symbol!', DATE)).rejects.toThrow();
    expect(r.plain(N.CACHE_LOOKUP)).toEqual([]);
    const errors = r.traced<CacheReadContext>(N.CACHE_READ, 'error');
    expect(errors.map((e) => e.operation)).toEqual(['get']);
  });
});

describe('publisher channels', () => {
  it('report each outcome with the buffer depth, and add up to stats()', async () => {
    const client = new FakePublishClient();
    const stream = { append: (): Promise<string> => Promise.reject(new Error('stream down')) };
    const publisher = new EventPublisher(client, { buffer: { maxQueuedEvents: 2 }, stream });
    onCleanup(() => publisher.close());
    const r = record();
    expect(await publisher.publish('signals.generated', signal(1))).toBe(1);
    client.failWith.push(new RedisCommandError('NOPERM'));
    expect(await publisher.publish('orders.executed', order())).toBeNull();
    client.down();
    for (let n = 2; n <= 4; n++) expect(await publisher.publish('signals.generated', signal(n))).toBeNull();
    const price = new PriceUpdateEvent({ symbol: 'AAPL', price: '150.25' });
    expect(await publisher.publishPriceUpdate(price)).toBeNull();
    client.up();
    await waitFor(() => publisher.stats().buffered === 0);

    const outcomes = r.plain<PublishOutcomeMessage>(N.PUBLISH_OUTCOME);
    const of = (outcome: PublishOutcomeMessage['outcome']): Array<[string, number]> =>
      outcomes.filter((o) => o.outcome === outcome).map((o) => [o.channel, o.buffered]);
    expect(of('published')).toEqual([['signals.generated', 0]]);
    expect(of('rejected')).toEqual([['orders.executed', 0]]);
    expect(of('buffered')).toEqual([
      ['signals.generated', 1],
      ['signals.generated', 2],
      ['signals.generated', 2],
      ['price.updated.*', 2],
    ]);
    // A buffer of 2: signals 2 and 3 were dropped, oldest first.
    expect(of('dropped')).toEqual([
      ['signals.generated', 2],
      ['signals.generated', 2],
    ]);
    expect(of('replayed')).toEqual([
      ['signals.generated', 1],
      ['price.updated.*', 0],
    ]);
    expect(of('stream_failed')).toHaveLength(6);
    expect(of('failed').map(([channel]) => channel)).toEqual(['orders.executed', 'signals.generated']);
    expect(publisherStatsFrom(r)).toEqual(publisher.stats());
    // Live PUBLISHes are traced, labelled by the channel (its family's pattern for a price update).
    expect(r.traced<PublishContext>(N.PUBLISH, 'start').map((c) => c.channel)).toEqual([
      'signals.generated',
      'orders.executed',
      'signals.generated',
    ]);
  });
  it('report an event Redis refuses during a replay with the depth left once it is out of the buffer', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: { maxQueuedEvents: 5 } });
    onCleanup(() => publisher.close());
    client.down();
    await publisher.publish('signals.generated', signal(1));
    await publisher.publish('orders.executed', order());
    const r = record();
    client.failWith.push(new RedisCommandError('NOPERM'));
    client.up();
    await waitFor(() => publisher.stats().buffered === 0);
    expect(r.plain<PublishOutcomeMessage>(N.PUBLISH_OUTCOME).map((m) => [m.channel, m.outcome, m.buffered])).toEqual([
      ['signals.generated', 'failed', 1],
      ['signals.generated', 'rejected', 1],
      ['orders.executed', 'replayed', 0],
    ]);
  });
});

describe('subscriber channels', () => {
  it('report received, invalid, handler errors and drops, and add up to stats()', async () => {
    const { client } = await embeddedPair();
    const subscriber = new EventSubscriber(client);
    onCleanup(() => subscriber.close());
    subscriber.onError(() => undefined);
    subscriber.onInvalid(() => undefined);
    await subscriber.on('signals.generated', () => {
      throw new Error('handler');
    });
    await subscriber.onPattern('price.updated.*', () => Promise.reject(new Error('async handler')));
    const stream = await subscriber.stream('orders.executed', { maxQueuedEvents: 1 });
    const r = record();
    const publisher = new EventPublisher(client);
    await publisher.publish('signals.generated', signal(1));
    await client.publish('signals.generated', '{"not": "an event"}');
    await publisher.publishPriceUpdate({ symbol: 'MSFT', price: '410.5' });
    await publisher.publish('orders.executed', order(1));
    await publisher.publish('orders.executed', order(2));
    await waitFor(() => subscriber.stats().received === 5 && subscriber.stats().handlerErrors === 2);
    await stream.close();

    // Delivery order across channels is the backend's; compare as a multiset.
    const messages = r.plain<SubscriberMessage>(N.SUBSCRIBER_MESSAGE).map((m) => `${m.channel} ${m.outcome}`);
    expect(messages.sort()).toEqual([
      'signals.generated received',
      'signals.generated handler_error',
      'signals.generated received',
      'signals.generated invalid',
      'price.updated.* received',
      'orders.executed received',
      'orders.executed received',
      'orders.executed dropped',
      'price.updated.* handler_error',
    ].sort());
    expect(subscriberStatsFrom(r)).toEqual(subscriber.stats());
  });
});

describe('subscriber channel labels', () => {
  it('keep a family pattern, label a pattern without glob characters as its channel, and any other pattern `pattern`', async () => {
    expect(patternLabel('price.updated.*')).toBe('price.updated.*');
    expect(patternLabel('price.updated.AAPL')).toBe('price.updated.*');
    expect(patternLabel('orders.executed')).toBe('orders.executed');
    expect(patternLabel('custom.channel')).toBe('other');
    for (const glob of ['orders.*', 'price.updated.AAP?', 'price.updated.[AM]*', 'price.updated.\\*', '*']) expect(patternLabel(glob)).toBe('pattern');

    const { client } = await embeddedPair();
    const subscriber = new EventSubscriber(client);
    onCleanup(() => subscriber.close());
    await subscriber.onPattern('price.updated.AAPL', () => undefined);
    await subscriber.onPattern('price.updated.A*', () => undefined);
    const r = record();
    await new EventPublisher(client).publishPriceUpdate({ symbol: 'AAPL', price: '1.5' });
    await waitFor(() => subscriber.stats().received === 2);
    const labels = r.plain<SubscriberMessage>(N.SUBSCRIBER_MESSAGE).map((m) => m.channel);
    expect(labels.sort()).toEqual(['pattern', 'price.updated.*']);
    expect(JSON.stringify(r.messages.map((m) => m.payload))).not.toContain('AAPL');
  });
});

describe('price cache channels', () => {
  it('report every symbol read and every write, and add up to stats()', async () => {
    const { client } = await embeddedPair();
    const prices = new PriceCache(client, { maxAgeMs: 60_000 });
    await prices.set({ symbol: 'AAPL', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date() });
    await prices.set({ symbol: 'OLD', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date(Date.now() - 3_600_000) });
    await client.set(prices.key('BAD'), 'nope');
    prices.resetStats();
    const r = record();
    await prices.get('AAPL');
    await prices.getMany(['AAPL', 'OLD', 'BAD', 'NONE']);
    await prices.set({ symbol: 'MSFT', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date() });
    await client.close();
    await prices.getMany(['AAPL', 'MSFT']);
    expect(await prices.set({ symbol: 'MSFT', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date() })).toBe(false);
    expect(r.plain(N.PRICE_READ)).toEqual([
      { operation: 'get', hits: 1, absent: 0, invalid: 0, stale: 0, failed: 0, errors: 0 },
      { operation: 'getMany', hits: 1, absent: 1, invalid: 1, stale: 1, failed: 0, errors: 0 },
      { operation: 'getMany', hits: 0, absent: 0, invalid: 0, stale: 0, failed: 2, errors: 1 },
    ]);
    expect(r.plain(N.PRICE_WRITE)).toEqual([{ outcome: 'written' }, { outcome: 'error' }]);
    expect(priceStatsFrom(r)).toEqual(withoutHitRate(prices.stats()));
  });
});

describe('stream and client channels', () => {
  it('report appends as they settle', async () => {
    const { client } = await embeddedPair();
    const stream = new EventStream(client, { keyPrefix: 'dcs:' });
    const r = record();
    await stream.append(order());
    await stream.append(new PriceUpdateEvent({ symbol: 'AAPL', price: '1.5' }));
    await client.close();
    await expect(stream.append(order())).rejects.toBeInstanceOf(RedisClosedError);
    expect(r.plain<StreamAppendMessage>(N.STREAM_APPEND)).toEqual([
      { channel: 'orders.executed', outcome: 'appended' },
      { channel: 'price.updated.*', outcome: 'appended' },
      { channel: 'orders.executed', outcome: 'failed' },
    ]);
  });

  it('reports status changes by component, and traces commands with the SDK error class on failure', async () => {
    const r = record();
    const { server } = await embeddedPair();
    const named = server.createClient();
    await named.connect();
    await named.get('k');
    await named.close();
    expect(r.plain<ClientStatusMessage>(N.CLIENT_STATUS).slice(-3)).toEqual([
      { component: 'client', status: 'connecting', previous: 'closed' },
      { component: 'client', status: 'ready', previous: 'connecting' },
      { component: 'client', status: 'closed', previous: 'ready' },
    ]);
    const slow = new sdk.RedisClient({ component: 'slowpoke', commandTimeoutMs: 50 });
    const gets = r.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'asyncEnd').filter((c) => c.command === 'GET');
    expect(gets).toHaveLength(1);
    expect(gets[0]).toMatchObject({ command: 'GET', component: 'client', result: null });
    // A refused command carries its SDK error.
    await expect(slow.get('k')).rejects.toThrow();
    const refused = r.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'error').filter((c) => c.component === 'slowpoke');
    expect(refused).toHaveLength(1);
    expect((refused[0]?.error as Error).name).toBe('RedisUnavailableError');
  });

  it('validates the component option', () => {
    expect(() => new sdk.RedisClient({ component: 'has space' })).toThrow(sdk.ConfigError);
    expect(() => new sdk.RedisClient({ component: '' })).toThrow(/component/);
    expect(() => new sdk.RedisClient({ component: 'x'.repeat(65) })).toThrow(/component/);
  });
});

describe('client:reconnect of a connection that reconnects by its own strategy', () => {
  it('publishes each attempt the backend announces alone, counted from 1 after each loss, its wait measured since the failure', () => {
    let signal: (s: BackendSignal) => void = () => undefined;
    let policy: ReconnectPolicy = () => 0;
    let ready = true;
    const backend = {
      kind: 'standalone',
      endpoint: 'fake',
      isReady: () => ready,
      mapError: (err: unknown) => err,
      onSignal: (listener: (s: BackendSignal) => void) => void (signal = listener),
      destroy: () => undefined,
    } as unknown as Backend;
    const factory = (p: ReconnectPolicy): Backend => {
      policy = p;
      return backend;
    };
    const hooks = { status: () => undefined, error: () => undefined };
    const connection = new Connection(factory, resolveClientOptions({ component: 'own-strategy' }), silentLogger, hooks);
    expect(connection.status).toBe('ready');
    const r = record([]);
    let now = 1000;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      ready = false;
      signal({ type: 'error', error: new Error('reset') });
      signal({ type: 'reconnecting' }); // node-redis tries again at once after a loss
      now = 1005;
      signal({ type: 'error', error: new Error('refused') });
      now = 1025;
      signal({ type: 'reconnecting' }); // after its strategy's 20 ms
      ready = true;
      signal({ type: 'ready' });
      now = 2000;
      signal({ type: 'error', error: new Error('reset') });
      signal({ type: 'reconnecting' });
      // An attempt the SDK's own policy scheduled was published by the policy: its signal adds nothing.
      expect(policy(0, new Error('reset'))).toBeGreaterThan(0);
      signal({ type: 'reconnecting' });
    } finally {
      clock.mockRestore();
    }
    expect(r.plain<ClientReconnectMessage>(N.CLIENT_RECONNECT).map((m) => [m.component, m.attempt, m.delayMs])).toEqual([
      ['own-strategy', 1, 0],
      ['own-strategy', 2, 20],
      ['own-strategy', 1, 0],
      ['own-strategy', 1, expect.any(Number)], // the policy's, from its backoff
    ]);
    connection.destroy();
  });
});

describe('command tracing at the deadline', () => {
  it('ends the trace of a command cut by its deadline once, with the timeout, whatever the late reply', async () => {
    let answer!: (value: string) => void;
    const backend = { isReady: () => true, mapError: (err: unknown) => err } as unknown as Backend;
    const state = { closing: false, status: 'ready', endpoint: 'test', component: 'deadline-test' };
    const runner = new CommandRunner(backend, 1000, { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, state);
    for (const events of [['asyncEnd', 'error'], ['start', 'end', 'asyncStart', 'asyncEnd', 'error']] as const) {
      const r = record(events);
      const late = new Promise<string>((resolve) => (answer = resolve));
      await expect(runner.run('GET', () => late, true, 20)).rejects.toBeInstanceOf(RedisTimeoutError);
      answer('too late');
      await late;
      await new Promise((resolve) => setImmediate(resolve));
      const ends = r.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'asyncEnd');
      expect(ends).toHaveLength(1);
      expect(ends[0]?.error).toBeInstanceOf(RedisTimeoutError);
      expect(ends[0]?.component).toBe('deadline-test');
      expect(r.traced(N.CLIENT_COMMAND, 'error')).toHaveLength(1);
      r.stop();
    }
  });
});
