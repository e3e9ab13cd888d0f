/**
 * `GET /api/v1/pnl/stream`: Server-Sent Events from the P&L book. A snapshot on connect, then
 * changes coalesced per position and throttled per client (the latest values win), a comment
 * heartbeat, and a slow client dropped to a fresh snapshot once its socket drains: memory per
 * client stays bounded whatever the update rate.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { BookChange, PnlBook } from './book.js';
import type { CurvePoint, PnlCurves } from './curve.js';
import { computeView, realtimePnl } from './view.js';
import type { PnlRow, PnlTotals, PnlView, RealtimePnl } from './view.js';

/** The data of an `event: snapshot` message: the REST body plus what the page needs to draw and judge staleness. */
export interface SnapshotMessage extends RealtimePnl {
  stale_after_ms: number;
  /** When the service last received any price (ISO 8601 UTC), or `null`. */
  last_price_at: string | null;
  /** Recent total P&L points, oldest first. */
  curve: CurvePoint[];
}

/** The data of an `event: update` message. */
export interface UpdateMessage {
  /** Rows that changed since the client's last message, latest values, sorted by symbol. */
  positions: PnlRow[];
  /** Symbols that were rows and are now flat. */
  removed: string[];
  totals: PnlTotals;
  timestamp: string;
  last_price_at: string | null;
  point: CurvePoint;
}

/** How the stream paces and describes itself. */
export interface SseOptions {
  /** At most this many messages a second per client. */
  maxMessagesPerSecond: number;
  /** A `: ping` comment this often. */
  heartbeatMs: number;
  /** Sent in snapshots: after this long without a price the page shows "stale". */
  staleAfterMs: number;
}

/** Counters of the stream since the service started. */
export interface SseStats {
  /** Clients connected now. */
  clients: number;
  /** Messages written (snapshots and updates; heartbeats are not messages). */
  sent: number;
  /** Updates not written because the client's socket was full (it gets a snapshot on drain instead). */
  dropped: number;
  /** Snapshots sent to a client after its socket drained. */
  resets: number;
}

/** One connected client, as tests and `/health` see it. */
export interface SseClientInfo {
  strategy: string | null;
  /** Waiting for its socket to drain (updates are dropped meanwhile). */
  blocked: boolean;
  /** Bytes written to it that its socket has not taken yet. */
  bufferedBytes: number;
}

interface Client {
  res: ServerResponse;
  strategy: string | undefined;
  /** Symbols changed since its last message. */
  dirty: Set<string>;
  /** Symbols it was last told are rows. */
  rows: Set<string>;
  lastSentAt: number;
  blocked: boolean;
  /** Its socket drained after being full: its next message is a snapshot. */
  reset: boolean;
}

/** The response headers of the stream. */
export const SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
});

/** Fans the book's changes out to the connected clients. */
export class SseHub {
  /** Random per process: message ids are `<bootId>.<seq>`, so ids of another run never look newer. */
  readonly bootId = randomBytes(6).toString('hex');
  readonly #book: PnlBook;
  readonly #curves: PnlCurves;
  readonly #options: SseOptions;
  readonly #intervalMs: number;
  readonly #clients = new Set<Client>();
  readonly #stats = { sent: 0, dropped: 0, resets: 0 };
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastTickAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(book: PnlBook, curves: PnlCurves, options: SseOptions) {
    this.#book = book;
    this.#curves = curves;
    this.#options = options;
    this.#intervalMs = 1000 / options.maxMessagesPerSecond;
    this.#unsubscribe = book.onChange((change) => this.#changed(change));
    this.#heartbeat = setInterval(() => this.#ping(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /**
   * Streams to `res` (headers not yet written) for `strategy` (or all): `retry: 1000`, then a
   * snapshot, then updates until the client goes away or the hub closes.
   */
  attach(res: ServerResponse, strategy: string | undefined): void {
    if (this.#closed) {
      res.writeHead(503).end();
      return;
    }
    const client: Client = { res, strategy, dirty: new Set(), rows: new Set(), lastSentAt: Number.NEGATIVE_INFINITY, blocked: false, reset: false };
    res.writeHead(200, SSE_HEADERS);
    res.write('retry: 1000\n\n');
    this.#clients.add(client);
    res.on('close', () => this.#clients.delete(client));
    this.#sendSnapshot(client);
  }

  /** Counters since start. */
  stats(): SseStats {
    return { clients: this.#clients.size, ...this.#stats };
  }

  /** The connected clients. */
  clients(): SseClientInfo[] {
    return [...this.#clients].map((c) => ({ strategy: c.strategy ?? null, blocked: c.blocked, bufferedBytes: c.res.writableLength }));
  }

  /** Ends every stream and stops the timers. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#timer);
    this.#unsubscribe();
    for (const client of this.#clients) client.res.end();
    this.#clients.clear();
  }

  #changed(change: BookChange): void {
    // A price of a symbol nobody holds changes no row (a row that went flat changed by a fill).
    if (change.kind === 'price' && !this.#book.isHeld(change.symbol)) return;
    for (const client of this.#clients) {
      if (change.kind === 'fill' && client.strategy !== undefined && client.strategy !== change.strategyId) continue;
      client.dirty.add(change.symbol);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    const delay = Math.max(0, this.#lastTickAt + this.#intervalMs - performance.now());
    this.#timer = setTimeout(() => this.#tick(), delay);
  }

  /** One round for every client with changes: all clients flush together, so a view is computed once per strategy filter. */
  #tick(): void {
    this.#timer = undefined;
    const now = performance.now();
    this.#lastTickAt = now;
    const views = new Map<string | undefined, PnlView>();
    let waiting = false;
    for (const client of this.#clients) {
      if (client.blocked) {
        if (client.dirty.size > 0) this.#stats.dropped += 1;
        client.dirty.clear();
        continue;
      }
      if (client.dirty.size === 0 && !client.reset) continue;
      if (now - client.lastSentAt < this.#intervalMs) {
        waiting = true;
        continue;
      }
      if (client.reset) {
        client.reset = false;
        this.#stats.resets += 1;
        this.#sendSnapshot(client);
        continue;
      }
      let view = views.get(client.strategy);
      if (view === undefined) views.set(client.strategy, (view = computeView(this.#book, client.strategy)));
      const update = this.#update(client, view);
      client.dirty.clear();
      if (update !== undefined) this.#send(client, 'update', update);
    }
    if (waiting) this.#schedule();
  }

  #update(client: Client, view: PnlView): UpdateMessage | undefined {
    const positions: PnlRow[] = [];
    const removed: string[] = [];
    for (const symbol of [...client.dirty].sort()) {
      const row = view.rows.get(symbol);
      if (row !== undefined) {
        positions.push(row);
        client.rows.add(symbol);
      } else if (client.rows.delete(symbol)) removed.push(symbol);
    }
    if (positions.length === 0 && removed.length === 0) return undefined;
    const timestamp = new Date().toISOString();
    return { positions, removed, totals: view.totals, timestamp, last_price_at: this.#lastPriceAt(), point: { t: timestamp, total_pl: view.totals.total_pl } };
  }

  #sendSnapshot(client: Client): void {
    const view = computeView(this.#book, client.strategy);
    client.dirty.clear();
    client.rows = new Set(view.rows.keys());
    const snapshot: SnapshotMessage = {
      ...realtimePnl(view),
      stale_after_ms: this.#options.staleAfterMs,
      last_price_at: this.#lastPriceAt(),
      curve: this.#curves.points(client.strategy),
    };
    this.#send(client, 'snapshot', snapshot);
  }

  #send(client: Client, event: 'snapshot' | 'update', data: SnapshotMessage | UpdateMessage): void {
    this.#seq += 1;
    client.lastSentAt = performance.now();
    this.#stats.sent += 1;
    this.#write(client, `id: ${this.bootId}.${this.#seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /**
   * Writes, and on a full socket stops writing to the client until it drains; its next message
   * (paced like any other) is then a snapshot. So at most one message waits in its buffer.
   */
  #write(client: Client, text: string): void {
    if (client.res.write(text) || client.blocked) return;
    client.blocked = true;
    client.res.once('drain', () => {
      client.blocked = false;
      client.reset = true;
      this.#schedule();
    });
  }

  #ping(): void {
    for (const client of this.#clients) if (!client.blocked) this.#write(client, ': ping\n\n');
  }

  #lastPriceAt(): string | null {
    const at = this.#book.lastPriceAtMs;
    return at === null ? null : new Date(at).toISOString();
  }
}
