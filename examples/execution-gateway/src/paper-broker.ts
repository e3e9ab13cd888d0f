/**
 * Paper execution: fills every accepted order in full at the data's close of the as-of date
 * and keeps the resulting positions per strategy.
 */
import type { MarketData } from '../../shared/index.js';

/** One strategy's holding of one symbol. */
export interface Position {
  strategy_id: string;
  symbol: string;
  /** Signed shares: negative is short. */
  quantity: number;
  /** Close price of the last fill, as a decimal string. */
  last_fill_price: string;
  /** As-of date of the last fill. */
  last_fill_date: string;
}

/** One executed order. */
export interface Fill {
  symbol: string;
  side: 'buy' | 'sell';
  /** Shares traded, positive. */
  quantity: number;
  /** Signed change of the position. */
  qty_change: number;
  /** Fill price as a decimal string (`"150.25"`). */
  price: string;
  /** The position after the fill. */
  new_quantity: number;
}

/** Formats a price as the decimal string the events carry. */
export function priceString(price: number): string {
  return price.toFixed(2);
}

/** Positions of every strategy, filled at close prices of {@link MarketData}. */
export class PaperBroker {
  readonly #data: MarketData;
  readonly #books = new Map<string, Map<string, Position>>();

  constructor(data: MarketData) {
    this.#data = data;
  }

  /** The close of `symbol` on `date`, or `undefined` when the data has no such bar. */
  priceOn(symbol: string, date: string): number | undefined {
    return this.#data.closeOn(symbol, date);
  }

  /** The signed quantity `strategyId` holds of `symbol` (0 when none). */
  quantity(strategyId: string, symbol: string): number {
    return this.#books.get(strategyId)?.get(symbol)?.quantity ?? 0;
  }

  /** Positions of one strategy, or of all, sorted by strategy then symbol; flat ones omitted. */
  positions(strategyId?: string): Position[] {
    const out: Position[] = [];
    for (const [id, book] of this.#books) {
      if (strategyId !== undefined && id !== strategyId) continue;
      for (const position of book.values()) if (position.quantity !== 0) out.push({ ...position });
    }
    return out.sort((a, b) => a.strategy_id.localeCompare(b.strategy_id) || a.symbol.localeCompare(b.symbol));
  }

  /**
   * Fills `qtyChange` shares (signed, non-zero) of `symbol` at its close on `date`.
   * @throws RangeError when the data has no close for that day (callers check {@link priceOn} first).
   */
  fill(strategyId: string, symbol: string, qtyChange: number, date: string): Fill {
    const close = this.priceOn(symbol, date);
    if (close === undefined) throw new RangeError(`no close price for ${symbol} on ${date}`);
    let book = this.#books.get(strategyId);
    if (!book) this.#books.set(strategyId, (book = new Map()));
    const price = priceString(close);
    const newQuantity = (book.get(symbol)?.quantity ?? 0) + qtyChange;
    book.set(symbol, { strategy_id: strategyId, symbol, quantity: newQuantity, last_fill_price: price, last_fill_date: date });
    return {
      symbol,
      side: qtyChange > 0 ? 'buy' : 'sell',
      quantity: Math.abs(qtyChange),
      qty_change: qtyChange,
      price,
      new_quantity: newQuantity,
    };
  }
}
