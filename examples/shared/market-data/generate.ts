/**
 * Deterministic SYNTHETIC daily OHLCV data: geometric Brownian motion per symbol, with
 * plausible open/high/low/close/volume/vwap relationships. Not real market prices.
 */
import type { Bar, MarketRow } from './bar.js';
import { MARKET_DATA_COLUMNS } from './bar.js';
import { hashString, mulberry32, normalSource } from './random.js';

/** The 20 symbols of the committed data set. */
export const DEFAULT_SYMBOLS: readonly string[] = Object.freeze([
  'AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'TSLA', 'JPM', 'V', 'JNJ',
  'WMT', 'PG', 'XOM', 'UNH', 'HD', 'BAC', 'MA', 'DIS', 'KO', 'PEP',
]);

/** Options of {@link generateMarketData}. */
export interface GenerateOptions {
  /** PRNG seed; each symbol's stream is derived from it and the symbol name. */
  readonly seed: number;
  readonly symbols: readonly string[];
  /** Number of trading days (weekdays) per symbol. */
  readonly days: number;
  /** First trading day `YYYY-MM-DD`; a weekend start moves to the next Monday. */
  readonly start: string;
}

/** The options that produced the committed `ohlcv.csv`. */
export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = Object.freeze({
  seed: 20240102,
  symbols: DEFAULT_SYMBOLS,
  days: 300,
  start: '2024-01-02',
});

const PRICE_DECIMALS = 2;
const TRADING_DAYS_PER_YEAR = 252;

/** Weekdays from `start` on (holidays are not modelled), as `YYYY-MM-DD`. */
export function weekdays(start: string, count: number): string[] {
  const day = new Date(`${start}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) throw new RangeError(`invalid start date '${start}'`);
  const dates: string[] = [];
  while (dates.length < count) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return dates;
}

function roundPrice(value: number): number {
  return Number(value.toFixed(PRICE_DECIMALS));
}

/** One symbol's path: parameters drawn from its own stream, then one bar per date. */
function simulateSymbol(seed: number, symbol: string, dates: readonly string[]): Bar[] {
  const uniform = mulberry32((seed ^ hashString(symbol)) >>> 0);
  const normal = normalSource(uniform);
  // Log-uniform start price 20..600 and average volume 2M..60M; drift -10%..+25%, vol 15%..55%.
  const startPrice = 20 * Math.exp(uniform() * Math.log(30));
  const averageVolume = 2e6 * Math.exp(uniform() * Math.log(30));
  const dailyDrift = (-0.1 + 0.35 * uniform()) / TRADING_DAYS_PER_YEAR;
  const dailyVol = (0.15 + 0.4 * uniform()) / Math.sqrt(TRADING_DAYS_PER_YEAR);

  const bars: Bar[] = [];
  let previousClose = startPrice;
  for (const date of dates) {
    // The overnight gap takes a fifth of the day's variance, the session the rest.
    const gap = 0.2 * dailyVol * dailyVol;
    const session = 0.8 * dailyVol * dailyVol;
    const rawOpen = previousClose * Math.exp(Math.sqrt(gap) * normal() - gap / 2);
    const rawClose =
      rawOpen * Math.exp(dailyDrift + Math.sqrt(session) * normal() - session / 2);
    const open = roundPrice(rawOpen);
    const close = roundPrice(rawClose);
    const wickUp = Math.abs(normal()) * 0.5 * dailyVol;
    const wickDown = Math.abs(normal()) * 0.5 * dailyVol;
    const high = Math.max(roundPrice(Math.max(rawOpen, rawClose) * (1 + wickUp)), open, close);
    const low = Math.min(roundPrice(Math.min(rawOpen, rawClose) * (1 - wickDown)), open, close);
    // VWAP near the typical price, kept inside the day's range.
    const typical = (high + low + close) / 3;
    const vwap = Math.min(high, Math.max(low, roundPrice(typical + 0.1 * (high - low) * normal())));
    // Volume rises on big moves, log-normal noise otherwise.
    const move = Math.abs(Math.log(rawClose / previousClose)) / dailyVol;
    const volume = Math.max(1, Math.round(averageVolume * Math.exp(0.3 * normal() + 0.25 * move)));
    bars.push({ date, open, high, low, close, volume, vwap });
    previousClose = rawClose;
  }
  return bars;
}

/**
 * Generate the SYNTHETIC data set: `days` weekdays per symbol, rows ordered by date then by the
 * order of `symbols`. Same options, same rows, on every run.
 *
 * @example
 * const rows = generateMarketData(DEFAULT_GENERATE_OPTIONS);
 * writeFileSync('ohlcv.csv', toCsv(rows));
 */
export function generateMarketData(options: GenerateOptions): MarketRow[] {
  if (!Number.isInteger(options.days) || options.days < 1) {
    throw new RangeError(`days must be a positive integer, got ${options.days}`);
  }
  const dates = weekdays(options.start, options.days);
  const paths = options.symbols.map((symbol) => simulateSymbol(options.seed, symbol, dates));
  const rows: MarketRow[] = [];
  for (let day = 0; day < dates.length; day += 1) {
    options.symbols.forEach((symbol, index) => {
      const bar = paths[index]?.[day];
      if (bar !== undefined) rows.push({ symbol, ...bar });
    });
  }
  return rows;
}

/** Render rows as CSV: header `date,symbol,open,high,low,close,volume,vwap`, `\n` line ends. */
export function toCsv(rows: readonly MarketRow[]): string {
  const lines = [MARKET_DATA_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.date,
        row.symbol,
        row.open.toFixed(PRICE_DECIMALS),
        row.high.toFixed(PRICE_DECIMALS),
        row.low.toFixed(PRICE_DECIMALS),
        row.close.toFixed(PRICE_DECIMALS),
        row.volume.toFixed(0),
        row.vwap.toFixed(PRICE_DECIMALS),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
