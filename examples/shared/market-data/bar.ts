/** One daily OHLCV bar of one symbol. Prices in currency units, volume in shares. */
export interface Bar {
  /** Trading day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Shares traded; always > 0 in the synthetic set, >= 0 in user files. */
  readonly volume: number;
  /** Volume-weighted average price of the day. */
  readonly vwap: number;
}

/** A bar together with its symbol: one row of the market-data CSV. */
export interface MarketRow extends Bar {
  readonly symbol: string;
}

/** CSV columns, in the order the generator writes them. */
export const MARKET_DATA_COLUMNS = [
  'date',
  'symbol',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'vwap',
] as const;

/** Name of one market-data CSV column. */
export type MarketDataColumn = (typeof MARKET_DATA_COLUMNS)[number];
