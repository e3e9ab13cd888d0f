/**
 * The book as the upstream real-time P&L response shows it (`RealtimePositionPnL`,
 * `RealtimePnLResponse` of the Python execution gateway): one row per held symbol, decimals as
 * strings, plus this service's `realized_pl` and `total_pl`.
 */
import type { PnlBook } from './book.js';
import { formatMoney, formatRounded, Money, PERCENT_DECIMALS, PRICE_DECIMALS, ZERO } from './money.js';

/** Where a row's `current_price` came from: a price update, or the average entry price. */
export type PriceSource = 'real-time' | 'fallback';

/** One position row, field for field upstream's `RealtimePositionPnL`. */
export interface PnlRow {
  symbol: string;
  /** Signed shares, summed over strategies unless filtered. */
  qty: string;
  /** Cost basis over shares, rounded to 6 places. */
  avg_entry_price: string;
  /** The mark, or `avg_entry_price` when there is none (`price_source: "fallback"`). */
  current_price: string;
  price_source: PriceSource;
  /** `qty × mark − cost basis`, exact; `"0"` on the fallback price. */
  unrealized_pl: string;
  /** `unrealized_pl / Σ|cost basis| × 100` over the strategies' positions, rounded to 4 places; `"0"` without a cost basis. */
  unrealized_pl_pct: string;
  /** The mark's own timestamp (ISO 8601 UTC), or `null` without a real-time price. */
  last_price_update: string | null;
}

/** The totals of a view: every field of the response except `positions` and `timestamp`. */
export interface PnlTotals {
  /** Rows (symbols whose summed shares are not zero). */
  total_positions: number;
  /** Unrealized P&L of every open position, those of symbols whose strategies' shares cancel out included. */
  total_unrealized_pl: string;
  /** `total_unrealized_pl / Σ|cost basis| × 100` over every open position (4 places), `null` without one, as upstream. */
  total_unrealized_pl_pct: string | null;
  realtime_prices_available: number;
  /** Realized by every reduction, flat positions included. */
  realized_pl: string;
  /** `realized_pl + total_unrealized_pl`. */
  total_pl: string;
}

/** The body of `GET /api/v1/positions/pnl/realtime`. */
export interface RealtimePnl extends PnlTotals {
  /** Held symbols, sorted. */
  positions: PnlRow[];
  /** When the response was made (ISO 8601 UTC). */
  timestamp: string;
}

/** A computed view: rows by symbol (sorted) and totals, for one strategy or all. */
export interface PnlView {
  /** Every row, or only those asked for (`only`), in symbol order. */
  rows: Map<string, PnlRow>;
  totals: PnlTotals;
}

const HUNDRED = new Money(100);

/**
 * Rows and totals of `book` for `strategyId` (or every strategy summed per symbol). A symbol is a
 * row while its shares (summed over the strategies shown) are not zero: like upstream's list of
 * open positions per symbol. Strategies long and short the same number of shares make no row,
 * but their positions' P&L and cost basis still count in the totals. Percentages divide by the
 * sum of each position's |cost basis| (so opposite sides add up instead of cancelling out). An
 * unknown strategy has no rows and zero totals. With `only`, the totals still cover every row
 * but only those symbols' rows are formatted (the SSE stream's updates need the changed rows only).
 */
export function computeView(book: PnlBook, strategyId?: string, only?: ReadonlySet<string>): PnlView {
  const rows = new Map<string, PnlRow>();
  let realized = ZERO;
  let unrealized = ZERO;
  let investment = ZERO;
  let realtime = 0;
  let held = 0;
  for (const symbol of book.symbols(strategyId).sort(bySymbol)) {
    let qty = ZERO;
    let cost = ZERO;
    let basis = ZERO;
    for (const position of book.positionsIn(symbol, strategyId)) {
      realized = realized.plus(position.realized);
      qty = qty.plus(position.qty);
      cost = cost.plus(position.cost);
      basis = basis.plus(position.cost.abs());
    }
    const mark = book.mark(symbol);
    const rowUnrealized = mark === undefined ? ZERO : qty.times(mark.price).minus(cost);
    unrealized = unrealized.plus(rowUnrealized);
    investment = investment.plus(basis);
    if (qty.isZero()) continue;
    held += 1;
    if (mark !== undefined) realtime += 1;
    if (only !== undefined && !only.has(symbol)) continue;
    const avg = cost.dividedBy(qty);
    const pct = basis.isZero() ? ZERO : rowUnrealized.dividedBy(basis).times(HUNDRED);
    rows.set(symbol, {
      symbol,
      qty: formatMoney(qty),
      avg_entry_price: formatRounded(avg, PRICE_DECIMALS),
      current_price: mark === undefined ? formatRounded(avg, PRICE_DECIMALS) : formatMoney(mark.price),
      price_source: mark === undefined ? 'fallback' : 'real-time',
      unrealized_pl: formatMoney(rowUnrealized),
      unrealized_pl_pct: formatRounded(pct, PERCENT_DECIMALS),
      last_price_update: mark === undefined ? null : new Date(mark.timestampMs).toISOString(),
    });
  }
  return {
    rows,
    totals: {
      total_positions: held,
      total_unrealized_pl: formatMoney(unrealized),
      total_unrealized_pl_pct: investment.isZero() ? null : formatRounded(unrealized.dividedBy(investment).times(HUNDRED), PERCENT_DECIMALS),
      realtime_prices_available: realtime,
      realized_pl: formatMoney(realized),
      total_pl: formatMoney(realized.plus(unrealized)),
    },
  };
}

/** The REST body of a view made at `now`. */
export function realtimePnl(view: PnlView, now: Date = new Date()): RealtimePnl {
  const t = view.totals;
  // Upstream's field order, then this service's two additions.
  return {
    positions: [...view.rows.values()],
    total_positions: t.total_positions,
    total_unrealized_pl: t.total_unrealized_pl,
    total_unrealized_pl_pct: t.total_unrealized_pl_pct,
    realtime_prices_available: t.realtime_prices_available,
    timestamp: now.toISOString(),
    realized_pl: t.realized_pl,
    total_pl: t.total_pl,
  };
}

function bySymbol(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
