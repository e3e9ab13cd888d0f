/**
 * The SSE hub on a book driven directly (no Redis, no sockets: a recording response): totals-only
 * updates, the spacing of a client's messages measured where they are written, and `status`
 * messages for prices that change nothing a client shows.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/harness/index.js';
import { PnlBook } from '../src/book.js';
import type { Fill } from '../src/book.js';
import { PnlCurves } from '../src/curve.js';
import { SseHub } from '../src/sse.js';
import type { SnapshotMessage, StatusMessage, UpdateMessage } from '../src/sse.js';

interface Written {
  event: string;
  data: unknown;
  /** `performance.now()` when the write returned. */
  writtenAt: number;
}

/** The part of a `ServerResponse` the hub uses; records each message and can make a write slow. */
class RecordingResponse extends EventEmitter {
  readonly writableLength = 0;
  readonly messages: Written[] = [];
  /** How long the n-th message's write takes (busy, as serialising or copying a big message would). */
  writeMs: (n: number) => number = () => 0;

  writeHead(): this {
    return this;
  }

  write(text: string): boolean {
    const event = /^event: (.*)$/m.exec(text)?.[1];
    if (event !== undefined) {
      const until = performance.now() + this.writeMs(this.messages.length);
      while (performance.now() < until);
      this.messages.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? 'null'), writtenAt: performance.now() });
    }
    return true;
  }

  end(): this {
    this.emit('close');
    return this;
  }

  of<T>(event: string): T[] {
    return this.messages.filter((m) => m.event === event).map((m) => m.data as T);
  }
}

const hubs: SseHub[] = [];
afterEach(() => {
  for (const hub of hubs.splice(0)) hub.close();
});

function start(maxMessagesPerSecond = 10): { book: PnlBook; hub: SseHub; attach(strategy?: string): RecordingResponse } {
  const book = new PnlBook();
  const hub = new SseHub(book, new PnlCurves(book, 600), { maxMessagesPerSecond, heartbeatMs: 60_000, staleAfterMs: 10_000, curveIntervalMs: 1000 });
  hubs.push(hub);
  return {
    book,
    hub,
    attach(strategy) {
      const res = new RecordingResponse();
      hub.attach(res as unknown as ServerResponse, strategy);
      return res;
    },
  };
}

let clock = Date.UTC(2024, 3, 1, 14, 30);
const fill = (strategyId: string, symbol: string, qtyChange: number, newQty: number, price: string): Fill => ({ strategyId, symbol, qtyChange, newQty, price, timestampMs: (clock += 1000) });

describe('SSE hub', () => {
  it('sends an update when only the totals changed: a position opened and closed between two messages', async () => {
    const { book, attach } = start();
    book.applyFill(fill('s2', 'KO', 5, 5, '60'));
    const all = attach();
    const other = attach('s2');
    expect(all.of<SnapshotMessage>('snapshot')[0]).toMatchObject({ realized_pl: '0', curve_interval_ms: 1000 });
    // Within one tick: no row changes, but 100 is realized.
    book.applyFill(fill('s1', 'X', 10, 10, '100'));
    book.applyFill(fill('s1', 'X', -10, 0, '110'));
    await waitFor(() => all.of('update').length > 0, { description: 'an update after the round trip' });
    expect(all.of<UpdateMessage>('update')).toEqual([
      expect.objectContaining({ positions: [], removed: [], totals: expect.objectContaining({ realized_pl: '100', total_pl: '100', total_positions: 1 }) }),
    ]);
    expect(all.messages.at(-1)?.data).toMatchObject({ point: { total_pl: '100' } });
    // Its totals (strategy s2) did not change: it got nothing in that round.
    expect(other.messages.map((m) => m.event)).toEqual(['snapshot']);
  });

  it('spaces a client messages at least 1 / maxMessagesPerSecond apart from when each was written, however long a write takes', async () => {
    const { book, attach } = start(25);
    book.applyFill(fill('s1', 'A', 10, 10, '100'));
    const res = attach();
    // Every other message takes 30 ms to write (of a 40 ms interval).
    res.writeMs = (n) => (n % 2 === 1 ? 30 : 0);
    let price = 100;
    const feeding = setInterval(() => book.applyPrice('A', (price += 0.01).toFixed(2), Date.now()), 2);
    try {
      await waitFor(() => res.messages.length >= 12, { timeoutMs: 20_000, description: '12 messages' });
    } finally {
      clearInterval(feeding);
    }
    const gaps = res.messages.slice(1).map((m, i) => m.writtenAt - (res.messages[i] as Written).writtenAt);
    expect(Math.min(...gaps), `gaps ${gaps.map((g) => g.toFixed(1)).join(', ')} ms`).toBeGreaterThanOrEqual(1000 / 25);
  });

  it('sends the time of the last price in a status message when no other message carries it', async () => {
    const { book, attach } = start();
    book.applyFill(fill('s1', 'AAPL', 10, 10, '100'));
    const holder = attach();
    const other = attach('s2');
    expect(other.of<SnapshotMessage>('snapshot')[0]?.last_price_at).toBeNull();

    // A price of a symbol nobody holds: nothing to update, only the time of the last price.
    book.applyPrice('NVDA', '120', Date.now(), Date.UTC(2024, 3, 1, 15));
    await waitFor(() => other.of('status').length === 1 && holder.of('status').length === 1, { description: 'a status message to each client' });
    expect(other.of<StatusMessage>('status')[0]).toEqual({ last_price_at: '2024-04-01T15:00:00.000Z', timestamp: expect.stringMatching(/Z$/) });
    expect(holder.of('update')).toEqual([]);

    // A price of a held symbol: the holder's update carries the time, so only the other client gets a status.
    book.applyPrice('AAPL', '101', Date.now(), Date.UTC(2024, 3, 1, 15, 0, 5));
    await waitFor(() => other.of('status').length === 2, { description: 'a second status message' });
    expect(other.of<StatusMessage>('status')[1]?.last_price_at).toBe('2024-04-01T15:00:05.000Z');
    expect(holder.of<UpdateMessage>('update')).toEqual([expect.objectContaining({ last_price_at: '2024-04-01T15:00:05.000Z' })]);
    expect(holder.of('status')).toHaveLength(1);
    expect(other.of('update')).toEqual([]);
  });
});
