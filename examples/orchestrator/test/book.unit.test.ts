import { beforeAll, describe, expect, it } from 'vitest';
import { PositionEvent } from '@trading-platform/redis-client';
import { loadShared, tradingDay } from '../../lib/test/fixtures.js';
import type { MarketData } from '../../shared/index.js';
import { PaperBook } from '../src/book.js';

let marketData: MarketData;
beforeAll(async () => {
  ({ marketData } = await loadShared());
});

const fill = (symbol: string, qtyChange: number, newQty: number, price: string): PositionEvent =>
  new PositionEvent({ symbol, action: qtyChange > 0 ? 'buy' : 'sell', qtyChange, newQty, price, strategyId: 's' });

describe('PaperBook', () => {
  it('applies each fill once, moves cash, and marks equity and P&L at the closes', () => {
    const d0 = tradingDay(marketData, 0);
    const d1 = tradingDay(marketData, 1);
    const book = new PaperBook(10_000, marketData);
    const buy = fill('AAPL', 10, 10, '100.00');
    expect(book.apply(buy)).toBe(true);
    expect(book.apply(buy)).toBe(false);
    expect(book.apply(fill('KO', -4, -4, '50.50'))).toBe(true);
    expect(book.cash).toBeCloseTo(10_000 - 1000 + 202, 9);
    const a0 = marketData.closeOn('AAPL', d0) as number;
    const k0 = marketData.closeOn('KO', d0) as number;
    const m0 = book.mark(d0);
    expect(m0.equity).toBeCloseTo(9202 + 10 * a0 - 4 * k0, 9);
    expect(m0.totalPnl).toBeCloseTo(m0.equity - 10_000, 9);
    const m1 = book.mark(d1);
    const expected = 9202 + 10 * (marketData.closeOn('AAPL', d1) as number) - 4 * (marketData.closeOn('KO', d1) as number);
    expect(m1.equity).toBeCloseTo(expected, 9);
    expect(m1.dayPnl).toBeCloseTo(m1.equity - m0.equity, 9);
    expect(book.holdings()).toEqual([['AAPL', 10], ['KO', -4]]);
    expect(book.marks()).toHaveLength(2);
  });
});
