/** Shared builders for the event-bus unit tests: embedded clients on one server, sample events. */
import { afterEach } from 'vitest';
import { createEmbeddedServer } from '../../../src/embedded.js';
import type { EmbeddedServer } from '../../../src/embedded.js';
import type { RedisClient } from '../../../src/client/redis-client.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';

export { waitFor } from '../wait-for.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Registers `fn` to run after the current test (last registered runs first). */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

/** A fresh embedded server and a connected client on it, closed after the test. */
export async function embeddedPair(): Promise<{ server: EmbeddedServer; client: RedisClient }> {
  const server = createEmbeddedServer();
  const client = await server.createClient().connect();
  onCleanup(() => client.close());
  return { server, client };
}

/** A valid SignalEvent whose `numSignals` is `n`, to tell events apart. */
export function signal(n: number): SignalEvent {
  return new SignalEvent({ strategyId: 'alpha_baseline', symbols: ['AAPL'], numSignals: n, asOfDate: '2025-01-17' });
}

/** A valid OrderEvent. */
export function order(numOrders = 3): OrderEvent {
  return new OrderEvent({
    runId: '550e8400-e29b-41d4-a716-446655440000',
    strategyId: 'alpha_baseline',
    numOrders,
    numAccepted: numOrders,
    numRejected: 0,
  });
}

/** A valid PositionEvent. */
export function position(): PositionEvent {
  return new PositionEvent({ symbol: 'AAPL', action: 'buy', qtyChange: 100, newQty: 100, price: '150.25', strategyId: 's' });
}
