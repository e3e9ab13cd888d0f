/**
 * In-memory daily bars per symbol, sorted by date, with the look-ups a signal service needs.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bar, MarketRow } from './bar.js';
import { parseMarketCsv } from './parse.js';
import { MarketDataError } from '../errors.js';

/** File name looked for when {@link loadMarketData} is given a directory. */
export const MARKET_DATA_FILE = 'ohlcv.csv';

/** Daily bars of several symbols. Build with {@link loadMarketData} or {@link MarketData.fromRows}. */
export class MarketData {
  /** Bars per symbol, each list sorted by ascending date. */
  readonly bars: ReadonlyMap<string, readonly Bar[]>;
  readonly #days: readonly string[];

  private constructor(bars: Map<string, Bar[]>) {
    this.bars = bars;
    const days = new Set<string>();
    for (const list of bars.values()) for (const bar of list) days.add(bar.date);
    this.#days = Object.freeze([...days].sort());
  }

  /**
   * Group rows by symbol and sort each symbol's bars by date.
   * @throws {MarketDataError} when a (symbol, date) pair occurs twice.
   */
  static fromRows(rows: readonly MarketRow[], source = 'market data'): MarketData {
    const bySymbol = new Map<string, Bar[]>();
    for (const { symbol, ...bar } of rows) {
      const list = bySymbol.get(symbol);
      if (list === undefined) bySymbol.set(symbol, [bar]);
      else list.push(bar);
    }
    for (const [symbol, list] of bySymbol) {
      list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      for (let i = 1; i < list.length; i += 1) {
        if (list[i]?.date === list[i - 1]?.date) {
          throw new MarketDataError(source, `duplicate bar for ${symbol} on ${list[i]?.date}`);
        }
      }
    }
    return new MarketData(bySymbol);
  }

  /** Symbols in alphabetical order. */
  symbols(): string[] {
    return [...this.bars.keys()].sort();
  }

  /** Every date on which at least one symbol has a bar, ascending. */
  tradingDays(): readonly string[] {
    return this.#days;
  }

  /**
   * The bars of `symbol` dated on or before `date`, oldest first: the history a model may see
   * on that day. Empty for an unknown symbol or a date before its first bar.
   */
  barsUpTo(symbol: string, date: string): readonly Bar[] {
    const list = this.bars.get(symbol) ?? [];
    // Binary search for the first bar after `date`.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((list[middle]?.date ?? '') <= date) low = middle + 1;
      else high = middle;
    }
    return list.slice(0, low);
  }

  /** The close of `symbol` on exactly `date`, or `undefined` when there is no such bar. */
  closeOn(symbol: string, date: string): number | undefined {
    const history = this.barsUpTo(symbol, date);
    const last = history[history.length - 1];
    return last?.date === date ? last.close : undefined;
  }
}

/**
 * Read a market-data CSV, or `ohlcv.csv` inside a directory, into {@link MarketData}.
 *
 * @example
 * const data = await loadMarketData('examples/shared/market-data');
 * const history = data.barsUpTo('AAPL', '2024-06-28');
 * @throws {MarketDataError} when the file is unreadable or malformed (names line and column).
 */
export async function loadMarketData(pathOrDir: string): Promise<MarketData> {
  let path = pathOrDir;
  let text: string;
  try {
    if ((await stat(pathOrDir)).isDirectory()) path = join(pathOrDir, MARKET_DATA_FILE);
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MarketDataError(path, `cannot read market data: ${reason}`);
  }
  return MarketData.fromRows(parseMarketCsv(text, path), path);
}
