import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GENERATE_OPTIONS,
  DEFAULT_SYMBOLS,
  generateMarketData,
  toCsv,
  weekdays,
} from '../market-data/generate.js';
import { hashString, mulberry32, normalSource } from '../market-data/random.js';

const committed = readFileSync(new URL('../market-data/ohlcv.csv', import.meta.url), 'utf8');

describe('synthetic market data', () => {
  it('regenerates the committed ohlcv.csv byte for byte', () => {
    expect(toCsv(generateMarketData(DEFAULT_GENERATE_OPTIONS))).toBe(committed);
  });

  it('has 20 symbols x 300 weekdays starting 2024-01-02', () => {
    const rows = generateMarketData(DEFAULT_GENERATE_OPTIONS);
    expect(rows).toHaveLength(20 * 300);
    expect(new Set(rows.map((row) => row.symbol))).toEqual(new Set(DEFAULT_SYMBOLS));
    const dates = [...new Set(rows.map((row) => row.date))];
    expect(dates).toHaveLength(300);
    expect(dates[0]).toBe('2024-01-02');
    for (const date of dates) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect(weekday === 0 || weekday === 6, date).toBe(false);
    }
  });

  it('keeps OHLCV invariants on every row', () => {
    const violations: string[] = [];
    for (const row of generateMarketData(DEFAULT_GENERATE_OPTIONS)) {
      const checks: Record<string, boolean> = {
        'high >= max(open, close)': row.high >= Math.max(row.open, row.close),
        'low <= min(open, close)': row.low <= Math.min(row.open, row.close),
        'low > 0': row.low > 0,
        'low <= vwap <= high': row.low <= row.vwap && row.vwap <= row.high,
        'volume is a positive integer': Number.isInteger(row.volume) && row.volume > 0,
      };
      for (const [rule, holds] of Object.entries(checks)) {
        if (!holds) violations.push(`${row.symbol} ${row.date}: ${rule}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('depends on the seed, and a symbol path does not depend on the other symbols', () => {
    const base = { ...DEFAULT_GENERATE_OPTIONS, days: 30 };
    const other = generateMarketData({ ...base, seed: base.seed + 1 });
    expect(toCsv(other)).not.toBe(toCsv(generateMarketData(base)));
    const alone = generateMarketData({ ...base, symbols: ['KO'] });
    const together = generateMarketData(base).filter((row) => row.symbol === 'KO');
    expect(alone).toEqual(together);
  });

  it('rejects a non-positive day count and an invalid start date', () => {
    expect(() => generateMarketData({ ...DEFAULT_GENERATE_OPTIONS, days: 0 })).toThrow(RangeError);
    expect(() => weekdays('2024-13-45', 3)).toThrow(/invalid start date/);
  });

  it('skips weekends when listing weekdays', () => {
    expect(weekdays('2024-01-05', 3)).toEqual(['2024-01-05', '2024-01-08', '2024-01-09']);
    expect(weekdays('2024-01-06', 1)).toEqual(['2024-01-08']);
  });
});

describe('random sources', () => {
  it('mulberry32 repeats its stream for a seed and covers [0, 1)', () => {
    const first = mulberry32(42);
    const second = mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => first());
    expect(draws[0]).toBe(0.6011037519201636);
    expect(draws).toEqual(Array.from({ length: 1000 }, () => second()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('normal draws have mean near 0 and variance near 1', () => {
    const normal = normalSource(mulberry32(7));
    const draws = Array.from({ length: 20000 }, () => normal());
    const average = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - average) ** 2, 0) / (draws.length - 1);
    expect(Math.abs(average)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('hashString is FNV-1a 32-bit', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
