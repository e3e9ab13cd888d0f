/** Shared helpers of the stream integration tests: event factories, clients, delivery records. */
import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import { EventStream, RedisClient } from '../../../src/index.js';
import type { Consumer, Delivery } from '../../../src/index.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import type { AnyEvent } from '../../../src/events/channels.js';
import { keygen } from '../index.js';
import { expectNoUnhandledRejections } from '../client/unhandled.js';

// Every stream test file asserts that no failure path (killed server, cut reads) leaks a rejection.
expectNoUnhandledRejections();

/** The i-th order event of a test run; `strategyId` carries `i` so order can be checked. */
export function orderEvent(i: number): OrderEvent {
  return new OrderEvent({ runId: randomUUID(), strategyId: `s-${i}`, numOrders: i, numAccepted: i, numRejected: 0 });
}

/** One event of each channel for index `i`, cycling signals, orders, positions. */
export function mixedEvent(i: number): AnyEvent {
  if (i % 3 === 0) return new SignalEvent({ strategyId: `s-${i}`, symbols: ['AAPL'], numSignals: i, asOfDate: '2025-01-17' });
  if (i % 3 === 1) return orderEvent(i);
  return new PositionEvent({ symbol: 'AAPL', action: 'buy', qtyChange: i, newQty: i, price: '150.25', strategyId: `s-${i}` });
}

/** Index encoded by {@link orderEvent}/{@link mixedEvent} in `strategyId`. */
export function indexOf(event: AnyEvent): number {
  // Price updates carry no strategy id; these helpers never make one.
  return 'strategyId' in event ? Number(event.strategyId.slice(2)) : Number.NaN;
}

const clients: RedisClient[] = [];
const consumers: Array<Pick<Consumer, 'stop'>> = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** A connected client closed after the test. */
export async function connectClient(url: string, commandTimeoutMs = 2000): Promise<RedisClient> {
  const client = await RedisClient.connect({ url, commandTimeoutMs, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } });
  clients.push(client);
  return client;
}

/** An EventStream with a unique key prefix, so tests sharing a server never meet. */
export function isolatedStream(client: RedisClient, maxEntries?: number): EventStream {
  const prefix = `${keygen('streams').prefix}:`;
  return new EventStream(client, maxEntries === undefined ? { keyPrefix: prefix } : { keyPrefix: prefix, maxEntries });
}

/** Registers `consumer` to be stopped after the test (stop is idempotent). */
export function track<T extends Pick<Consumer, 'stop'>>(consumer: T): T {
  consumers.push(consumer);
  return consumer;
}

/** Handler successes, keyed by event id; `count` over 1 is a duplicate. */
export class DeliveryLog {
  readonly counts = new Map<string, number>();
  readonly streamIds = new Set<string>();
  readonly order: Delivery[] = [];

  record(delivery: Delivery): void {
    this.counts.set(delivery.eventId, (this.counts.get(delivery.eventId) ?? 0) + 1);
    this.streamIds.add(delivery.streamId);
    this.order.push(delivery);
  }

  /** Event ids handled more than once. */
  duplicates(): string[] {
    return [...this.counts].filter(([, n]) => n > 1).map(([id]) => id);
  }
}

/** Appends `events` with at most `concurrency` appends in flight; resolves ids in input order. */
export async function appendAll(stream: EventStream, events: readonly AnyEvent[], concurrency = 64): Promise<string[]> {
  const ids: string[] = new Array<string>(events.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events.length) {
      const i = next++;
      ids[i] = await stream.append(events[i] as AnyEvent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** Prints the reliability counts of a test. */
export function printCounts(test: string, counts: { appended: number; processed: number; duplicates: number; lost: number }): void {
  console.log(`[streams] ${test}: appended=${counts.appended} processed=${counts.processed} duplicates=${counts.duplicates} lost=${counts.lost}`);
}
