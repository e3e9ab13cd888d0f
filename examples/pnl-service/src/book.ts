/**
 * `PnlBook`: positions per (strategy, symbol) built from `positions.updated` fills, each applied
 * once, and the latest mark per symbol from price updates. Pure (no I/O, no timers): the service
 * feeds it, the REST view, the SSE stream and the tests read it.
 */
import type { PositionEvent } from '@trading-platform/redis-client';
import { formatMoney, Money, parseMoney, ZERO } from './money.js';
import { flatPosition, unrealizedAt } from './position.js';
import type { PositionState } from './position.js';
import { applyStep, applyTie, MAX_TIE_FILLS, snapshot } from './tie-order.js';
import type { Step, Ties } from './tie-order.js';

/** One fill as the book reads it: what a `PositionEvent` carries, plus where it came from. */
export interface Fill {
  strategyId: string;
  symbol: string;
  /** Signed change in shares (negative sells). */
  qtyChange: number;
  /** The strategy's position in `symbol` after the fill, as the gateway counts it. */
  newQty: number;
  /** Fill price, a decimal string. */
  price: string;
  /** The event's `event_id`, when it has one (Python producers send none). */
  eventId?: string | undefined;
  /** The event's timestamp in epoch ms, its microseconds as a fraction (`NaN` when unreadable). */
  timestampMs: number;
  /** The stream entry id (`1700000000000-0`) when the fill came from the durable stream. */
  sequence?: string | undefined;
}

/**
 * What {@link PnlBook.applyFill} did with a fill:
 * - `applied`: it followed the position's last fill (`newQty − qtyChange` was the shares held);
 * - `bridged`: it did not (a fill before it never arrived): the book first moved the position to
 *   `newQty − qtyChange` at this fill's price, then applied it, so the shares match the gateway;
 * - `duplicate`: already applied (same `event_id`, or a stream entry at or before the last one
 *   applied), ignored;
 * - `late`: a fill without a stream entry id (pub/sub) older than the position's last fill:
 *   it arrived out of order, after a newer fill the book applied (bridging over it), so it is
 *   ignored and the shares stay those of the newest fill.
 *
 * Pub/sub fills of a position with the same timestamp are put in the order their shares chain
 * in (see `orderTies`) and the position is recomputed from before the first of them, so
 * one that arrives after a newer one of the same timestamp is not bridged over: it is
 * `applied` (or `bridged`) where it belongs.
 */
export type FillOutcome = 'applied' | 'bridged' | 'duplicate' | 'late';

/** A change the book reports to {@link PnlBook.onChange} listeners. */
export type BookChange = { kind: 'fill'; strategyId: string; symbol: string } | { kind: 'price'; symbol: string };

/** The latest price of a symbol. */
export interface Mark {
  price: Money;
  /** The price's own timestamp, epoch ms. */
  timestampMs: number;
}

/** P&L totals as exact decimal strings. */
export interface BookTotals {
  /** Realized by every reduction, flat positions included. */
  realized_pl: string;
  /** Open positions at their marks (zero for a position without a mark: marked at its entry). */
  unrealized_pl: string;
  /** `realized_pl + unrealized_pl`. */
  total_pl: string;
}

/** Counts of what the book did since it was created. */
export interface BookStats {
  fills: Record<FillOutcome, number>;
  /** Prices taken as a symbol's mark. */
  prices: number;
  /** Prices ignored: not a finite decimal > 0, or older than the mark held. */
  ignoredPrices: number;
}

/** Options of {@link PnlBook}. */
export interface PnlBookOptions {
  /** How many `event_id`s the book remembers to recognise a duplicate (oldest forgotten first). @default 100_000 */
  maxRememberedIds?: number;
}

/** The defaults of {@link PnlBookOptions}. */
export const PNL_BOOK_DEFAULTS = Object.freeze({ maxRememberedIds: 100_000 });

interface Held extends PositionState {
  lastFillMs: number;
  ties: Ties | undefined;
}

/** The fill a `PositionEvent` describes; `sequence` is its stream entry id when read from a stream. */
export function fillFromEvent(event: PositionEvent, sequence?: string): Fill {
  return {
    strategyId: event.strategyId,
    symbol: event.symbol,
    qtyChange: event.qtyChange,
    newQty: event.newQty,
    price: event.price,
    eventId: event.eventId,
    timestampMs: event.date.getTime() + subMillisecond(event.timestamp),
    sequence,
  };
}

/** The digits of an RFC 3339 timestamp past its milliseconds (`…:SS.mmmuuu`) as a fraction of a millisecond, `0` without them. */
function subMillisecond(timestamp: string): number {
  const micros = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(\d{1,3})/.exec(timestamp)?.[1];
  return micros === undefined ? 0 : Number(micros.padEnd(3, '0')) / 1000;
}

/** Orders stream entry ids (`<ms>-<seq>`) numerically; `undefined` for text that is not one. */
export function compareStreamIds(a: string, b: string): number | undefined {
  const pa = /^(\d+)-(\d+)$/.exec(a);
  const pb = /^(\d+)-(\d+)$/.exec(b);
  if (!pa || !pb) return undefined;
  const ms = BigInt(pa[1] as string) - BigInt(pb[1] as string);
  const seq = BigInt(pa[2] as string) - BigInt(pb[2] as string);
  return ms !== 0n ? (ms < 0n ? -1 : 1) : seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/**
 * Positions per (strategy, symbol) on the average-cost basis, and marks per symbol.
 *
 * Each fill counts once. The book decides from what a `PositionEvent` carries: an `event_id`
 * it has seen is a duplicate (the last {@link PnlBookOptions.maxRememberedIds} are remembered);
 * a fill read from the durable stream carries its entry id, a total order, and one at or before
 * the last applied is a duplicate (a redelivery, or an entry the start-up replay already read).
 * Pub/sub keeps each publisher's order and a position has one publisher (its gateway), so fills
 * normally arrive in order; one older (by timestamp, to the microsecond) than the position's
 * last is late, fills with one timestamp are ordered by how their shares chain, and
 * `newQty − qtyChange` tells when a fill was missed (see {@link FillOutcome}). Whatever arrives,
 * a position's shares end equal to the newest fill's `newQty` (when several share the newest
 * timestamp and none of them was missed: the shares their chain ends at).
 *
 * @example
 * const book = new PnlBook();
 * book.applyFill(fillFromEvent(event));
 * book.applyPrice('AAPL', '152.10', Date.parse(quote.timestamp));
 * book.totals(); // { realized_pl: '0', unrealized_pl: '21', total_pl: '21' }
 */
export class PnlBook {
  readonly #maxRememberedIds: number;
  /** strategy -> symbol -> position, and the same objects by symbol -> strategy. */
  readonly #byStrategy = new Map<string, Map<string, Held>>();
  readonly #bySymbol = new Map<string, Map<string, Held>>();
  readonly #marks = new Map<string, Mark>();
  readonly #seenIds = new Set<string>();
  readonly #listeners = new Set<(change: BookChange) => void>();
  readonly #stats: BookStats = { fills: { applied: 0, bridged: 0, duplicate: 0, late: 0 }, prices: 0, ignoredPrices: 0 };
  #lastSequence: string | undefined;
  #lastPriceAtMs: number | null = null;
  #version = 0;

  /** @throws RangeError when `maxRememberedIds` is not a positive integer. */
  constructor(options: PnlBookOptions = {}) {
    const max = options.maxRememberedIds ?? PNL_BOOK_DEFAULTS.maxRememberedIds;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`maxRememberedIds must be a positive integer, got ${String(max)}`);
    this.#maxRememberedIds = max;
  }

  /**
   * Applies `fill` once (see {@link FillOutcome}).
   * @throws RangeError when its price is not a finite decimal or its quantities not integers.
   */
  applyFill(fill: Fill): FillOutcome {
    const price = parseMoney(fill.price);
    if (price === undefined) throw new RangeError(`fill price must be a finite decimal, got ${JSON.stringify(fill.price)}`);
    if (!Number.isSafeInteger(fill.qtyChange) || !Number.isSafeInteger(fill.newQty)) throw new RangeError('fill quantities must be integers');
    if (this.#isDuplicate(fill)) return this.#count('duplicate');
    const position = this.#position(fill.strategyId, fill.symbol);
    const pubsub = fill.sequence === undefined;
    // A stream's order is authoritative; pub/sub order is judged by the fills' own timestamps.
    if (pubsub && fill.timestampMs < position.lastFillMs) return this.#count('late');
    const step: Step = { before: fill.newQty - fill.qtyChange, after: fill.newQty, qtyChange: new Money(fill.qtyChange), price };
    const ties = position.ties;
    let outcome: FillOutcome;
    if (pubsub && ties !== undefined && fill.timestampMs === ties.timestampMs && ties.steps.length < MAX_TIE_FILLS) {
      outcome = applyTie(position, ties, step);
    } else {
      position.ties = pubsub && Number.isFinite(fill.timestampMs) ? { timestampMs: fill.timestampMs, anchor: snapshot(position), steps: [step], inOrder: position.qty.equals(step.before) } : undefined;
      outcome = applyStep(position, step);
    }
    if (fill.timestampMs > position.lastFillMs) position.lastFillMs = fill.timestampMs;
    this.#changed({ kind: 'fill', strategyId: fill.strategyId, symbol: fill.symbol });
    return this.#count(outcome);
  }

  /**
   * Takes `price` as `symbol`'s mark unless it is older than the mark held (by `timestampMs`) or
   * not a finite decimal > 0. `receivedAtMs` is when the service got it: {@link lastPriceAtMs} is
   * the latest of these. Returns whether the mark changed.
   */
  applyPrice(symbol: string, price: string, timestampMs: number, receivedAtMs: number = Date.now()): boolean {
    const value = parseMoney(price);
    const held = this.#marks.get(symbol);
    const at = Number.isFinite(timestampMs) ? timestampMs : receivedAtMs;
    if (value === undefined || value.lessThanOrEqualTo(0) || (held !== undefined && at < held.timestampMs)) {
      this.#stats.ignoredPrices += 1;
      return false;
    }
    this.#marks.set(symbol, { price: value, timestampMs: at });
    this.#lastPriceAtMs = Math.max(this.#lastPriceAtMs ?? Number.NEGATIVE_INFINITY, receivedAtMs);
    this.#stats.prices += 1;
    this.#changed({ kind: 'price', symbol });
    return true;
  }

  /** Calls `listener` after every change; returns a remover. */
  onChange(listener: (change: BookChange) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Incremented by every change: equal versions mean equal contents. */
  get version(): number {
    return this.#version;
  }

  /** When the last accepted price was received (epoch ms), or `null` before the first. */
  get lastPriceAtMs(): number | null {
    return this.#lastPriceAtMs;
  }

  /** The mark of `symbol`, if any. */
  mark(symbol: string): Mark | undefined {
    return this.#marks.get(symbol);
  }

  /** Positions in `symbol` per strategy (flat ones included), or only `strategyId`'s. */
  positionsIn(symbol: string, strategyId?: string): Array<Readonly<PositionState>> {
    const row = this.#bySymbol.get(symbol);
    if (row === undefined) return [];
    if (strategyId === undefined) return [...row.values()];
    const one = row.get(strategyId);
    return one === undefined ? [] : [one];
  }

  /** Symbols with a position, open or flat, of any strategy or of `strategyId`. */
  symbols(strategyId?: string): string[] {
    return strategyId === undefined ? [...this.#bySymbol.keys()] : [...(this.#byStrategy.get(strategyId)?.keys() ?? [])];
  }

  /** Symbols some strategy holds a non-zero position in. */
  heldSymbols(): string[] {
    return this.symbols().filter((symbol) => this.isHeld(symbol));
  }

  /** Whether some strategy (or `strategyId`) holds a non-zero position in `symbol`. */
  isHeld(symbol: string, strategyId?: string): boolean {
    return this.positionsIn(symbol, strategyId).some((p) => !p.qty.isZero());
  }

  /** Every strategy that ever had a fill. */
  strategies(): string[] {
    return [...this.#byStrategy.keys()];
  }

  /** Realized, unrealized and total P&L of every strategy, or of `strategyId`, as exact decimal strings. */
  totals(strategyId?: string): BookTotals {
    let realized = ZERO;
    let unrealized = ZERO;
    for (const symbol of this.symbols(strategyId)) {
      const mark = this.#marks.get(symbol);
      for (const position of this.positionsIn(symbol, strategyId)) {
        realized = realized.plus(position.realized);
        if (mark !== undefined && !position.qty.isZero()) unrealized = unrealized.plus(unrealizedAt(position, mark.price));
      }
    }
    return { realized_pl: formatMoney(realized), unrealized_pl: formatMoney(unrealized), total_pl: formatMoney(realized.plus(unrealized)) };
  }

  /** Counts since creation (a copy). */
  stats(): BookStats {
    return { ...this.#stats, fills: { ...this.#stats.fills } };
  }

  #isDuplicate(fill: Fill): boolean {
    if (fill.sequence !== undefined) {
      const last = this.#lastSequence;
      if (last !== undefined && (compareStreamIds(fill.sequence, last) ?? 1) <= 0) return true;
      this.#lastSequence = fill.sequence;
    }
    const id = fill.eventId;
    if (id === undefined) return false;
    if (this.#seenIds.has(id)) return true;
    this.#seenIds.add(id);
    if (this.#seenIds.size > this.#maxRememberedIds) this.#seenIds.delete(this.#seenIds.values().next().value as string);
    return false;
  }

  #position(strategyId: string, symbol: string): Held {
    let bySymbol = this.#byStrategy.get(strategyId);
    if (bySymbol === undefined) this.#byStrategy.set(strategyId, (bySymbol = new Map()));
    let position = bySymbol.get(symbol);
    if (position === undefined) {
      position = { ...flatPosition(), lastFillMs: Number.NEGATIVE_INFINITY, ties: undefined };
      bySymbol.set(symbol, position);
      let byStrategy = this.#bySymbol.get(symbol);
      if (byStrategy === undefined) this.#bySymbol.set(symbol, (byStrategy = new Map()));
      byStrategy.set(strategyId, position);
    }
    return position;
  }

  #count(outcome: FillOutcome): FillOutcome {
    this.#stats.fills[outcome] += 1;
    return outcome;
  }

  #changed(change: BookChange): void {
    this.#version += 1;
    for (const listener of this.#listeners) listener(change);
  }
}
