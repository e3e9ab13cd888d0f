/**
 * The orchestrator's own view of the paper portfolio, rebuilt from `positions.updated` events
 * alone: shares per symbol, cash, and equity marked to market at a day's closes.
 */
import type { PositionEvent } from '@trading-platform/redis-client';
import type { MarketData } from '../../shared/index.js';

/** Equity and P&L of one day. */
export interface Mark {
  date: string;
  equity: number;
  /** Equity change since the previous mark (or since the starting capital). */
  dayPnl: number;
  /** Equity minus the starting capital. */
  totalPnl: number;
}

/** A portfolio that starts as `capital` in cash and applies position events once each. */
export class PaperBook {
  readonly #capital: number;
  readonly #data: MarketData;
  readonly #shares = new Map<string, number>();
  readonly #seen = new Set<string>();
  #cash: number;
  #lastEquity: number;
  readonly #marks: Mark[] = [];

  constructor(capital: number, data: MarketData) {
    this.#capital = capital;
    this.#cash = capital;
    this.#lastEquity = capital;
    this.#data = data;
  }

  /** Applies a fill; an event already applied (same `event_id`) is ignored. Returns whether it applied. */
  apply(event: PositionEvent): boolean {
    const id = event.eventId;
    if (id !== undefined) {
      if (this.#seen.has(id)) return false;
      this.#seen.add(id);
    }
    this.#shares.set(event.symbol, event.newQty);
    this.#cash -= event.qtyChange * Number(event.price);
    return true;
  }

  /** Shares held per symbol (non-zero only), sorted by symbol. */
  holdings(): Array<[string, number]> {
    return [...this.#shares].filter(([, qty]) => qty !== 0).sort(([a], [b]) => a.localeCompare(b));
  }

  /** Cash after every applied fill. */
  get cash(): number {
    return this.#cash;
  }

  /**
   * Marks the book at the closes of `date` and records the day's P&L.
   * @throws RangeError when a held symbol has no close that day.
   */
  mark(date: string): Mark {
    let equity = this.#cash;
    for (const [symbol, qty] of this.#shares) {
      if (qty === 0) continue;
      const close = this.#data.closeOn(symbol, date);
      if (close === undefined) throw new RangeError(`no close for ${symbol} on ${date}`);
      equity += qty * close;
    }
    const mark = { date, equity, dayPnl: equity - this.#lastEquity, totalPnl: equity - this.#capital };
    this.#lastEquity = equity;
    this.#marks.push(mark);
    return mark;
  }

  /** Every mark so far, oldest first. */
  marks(): readonly Mark[] {
    return this.#marks;
  }
}
