/** The P&L book on hand-computed cases: average cost, realized on reductions, flips, duplicates, missed and late fills, marks, the view. */
import { describe, expect, it } from 'vitest';
import { PositionEvent } from '@trading-platform/redis-client';
import { compareStreamIds, fillFromEvent, PnlBook } from '../src/book.js';
import type { Fill } from '../src/book.js';
import { computeView, realtimePnl } from '../src/view.js';

let clock = Date.UTC(2024, 3, 1, 14, 30);
const fill = (symbol: string, qtyChange: number, newQty: number, price: string, extra: Partial<Fill> = {}): Fill => ({
  strategyId: 's1',
  symbol,
  qtyChange,
  newQty,
  price,
  timestampMs: (clock += 1000),
  ...extra,
});

describe('PnlBook arithmetic', () => {
  it('averages the cost of buys, realizes on sells, and closes exactly', () => {
    const book = new PnlBook();
    book.applyFill(fill('AAPL', 10, 10, '100'));
    book.applyFill(fill('AAPL', 10, 20, '110'));
    book.applyPrice('AAPL', '120', clock);
    expect(book.totals()).toEqual({ realized_pl: '0', unrealized_pl: '300', total_pl: '300' });
    expect(computeView(book).rows.get('AAPL')).toMatchObject({ qty: '20', avg_entry_price: '105', current_price: '120', unrealized_pl: '300', unrealized_pl_pct: '14.2857' });
    book.applyFill(fill('AAPL', -15, 5, '120'));
    expect(book.totals()).toEqual({ realized_pl: '225', unrealized_pl: '75', total_pl: '300' });
    book.applyFill(fill('AAPL', -5, 0, '90'));
    expect(book.totals()).toEqual({ realized_pl: '150', unrealized_pl: '0', total_pl: '150' });
    expect(book.positionsIn('AAPL')[0]?.cost.isZero()).toBe(true);
    expect(computeView(book).rows.size).toBe(0);
  });

  it('closes the old side and opens the rest at the fill price when a fill crosses zero', () => {
    const book = new PnlBook();
    book.applyFill(fill('KO', 10, 10, '60'));
    book.applyFill(fill('KO', -15, -5, '62.5'));
    book.applyPrice('KO', '61', clock);
    expect(computeView(book).rows.get('KO')).toMatchObject({ qty: '-5', avg_entry_price: '62.5', unrealized_pl: '7.5', unrealized_pl_pct: '2.4' });
    expect(book.totals()).toEqual({ realized_pl: '25', unrealized_pl: '7.5', total_pl: '32.5' });
    book.applyFill(fill('KO', 8, 3, '59'));
    // Buying back the 5 short at 59 realizes 5 x 3.5; 3 long open at 59.
    expect(book.totals()).toEqual({ realized_pl: '42.5', unrealized_pl: '6', total_pl: '48.5' });
  });

  it('keeps decimals exact where binary floats drift (0.1 + 0.2)', () => {
    const book = new PnlBook();
    book.applyFill(fill('X', 1, 1, '0.1'));
    book.applyFill(fill('X', 1, 2, '0.2'));
    book.applyPrice('X', '0.15', clock);
    expect(book.totals().unrealized_pl).toBe('0');
    book.applyPrice('X', '0.3', clock + 1);
    expect(book.totals().unrealized_pl).toBe('0.3');
  });

  it('rounds only the basis a partial sale takes off a non-terminating average, and the total stays exact', () => {
    const book = new PnlBook();
    book.applyFill(fill('Y', 1, 1, '10'));
    book.applyFill(fill('Y', 2, 3, '11'));
    book.applyFill(fill('Y', -1, 2, '12'));
    book.applyPrice('Y', '12', clock);
    // Basis 32 over 3 shares: 10.6666666667 taken off (10 places), 21.3333333333 left.
    expect(book.totals()).toEqual({ realized_pl: '1.3333333333', unrealized_pl: '2.6666666667', total_pl: '4' });
    expect(computeView(book).rows.get('Y')?.avg_entry_price).toBe('10.666667');
  });

  it('marks without a price at the entry price (fallback, zero unrealized) and counts real-time prices', () => {
    const book = new PnlBook();
    book.applyFill(fill('AAPL', 3, 3, '100'));
    book.applyFill(fill('MSFT', -2, -2, '400.125'));
    book.applyPrice('AAPL', '101', Date.UTC(2024, 3, 1, 15, 0, 0, 123));
    const body = realtimePnl(computeView(book), new Date(Date.UTC(2024, 3, 1, 15, 0, 1)));
    expect(body).toEqual({
      positions: [
        { symbol: 'AAPL', qty: '3', avg_entry_price: '100', current_price: '101', price_source: 'real-time', unrealized_pl: '3', unrealized_pl_pct: '1', last_price_update: '2024-04-01T15:00:00.123Z' },
        { symbol: 'MSFT', qty: '-2', avg_entry_price: '400.125', current_price: '400.125', price_source: 'fallback', unrealized_pl: '0', unrealized_pl_pct: '0', last_price_update: null },
      ],
      total_positions: 2,
      total_unrealized_pl: '3',
      total_unrealized_pl_pct: '0.2727',
      realtime_prices_available: 1,
      timestamp: '2024-04-01T15:00:01.000Z',
      realized_pl: '0',
      total_pl: '3',
    });
    expect(Object.keys(body)).toEqual(['positions', 'total_positions', 'total_unrealized_pl', 'total_unrealized_pl_pct', 'realtime_prices_available', 'timestamp', 'realized_pl', 'total_pl']);
  });

  it('sums strategies per symbol, filters by strategy, and shows an unknown strategy as empty zeros', () => {
    const book = new PnlBook();
    book.applyFill(fill('AAPL', 10, 10, '100', { strategyId: 'a' }));
    book.applyFill(fill('AAPL', -4, -4, '101', { strategyId: 'b' }));
    book.applyPrice('AAPL', '102', clock);
    expect(computeView(book).rows.get('AAPL')).toMatchObject({ qty: '6', unrealized_pl: '16' });
    expect(computeView(book, 'b').rows.get('AAPL')).toMatchObject({ qty: '-4', avg_entry_price: '101', unrealized_pl: '-4' });
    expect(computeView(book, 'nobody')).toEqual({
      rows: new Map(),
      totals: { total_positions: 0, total_unrealized_pl: '0', total_unrealized_pl_pct: null, realtime_prices_available: 0, realized_pl: '0', total_pl: '0' },
    });
    expect(book.strategies().sort()).toEqual(['a', 'b']);
  });

  it('with strategies on opposite sides of a symbol: percentages over each position cost basis, no row when the shares cancel out, the P&L still in the totals', () => {
    const book = new PnlBook();
    book.applyFill(fill('AAPL', 10, 10, '100', { strategyId: 's1' }));
    book.applyFill(fill('AAPL', -10, -10, '110', { strategyId: 's2' }));
    const zeros = { total_positions: 0, total_unrealized_pl: '0', total_unrealized_pl_pct: '0', realtime_prices_available: 0, realized_pl: '0', total_pl: '0' };
    expect(computeView(book)).toEqual({ rows: new Map(), totals: zeros });
    book.applyPrice('AAPL', '105', clock);
    // Long 10 at 100 and short 10 at 110, marked at 105: +50 each, on a basis of 1000 + 1100.
    expect(computeView(book)).toEqual({ rows: new Map(), totals: { ...zeros, total_unrealized_pl: '100', total_unrealized_pl_pct: '4.7619', total_pl: '100' } });
    expect(book.totals()).toEqual({ realized_pl: '0', unrealized_pl: '100', total_pl: '100' });
    expect(computeView(book, 's1').rows.get('AAPL')).toMatchObject({ qty: '10', avg_entry_price: '100', unrealized_pl: '50', unrealized_pl_pct: '5' });
    expect(computeView(book, 's2').rows.get('AAPL')).toMatchObject({ qty: '-10', avg_entry_price: '110', unrealized_pl: '50', unrealized_pl_pct: '4.5455' });

    // Partly offset, without a price: marked at the (net) average entry, never at 0.
    const partly = new PnlBook();
    partly.applyFill(fill('KO', 10, 10, '100', { strategyId: 's1' }));
    partly.applyFill(fill('KO', -5, -5, '110', { strategyId: 's2' }));
    expect(computeView(partly).rows.get('KO')).toMatchObject({ qty: '5', avg_entry_price: '90', current_price: '90', price_source: 'fallback', unrealized_pl: '0', unrealized_pl_pct: '0' });
    partly.applyPrice('KO', '105', clock);
    // +50 and +25 on a basis of 1000 + 550 (not on the net 450).
    expect(computeView(partly).rows.get('KO')).toMatchObject({ qty: '5', current_price: '105', unrealized_pl: '75', unrealized_pl_pct: '4.8387' });
    expect(computeView(partly).totals).toMatchObject({ total_positions: 1, total_unrealized_pl: '75', total_unrealized_pl_pct: '4.8387' });
  });

  it('formats only the rows asked for, with totals over every row', () => {
    const book = new PnlBook();
    book.applyFill(fill('A', 1, 1, '10'));
    book.applyFill(fill('B', 2, 2, '20'));
    book.applyFill(fill('C', 3, 3, '30'));
    book.applyPrice('B', '21', clock);
    const full = computeView(book);
    const some = computeView(book, undefined, new Set(['B', 'Z']));
    expect([...some.rows.keys()]).toEqual(['B']);
    expect(some.rows.get('B')).toEqual(full.rows.get('B'));
    expect(some.totals).toEqual(full.totals);
    expect(some.totals).toMatchObject({ total_positions: 3, realtime_prices_available: 1, total_unrealized_pl: '2' });
  });

  it('refuses a fill with an unusable price or a fractional quantity', () => {
    const book = new PnlBook();
    expect(() => book.applyFill(fill('A', 1, 1, 'NaN'))).toThrow(/price must be a finite decimal/);
    expect(() => book.applyFill(fill('A', 1.5, 1.5, '1'))).toThrow(/integers/);
    expect(() => new PnlBook({ maxRememberedIds: 0 })).toThrow(RangeError);
  });
});

describe('PnlBook: each fill once', () => {
  it('ignores a repeated event_id, and forgets the oldest ids past maxRememberedIds', () => {
    const book = new PnlBook({ maxRememberedIds: 2 });
    const first = fill('A', 1, 1, '10', { eventId: 'e1' });
    expect(book.applyFill(first)).toBe('applied');
    expect(book.applyFill(first)).toBe('duplicate');
    book.applyFill(fill('A', 1, 2, '10', { eventId: 'e2' }));
    book.applyFill(fill('A', 1, 3, '10', { eventId: 'e3' }));
    // e1 is forgotten: the same fill again no longer follows the position, so it is bridged, never double-counted in shares.
    expect(book.applyFill({ ...first, timestampMs: clock += 1000 })).toBe('bridged');
    expect(book.positionsIn('A')[0]?.qty.toNumber()).toBe(1);
    expect(book.stats().fills).toEqual({ applied: 3, bridged: 1, duplicate: 1, late: 0 });
  });

  it('treats a stream entry at or before the last applied one as a duplicate, whatever its event_id', () => {
    const book = new PnlBook();
    expect(book.applyFill(fill('A', 5, 5, '10', { sequence: '1700000000000-1' }))).toBe('applied');
    expect(book.applyFill(fill('A', 5, 10, '10', { sequence: '1700000000000-1' }))).toBe('duplicate');
    expect(book.applyFill(fill('A', 5, 10, '10', { sequence: '999999999999-5' }))).toBe('duplicate');
    expect(book.applyFill(fill('A', 5, 10, '10', { sequence: '1700000000000-2' }))).toBe('applied');
    expect(book.positionsIn('A')[0]?.qty.toNumber()).toBe(10);
  });

  it('bridges a missed fill at the next fill price, so the shares match the gateway', () => {
    const book = new PnlBook();
    book.applyFill(fill('A', 10, 10, '100'));
    // The fill that took the position from 10 to 30 never arrived.
    expect(book.applyFill(fill('A', -5, 25, '110'))).toBe('bridged');
    book.applyPrice('A', '110', clock);
    expect(computeView(book).rows.get('A')).toMatchObject({ qty: '25' });
    // Bridged: +20 at 110 (basis 3200 for 30), then 5 sold at 110 against an average of 106.66...
    expect(book.totals()).toEqual({ realized_pl: '16.6666666667', unrealized_pl: '83.3333333333', total_pl: '100' });
  });

  it('ignores a pub/sub fill older than the position last fill (late), but never a stream one', () => {
    const book = new PnlBook();
    const a = fill('A', 10, 10, '100');
    const b = fill('A', -10, 0, '105');
    expect(book.applyFill(b)).toBe('bridged');
    expect(book.applyFill(a)).toBe('late');
    expect(book.positionsIn('A')[0]?.qty.toNumber()).toBe(0);
    const streamed = new PnlBook();
    streamed.applyFill({ ...b, sequence: '5-0' });
    expect(streamed.applyFill({ ...a, newQty: 10, sequence: '6-0' })).toBe('applied');
  });

  it('orders pub/sub fills with one timestamp by their shares: delivered newest first, the position ends at the newest fill', () => {
    const at = (clock += 1000);
    const a1 = fill('Y', 10, 10, '100', { timestampMs: at });
    const a2 = fill('Y', 5, 15, '101', { timestampMs: at });
    const inOrder = new PnlBook();
    inOrder.applyFill(a1);
    inOrder.applyFill(a2);
    const reversed = new PnlBook();
    expect(reversed.applyFill(a2)).toBe('bridged');
    expect(reversed.applyFill(a1)).toBe('applied');
    expect(reversed.positionsIn('Y')[0]?.qty.toNumber()).toBe(15);
    reversed.applyPrice('Y', '103', clock);
    inOrder.applyPrice('Y', '103', clock);
    // Recomputed in the fills' own order: the same book as in-order delivery, nothing bridged.
    expect(reversed.totals()).toEqual(inOrder.totals());
    expect(computeView(reversed).rows.get('Y')).toEqual(computeView(inOrder).rows.get('Y'));

    // Three at one timestamp, the newest in the middle: 0 -> 10 -> 0 -> 20.
    const b1 = fill('Z', 10, 10, '50', { timestampMs: at });
    const b2 = fill('Z', -10, 0, '51', { timestampMs: at });
    const b3 = fill('Z', 20, 20, '52', { timestampMs: at });
    const mixed = new PnlBook();
    for (const f of [b1, b3, b2]) mixed.applyFill(f);
    expect(mixed.positionsIn('Z')[0]?.qty.toNumber()).toBe(20);
    expect(mixed.totals()).toEqual({ realized_pl: '10', unrealized_pl: '0', total_pl: '10' });
    // A later fill with an earlier timestamp is still late.
    expect(mixed.applyFill(fill('Z', 1, 21, '1', { timestampMs: at - 1 }))).toBe('late');
  });

  it('reads the microseconds of an event timestamp, so fills in one millisecond are ordered by time', () => {
    const at = (ts: string) => fillFromEvent(new PositionEvent({ symbol: 'A', action: 'buy', qtyChange: 1, newQty: 1, price: '1', strategyId: 's', timestamp: ts })).timestampMs;
    expect(at('2024-04-01T14:30:00.123456+00:00')).toBe(Date.UTC(2024, 3, 1, 14, 30, 0, 123) + 0.456);
    expect(at('2024-04-01T14:30:00.1234+00:00')).toBe(Date.UTC(2024, 3, 1, 14, 30, 0, 123) + 0.4);
    expect(at('2024-04-01T14:30:00.123457+00:00')).toBeGreaterThan(at('2024-04-01T14:30:00.123456+00:00'));
    expect(at('2024-04-01T14:30:00+00:00')).toBe(Date.UTC(2024, 3, 1, 14, 30));
  });

  it('keeps the newest mark by its timestamp and ignores unusable prices', () => {
    const book = new PnlBook();
    expect(book.lastPriceAtMs).toBeNull();
    expect(book.applyPrice('A', '10', 2000, 50)).toBe(true);
    expect(book.applyPrice('A', '9', 1000, 60)).toBe(false);
    expect(book.applyPrice('A', '0', 3000)).toBe(false);
    expect(book.applyPrice('A', 'Infinity', 3000)).toBe(false);
    expect(book.mark('A')?.price.toString()).toBe('10');
    expect(book.lastPriceAtMs).toBe(50);
    expect(book.stats()).toMatchObject({ prices: 1, ignoredPrices: 3 });
  });

  it('reads a PositionEvent as a fill and orders stream ids numerically', () => {
    const event = new PositionEvent({ symbol: 'AAPL', action: 'buy', qtyChange: 3, newQty: 3, price: '150.2500', strategyId: 'x', timestamp: '2024-04-01T14:30:00+00:00' });
    expect(fillFromEvent(event, '9-1')).toEqual({
      strategyId: 'x', symbol: 'AAPL', qtyChange: 3, newQty: 3, price: '150.2500', eventId: event.eventId, timestampMs: Date.UTC(2024, 3, 1, 14, 30), sequence: '9-1',
    });
    expect(compareStreamIds('10-0', '9-5')).toBe(1);
    expect(compareStreamIds('9-5', '9-5')).toBe(0);
    expect(compareStreamIds('9-4', '9-5')).toBe(-1);
    expect(compareStreamIds('x', '9-5')).toBeUndefined();
  });
});
