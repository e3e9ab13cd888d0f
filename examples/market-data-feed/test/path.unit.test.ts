import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../shared/index.js';
import { loadShared } from '../../lib/test/fixtures.js';
import { intradayPath, MIN_STEPS_PER_DAY, toCents } from '../src/path.js';
import { centsToDecimal, quoteAt } from '../src/quotes.js';

const BAR: Bar = { date: '2024-03-27', open: 150.1, high: 152.37, low: 149.02, close: 151.5, volume: 1000, vwap: 150.9 };

/** Random valid bars: low <= open, close <= high, prices from 0.01 to 10,000.00 in cents. */
const bars = fc
  .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 50_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([low, range, extra, o, c]): Bar => {
    const high = low + range + extra;
    const open = low + Math.round(o * (high - low));
    const close = low + Math.round(c * (high - low));
    return { date: '2024-01-02', open: open / 100, high: high / 100, low: low / 100, close: close / 100, volume: 1, vwap: open / 100 };
  });

function expectThroughOhlc(bar: Bar, path: ReturnType<typeof intradayPath>): void {
  const mids = path.midCents;
  expect(mids[0]).toBe(toCents(bar.open));
  expect(mids[mids.length - 1]).toBe(toCents(bar.close));
  expect(mids[path.highStep]).toBe(toCents(bar.high));
  expect(mids[path.lowStep]).toBe(toCents(bar.low));
  expect(Math.max(...mids)).toBe(toCents(bar.high));
  expect(Math.min(...mids)).toBe(toCents(bar.low));
  expect(mids.every(Number.isInteger)).toBe(true);
  // The four anchors sit at four distinct steps, strictly inside the day for the extremes.
  expect(new Set([0, path.highStep, path.lowStep, mids.length - 1]).size).toBe(4);
}

describe('intradayPath', () => {
  it('is deterministic: the same seed, symbol and day give the same path; another seed another', () => {
    const a = intradayPath('AAPL', BAR, { seed: 7, steps: 300 });
    const b = intradayPath('AAPL', BAR, { seed: 7, steps: 300 });
    expect(b).toEqual(a);
    expect(intradayPath('AAPL', BAR, { seed: 8, steps: 300 }).midCents).not.toEqual(a.midCents);
    expect(intradayPath('MSFT', BAR, { seed: 7, steps: 300 }).midCents).not.toEqual(a.midCents);
    expect(intradayPath('AAPL', { ...BAR, date: '2024-03-28' }, { seed: 7, steps: 300 }).midCents).not.toEqual(a.midCents);
  });

  it('opens at the open, touches the high and the low, closes at the close, and never leaves the range', () => {
    fc.assert(
      fc.property(bars, fc.integer({ min: MIN_STEPS_PER_DAY, max: 400 }), fc.integer(), (bar, steps, seed) => {
        const path = intradayPath('SYM', bar, { seed, steps });
        expect(path.midCents).toHaveLength(steps);
        expectThroughOhlc(bar, path);
      }),
      { numRuns: 300 },
    );
  });

  it('does so on every bar of the committed data set', async () => {
    const { marketData } = await loadShared();
    for (const [symbol, list] of marketData.bars) {
      for (const bar of list) expectThroughOhlc(bar, intradayPath(symbol, bar, { seed: 1, steps: 60 }));
    }
  });

  it('orders the extremes both ways over many days (high first or low first is drawn)', async () => {
    const { marketData } = await loadShared();
    const list = marketData.bars.get('AAPL') ?? [];
    const highFirst = list.map((bar) => {
      const path = intradayPath('AAPL', bar, { seed: 1, steps: 100 });
      return path.highStep < path.lowStep;
    });
    expect(highFirst).toContain(true);
    expect(highFirst).toContain(false);
  });

  it('quotes round lots', () => {
    const path = intradayPath('AAPL', BAR, { seed: 1, steps: 50 });
    for (const size of [...path.bidSizes, ...path.askSizes]) {
      expect(size % 100).toBe(0);
      expect(size).toBeGreaterThanOrEqual(100);
      expect(size).toBeLessThanOrEqual(1000);
    }
  });

  it('refuses too few steps and an inconsistent bar, naming what is wrong', () => {
    expect(() => intradayPath('AAPL', BAR, { seed: 1, steps: 3 })).toThrow(/steps must be an integer >= 4, got 3/);
    expect(() => intradayPath('AAPL', BAR, { seed: 1, steps: 10.5 })).toThrow(RangeError);
    expect(() => intradayPath('AAPL', { ...BAR, high: 151 }, { seed: 1, steps: 10 })).toThrow(/AAPL 2024-03-27: not a valid bar/);
    expect(() => intradayPath('AAPL', { ...BAR, low: 0 }, { seed: 1, steps: 10 })).toThrow(RangeError);
  });
});

describe('quotes', () => {
  it('writes cents as two-place decimal strings', () => {
    expect(centsToDecimal(15025)).toBe('150.25');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(100)).toBe('1.00');
    expect(centsToDecimal(0)).toBe('0.00');
  });

  it('puts the bid below and the ask above the mid, the mid exactly halfway, at least a cent apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10_000_000 }), fc.double({ min: 0, max: 100, noNaN: true }), (mid, bps) => {
        const q = quoteAt('AAPL', mid, bps, { bid: 100, ask: 200 }, new Date(0));
        const [bid, ask, m] = [q.bid, q.ask, q.mid].map((s) => Math.round(Number(s) * 100)) as [number, number, number];
        expect(bid).toBeLessThan(m);
        expect(ask).toBeGreaterThan(m);
        expect(bid + ask).toBe(2 * m);
        expect(m).toBe(mid);
        for (const s of [q.bid, q.ask, q.mid]) expect(s).toMatch(/^\d+\.\d\d$/);
      }),
    );
    const q = quoteAt('AAPL', 15025, 2, { bid: 300, ask: 200 }, new Date(0));
    expect(q).toMatchObject({ bid: '150.23', ask: '150.27', mid: '150.25', bidSize: 300, askSize: 200 });
  });
});
