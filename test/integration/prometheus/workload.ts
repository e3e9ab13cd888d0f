/**
 * The scripted workload of the observability integration tests (issue 14), against a real
 * redis-server and a fault proxy in front of it: feature cache reads of every outcome with a
 * local tier (invalidations, evictions), writes (oversized too), read-or-compute with joins and a
 * failure, publishing through an outage (buffer, drops, replay) and a refusal (NOPERM), a
 * subscriber with invalid messages, a failing handler and a full stream queue, a stream consumer
 * with a backlog, a retry and a dead letter, a price cache of every outcome, appends, and a
 * publisher whose stream sink fails during the outage. Every cache and price operation fails
 * once or more while the proxied connection is down. Hooks
 * let a test look at the process in the middle: during the outage, and while the consumer holds
 * a backlog. Shared by test/integration/prometheus and test/integration/diagnostics.
 */
import { randomUUID } from 'node:crypto';
import { FeatureCache } from '../../../src/cache/feature-cache.js';
import { RedisClient } from '../../../src/client/redis-client.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import type { EventIterator } from '../../../src/events/bounded-queue.js';
import type { AnyEvent } from '../../../src/events/channels.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { PriceCache } from '../../../src/prices/price-cache.js';
import type { Consumer } from '../../../src/streams/consumer.js';
import { EventStream } from '../../../src/streams/event-stream.js';
import { keygen, waitFor } from '../../harness/index.js';
import type { FaultProxyHandle, RedisServerHandle } from '../../harness/index.js';

const DATE = '2025-01-17';
const FAST = { commandTimeoutMs: 1000, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } } as const;

/** What a test may look at while the workload runs. */
export interface WorkloadHooks {
  /** The proxied connection is down; the publisher's buffer is full and has dropped events. */
  duringOutage?(w: Workload): Promise<void>;
  /** The proxied connection is back and the buffer was replayed. */
  afterOutage?(w: Workload): Promise<void>;
  /** The consumer holds one entry in its handler and one read ahead; the rest of the stream waits. */
  duringBacklog?(w: Workload): Promise<void>;
}

/** The objects that did the work, for comparing their `stats()`. */
export interface Workload {
  readonly clients: RedisClient[];
  /** Connects through the proxy; `component` is `proxied`. */
  readonly proxied: RedisClient;
  readonly caches: FeatureCache[];
  /** The publisher with an outage buffer (on the proxied connection). */
  readonly buffered: EventPublisher;
  readonly publishers: EventPublisher[];
  readonly subscriber: EventSubscriber;
  readonly consumer: Consumer<'orders.executed'>;
  readonly group: string;
  readonly streamKey: string;
  readonly deadLetterKey: string;
  readonly prices: PriceCache[];
  /** `EventStream.append` calls that reached Redis, by how they settled. */
  readonly appends: { appended: number; failed: number };
  /** Everything to close, in order. */
  close(): Promise<void>;
}

const signal = (n: number): SignalEvent => new SignalEvent({ strategyId: 'obs', symbols: ['AAPL'], numSignals: n, asOfDate: DATE });
const order = (n: number): OrderEvent => new OrderEvent({ runId: randomUUID(), strategyId: 'obs', numOrders: n, numAccepted: n, numRejected: 0 });
const vector = (n: number): Record<string, number> => ({ alpha: n, beta: n / 2, gamma: -n });

/** Runs the whole workload; see the module comment. */
export async function runWorkload(server: RedisServerHandle, proxy: FaultProxyHandle, hooks: WorkloadHooks = {}): Promise<Workload> {
  const keys = keygen('obs');
  await server.cli('ACL', 'SETUSER', `${keys.prefix}-ro`, 'on', '>pw', '~*', '&*', '+@all', '-publish');
  const direct = await RedisClient.connect({ url: server.url, ...FAST });
  const proxied = await RedisClient.connect({ url: proxy.url, ...FAST, component: 'proxied', retry: { attempts: 1 } });
  const limited = await RedisClient.connect({ url: server.url, ...FAST, username: `${keys.prefix}-ro`, password: 'pw', component: 'limited' });
  const clients = [direct, proxied, limited];
  const closers: Array<() => Promise<void>> = [];

  // Feature cache on the direct connection, with a local tier of 2 vectors.
  const cache = new FeatureCache(direct, { prefix: `${keys.prefix}-fc`, local: { maxEntries: 2 }, maxValueBytes: 2048 });
  closers.push(() => cache.close());
  await cache.ready();
  for (const [i, s] of ['A', 'B', 'C'].entries()) await cache.set(s, DATE, vector(i + 1));
  await direct.set(cache.key('BAD', DATE), '{"alpha": 1');
  await direct.set(cache.key('FOR', DATE), '{"alpha": "high"}');
  await direct.set(cache.key('NEW', DATE), Buffer.from([0, 0x46, 0x36, 0x34, 2]));
  await cache.get('A', DATE);
  await waitFor(async () => (await cache.get('A', DATE)) !== null && cache.stats().localHits > 0, { description: 'a local-tier hit' });
  await cache.getMany(['A', 'B', 'C', 'ABSENT', 'BAD', 'FOR', 'NEW'], DATE);
  await cache.getMatrix(['A', 'B', 'C'], DATE);
  // Another writer changes A: Redis tells the tracking connection.
  await direct.set(cache.key('A', DATE), JSON.stringify(vector(9)));
  await waitFor(async () => (await cache.get('A', DATE))?.alpha === 9, { description: 'the local tier dropped A' });
  await cache.set('BIG', DATE, Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, i + 0.5])));
  await cache.setMany(DATE, [['X', vector(4)], ['Y', vector(5)]]);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let computing = 0;
  const first = cache.getOrCompute('Z', DATE, async () => {
    computing += 1;
    await gate;
    return vector(6);
  });
  await waitFor(() => computing === 1);
  const joined = [cache.getOrCompute('Z', DATE, () => vector(7)), cache.getManyOrCompute(['Z', 'W'], DATE, () => ({ W: vector(8) }))];
  release();
  await Promise.all([first, ...joined]);
  await cache.getOrCompute('E', DATE, () => Promise.reject(new Error('compute failed'))).catch(() => undefined);
  await cache.invalidate('X', DATE);

  // The proxied connection: a cache, a buffering publisher, prices and appends, through an outage.
  const cacheP = new FeatureCache(proxied, { prefix: `${keys.prefix}-fp` });
  const buffered = new EventPublisher(proxied, { buffer: { maxQueuedEvents: 5 } });
  closers.push(() => buffered.close());
  const pricesP = new PriceCache(proxied);
  const streamP = new EventStream(proxied, { keyPrefix: `${keys.prefix}-sp:` });
  const appends = { appended: 0, failed: 0 };
  const counted = async (stream: EventStream, event: AnyEvent): Promise<string> => {
    try {
      const id = await stream.append(event);
      appends.appended += 1;
      return id;
    } catch (err) {
      appends.failed += 1;
      throw err;
    }
  };
  const append = async (stream: EventStream, event: OrderEvent): Promise<void> => {
    await counted(stream, event).catch(() => undefined);
  };
  // A publisher that also appends every event to a stream: its append fails during the outage (stream_failed).
  const sinking = new EventPublisher(proxied, { stream: { append: (event) => counted(streamP, event) } });
  closers.push(() => sinking.close());
  await buffered.publish('signals.generated', signal(1));
  await cacheP.set('P', DATE, vector(1));
  await pricesP.set({ symbol: 'PRX', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date() });
  await append(streamP, order(1));

  const consumerKeys = keygen('obs-stream');
  const stream = new EventStream(direct, { keyPrefix: `${consumerKeys.prefix}:` });
  const w: Workload = {
    clients,
    proxied,
    caches: [cache, cacheP],
    buffered,
    publishers: [buffered, sinking],
    subscriber: new EventSubscriber(direct),
    consumer: undefined as unknown as Consumer<'orders.executed'>,
    group: `${consumerKeys.prefix}-group`,
    streamKey: stream.streamKey('orders.executed'),
    deadLetterKey: stream.deadLetterKey('orders.executed'),
    prices: [pricesP],
    appends,
    async close() {
      await w.consumer?.stop();
      await w.subscriber.close();
      for (const close of closers.reverse()) await close();
      for (const client of clients) await client.close();
    },
  };

  await proxy.setMode('reset');
  await waitFor(() => !proxied.isReady, { description: 'the proxied connection is down' });
  for (let n = 2; n <= 8; n++) await buffered.publish('signals.generated', signal(n));
  await cacheP.get('P', DATE);
  await cacheP.getMany(['P', 'Q', 'R'], DATE);
  await cacheP.set('Q', DATE, vector(2));
  await pricesP.get('PRX');
  await pricesP.set({ symbol: 'PRX', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date() });
  await append(streamP, order(2));
  await cacheP.invalidate('P', DATE);
  await cacheP.serverStats();
  await sinking.publish('orders.executed', order(4));
  await waitFor(() => sinking.stats().streamFailed === 1, { description: 'the sink append failed' });
  await hooks.duringOutage?.(w);
  await proxy.setMode('pass');
  await waitFor(() => proxied.isReady, { timeoutMs: 20_000, description: 'the proxied connection is back' });
  await waitFor(() => buffered.stats().buffered === 0, { timeoutMs: 20_000, description: 'the buffer replayed' });
  await hooks.afterOutage?.(w);

  // Redis refuses PUBLISH to this user: rejected, never buffered.
  const refused = new EventPublisher(limited, { buffer: true });
  closers.push(() => refused.close());
  await refused.publish('orders.executed', order(3));

  // The subscriber: a failing handler, an invalid message, a stream() queue of one that drops.
  const { subscriber } = w;
  subscriber.onInvalid(() => undefined);
  subscriber.onError(() => undefined);
  await subscriber.on('signals.generated', (event) => {
    if (event.numSignals % 2 === 1) throw new Error('odd signals fail');
  });
  const orders: EventIterator<OrderEvent> = await subscriber.stream('orders.executed', { maxQueuedEvents: 1 });
  closers.push(() => orders.close());
  const publisher = new EventPublisher(direct);
  closers.push(() => publisher.close());
  w.publishers.push(refused, publisher);
  await publisher.publish('signals.generated', signal(10));
  await publisher.publish('signals.generated', signal(11));
  await direct.publish('signals.generated', 'not an event');
  for (let n = 1; n <= 3; n++) await publisher.publish('orders.executed', order(n));
  await waitFor(() => subscriber.stats().received === 6 && subscriber.stats().handlerErrors === 1, { description: 'the subscriber saw every message' });

  // The stream consumer: six orders, the first held in the handler (a backlog), one poisoned.
  for (let n = 1; n <= 6; n++) await append(stream, order(n === 4 ? 99 : n));
  let releaseBacklog!: () => void;
  const backlog = new Promise<void>((resolve) => (releaseBacklog = resolve));
  let held = false;
  const consumer = stream.consume({
    channels: ['orders.executed'],
    group: w.group,
    consumer: 'obs-1',
    maxBatchEntries: 1,
    blockMs: 100,
    claimIdleMs: 300,
    maxDeliveries: 2,
    handler: async ({ event }) => {
      if (!held) {
        held = true;
        await backlog;
      }
      if (event.numOrders === 99) throw new Error('poison');
    },
  });
  (w as { consumer: Consumer<'orders.executed'> }).consumer = consumer;
  await waitFor(async () => groupField(await server.cli('XINFO', 'GROUPS', w.streamKey), 'pending') === 2, {
    description: 'one entry in the handler and one read ahead',
  });
  await hooks.duringBacklog?.(w);
  releaseBacklog();
  await waitFor(() => consumer.stats().deadLettered === 1 && consumer.stats().processed === 5 && consumer.stats().pending === 0, {
    timeoutMs: 20_000,
    description: 'five orders processed and the poisoned one dead-lettered',
  });

  // Prices on the direct connection: a hit, a miss, an invalid and a stale one.
  const prices = new PriceCache(direct, { maxAgeMs: 60_000 });
  w.prices.push(prices);
  await prices.set({ symbol: 'AAPL', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date() });
  await prices.set({ symbol: 'OLD', bid: '1.0', ask: '1.2', mid: '1.1', timestamp: new Date(Date.now() - 3_600_000) });
  await direct.set(prices.key('BADP'), '{"symbol": "BADP"}');
  await prices.getMany(['AAPL', 'OLD', 'BADP', 'NONE']);
  return w;
}

/** One field of the group in `redis-cli XINFO GROUPS` output (name/value lines), as a number. */
export function groupField(cliOutput: string, field: string): number | undefined {
  const lines = cliOutput.split('\n');
  const at = lines.indexOf(field);
  return at === -1 ? undefined : Number(lines[at + 1]);
}
