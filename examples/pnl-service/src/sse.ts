/**
 * `GET /api/v1/pnl/stream`: Server-Sent Events from the P&L book. A snapshot on connect, then
 * changes coalesced per position and throttled per client (the latest values win), the time of
 * the last price when nothing else carried it, a comment heartbeat, and a slow client dropped to
 * a fresh snapshot once its socket drains: memory per client stays bounded whatever the update rate.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { BookChange, PnlBook } from './book.js';
import type { CurvePoint, PnlCurves } from './curve.js';
import type { SnapshotMessage, StatusMessage } from './sse-messages.js';
import { computeView, realtimePnl } from './view.js';
import type { PnlView } from './view.js';

export type { SnapshotMessage, StatusMessage, UpdateMessage } from './sse-messages.js';

/** How often the stream checks whether a client needs a `status` message. */
export const STATUS_INTERVAL_MS = 1000;

/** How the stream paces and describes itself. */
export interface SseOptions {
  /** At most this many messages a second per client. */
  maxMessagesPerSecond: number;
  /** A `: ping` comment this often. */
  heartbeatMs: number;
  /** Sent in snapshots: after this long without a price the page shows "stale". */
  staleAfterMs: number;
  /** Sent in snapshots: how often the service samples the P&L curve. */
  curveIntervalMs: number;
}

/** Counters of the stream since the service started. */
export interface SseStats {
  /** Clients connected now. */
  clients: number;
  /** Messages written (snapshots, updates and status messages; heartbeats are not messages). */
  sent: number;
  /** Updates not written because the client's socket was full (it gets a snapshot on drain instead). */
  dropped: number;
  /** Snapshots sent to a client after its socket drained. */
  resets: number;
}

/** One connected client, as tests and `/health` see it. */
export interface SseClientInfo {
  strategy: string | null;
  /** Its socket has not taken a whole message since the last tick: updates are dropped until it drains. */
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
  /** The totals (JSON) it was last sent. */
  totalsJson: string;
  /** The `last_price_at` (epoch ms) it was last sent. */
  lastPriceAtMs: number | null;
  /** When its last message was written (`performance.now()`, taken after the write). */
  lastSentAt: number;
  /** A write returned false (the socket buffer is over its mark) and it has not drained yet. */
  draining: boolean;
  /** Updates were dropped: its next message is a snapshot. */
  reset: boolean;
}

/** What one tick computed for one strategy filter, shared by its clients. */
interface Round {
  view: PnlView;
  /** Row JSON by symbol, each serialised once per tick. */
  rowJson: Map<string, string>;
  totalsJson: string;
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
  readonly #statusTimer: NodeJS.Timeout;
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
    this.#statusTimer = setInterval(() => this.#status(), STATUS_INTERVAL_MS);
    this.#statusTimer.unref();
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
    const client: Client = {
      res,
      strategy,
      dirty: new Set(),
      rows: new Set(),
      totalsJson: '',
      lastPriceAtMs: null,
      lastSentAt: Number.NEGATIVE_INFINITY,
      draining: false,
      reset: false,
    };
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
    return [...this.#clients].map((c) => ({ strategy: c.strategy ?? null, blocked: c.draining, bufferedBytes: c.res.writableLength }));
  }

  /** Ends every stream and stops the timers. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearInterval(this.#statusTimer);
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

  /** Schedules a tick at `at` (a `performance.now()` time), by default one interval after the last tick. */
  #schedule(at: number = this.#lastTickAt + this.#intervalMs): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, at - performance.now()));
  }

  /**
   * One round for every client with changes: all clients flush together, so a view is computed
   * (and each row serialised) once per strategy filter. A client whose socket has not drained
   * since its last message is slow: its update is dropped and its next message is a snapshot.
   * A client is due an interval after its last message was written (not after the round that
   * made it began), so however long a round takes, a client's messages are an interval apart.
   */
  #tick(): void {
    this.#timer = undefined;
    const now = performance.now();
    const due: Client[] = [];
    // The changed symbols of the clients due an update, per strategy filter: only those rows are formatted.
    const changed = new Map<string | undefined, Set<string>>();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const client of this.#clients) {
      if (client.draining) {
        if (client.dirty.size > 0) {
          this.#stats.dropped += 1;
          client.reset = true;
          client.dirty.clear();
        }
        continue;
      }
      if (client.dirty.size === 0 && !client.reset) continue;
      if (now - client.lastSentAt < this.#intervalMs) {
        nextDue = Math.min(nextDue, client.lastSentAt + this.#intervalMs);
        continue;
      }
      if (client.reset) {
        client.reset = false;
        this.#stats.resets += 1;
        this.#sendSnapshot(client);
        continue;
      }
      due.push(client);
      let symbols = changed.get(client.strategy);
      if (symbols === undefined) changed.set(client.strategy, (symbols = new Set()));
      for (const symbol of client.dirty) symbols.add(symbol);
    }
    const rounds = new Map<string | undefined, Round>();
    for (const [strategy, symbols] of changed) {
      const view = computeView(this.#book, strategy, symbols);
      rounds.set(strategy, { view, rowJson: new Map(), totalsJson: JSON.stringify(view.totals) });
    }
    for (const client of due) {
      const update = this.#update(client, rounds.get(client.strategy) as Round);
      client.dirty.clear();
      if (update !== undefined) this.#send(client, 'update', update);
    }
    // After the writes: every client written to in this round is due by the next one.
    this.#lastTickAt = performance.now();
    if (nextDue !== Number.POSITIVE_INFINITY) this.#schedule(nextDue);
  }

  /**
   * The `update` data for `client` (JSON text, {@link UpdateMessage}), or `undefined` when none of
   * its rows and none of its totals changed.
   */
  #update(client: Client, round: Round): string | undefined {
    const positions: string[] = [];
    const removed: string[] = [];
    for (const symbol of [...client.dirty].sort()) {
      const row = round.view.rows.get(symbol);
      if (row !== undefined) {
        let json = round.rowJson.get(symbol);
        if (json === undefined) round.rowJson.set(symbol, (json = JSON.stringify(row)));
        positions.push(json);
        client.rows.add(symbol);
      } else if (client.rows.delete(symbol)) removed.push(symbol);
    }
    // A position opened and closed since the last message changes no row, but the totals.
    if (positions.length === 0 && removed.length === 0 && round.totalsJson === client.totalsJson) return undefined;
    client.totalsJson = round.totalsJson;
    client.lastPriceAtMs = this.#book.lastPriceAtMs;
    const timestamp = new Date().toISOString();
    const point: CurvePoint = { t: timestamp, total_pl: round.view.totals.total_pl };
    return `{"positions":[${positions.join(',')}],"removed":${JSON.stringify(removed)},"totals":${round.totalsJson},"timestamp":"${timestamp}","last_price_at":${JSON.stringify(this.#lastPriceAt())},"point":${JSON.stringify(point)}}`;
  }

  #sendSnapshot(client: Client): void {
    const view = computeView(this.#book, client.strategy);
    client.dirty.clear();
    client.rows = new Set(view.rows.keys());
    client.totalsJson = JSON.stringify(view.totals);
    client.lastPriceAtMs = this.#book.lastPriceAtMs;
    const snapshot: SnapshotMessage = {
      ...realtimePnl(view),
      stale_after_ms: this.#options.staleAfterMs,
      last_price_at: this.#lastPriceAt(),
      curve: this.#curves.points(client.strategy),
      curve_interval_ms: this.#options.curveIntervalMs,
    };
    this.#send(client, 'snapshot', JSON.stringify(snapshot));
  }

  /**
   * A `status` message to every client that was not told the time of the last price, has
   * nothing else coming (no pending change, not slow) and is due: prices of symbols it does not
   * show move no row, yet its page judges staleness by them.
   */
  #status(): void {
    const at = this.#book.lastPriceAtMs;
    if (at === null) return;
    const now = performance.now();
    let json: string | undefined;
    for (const client of this.#clients) {
      if (client.lastPriceAtMs === at || client.dirty.size > 0 || client.draining || client.reset || now - client.lastSentAt < this.#intervalMs) continue;
      const status: StatusMessage = { last_price_at: this.#lastPriceAt(), timestamp: new Date().toISOString() };
      json ??= JSON.stringify(status);
      client.lastPriceAtMs = at;
      this.#send(client, 'status', json);
    }
  }

  /** Writes a message and notes when (after the write, so a slow write delays the client's next message). */
  #send(client: Client, event: 'snapshot' | 'update' | 'status', json: string): void {
    this.#seq += 1;
    this.#stats.sent += 1;
    this.#write(client, `id: ${this.bootId}.${this.#seq}\nevent: ${event}\ndata: ${json}\n\n`);
    client.lastSentAt = performance.now();
  }

  /**
   * Writes; when the socket buffer goes over its mark, remembers it until 'drain'. A message
   * bigger than the mark does that too, so only a client still not drained at its next message
   * is treated as slow (by the tick): at most one message ever waits for it.
   */
  #write(client: Client, text: string): void {
    if (client.res.write(text) || client.draining) return;
    client.draining = true;
    client.res.once('drain', () => {
      client.draining = false;
      if (client.reset) this.#schedule();
    });
  }

  #ping(): void {
    for (const client of this.#clients) if (!client.draining) this.#write(client, ': ping\n\n');
  }

  #lastPriceAt(): string | null {
    const at = this.#book.lastPriceAtMs;
    return at === null ? null : new Date(at).toISOString();
  }
}
