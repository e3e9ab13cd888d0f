/**
 * Properties of the P&L book over random fill sequences (partial fills, flips through zero, many
 * strategies and symbols): realized + unrealized is the mark-to-market change of cash plus
 * shares, exactly; realized moves only on reductions and matches exact rational average-cost
 * arithmetic; duplicates, redeliveries, missed and out-of-order fills never double-count shares.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PnlBook } from '../src/book.js';
import type { Fill } from '../src/book.js';
import { BASIS_DECIMALS, formatMoney, Money, ZERO } from '../src/money.js';
import { computeView } from '../src/view.js';

const KEYS = [
  ['s1', 'AAPL'],
  ['s1', 'MSFT'],
  ['s2', 'AAPL'],
  ['s2', 'KO'],
] as const;
const STRATEGIES = ['s1', 's2'];
const SYMBOLS = ['AAPL', 'MSFT', 'KO'];

/** A decimal string with up to 4 places, from 0.0001 to 1,000,000. */
const price = fc
  .tuple(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([units, places]) => new Money(units).dividedBy(10 ** places).toFixed());
const step = fc.record({
  key: fc.integer({ min: 0, max: KEYS.length - 1 }),
  qtyChange: fc.integer({ min: -400, max: 400 }).filter((n) => n !== 0),
  price,
  // The same timestamp as the fill before (pub/sub timestamps tie when fills come that fast).
  tie: fc.boolean(),
});
const steps = fc.array(step, { minLength: 1, maxLength: 60 });
const marks = fc.tuple(price, price, price);

/**
 * Consistent fills (each `newQty` follows the key's previous one) with distinct ids and
 * non-decreasing timestamps: equal to the previous fill's where the step says `tie`, unless
 * `ties` is false (then all distinct).
 */
function toFills(list: ReadonlyArray<{ key: number; qtyChange: number; price: string; tie: boolean }>, ties = true): Fill[] {
  const qty = KEYS.map(() => 0);
  let timestampMs = 1_000;
  return list.map((s, i) => {
    const [strategyId, symbol] = KEYS[s.key] as (typeof KEYS)[number];
    qty[s.key] = (qty[s.key] as number) + s.qtyChange;
    if (i > 0 && !(ties && s.tie)) timestampMs += 10;
    return { strategyId, symbol, qtyChange: s.qtyChange, newQty: qty[s.key] as number, price: s.price, eventId: `e${i}`, timestampMs };
  });
}

function markAll(book: PnlBook, prices: readonly string[]): void {
  SYMBOLS.forEach((symbol, i) => book.applyPrice(symbol, prices[i] as string, 1e12));
}

/** Cash the fills moved plus the shares at the marks: the book's mark-to-market change. */
function markToMarket(fills: readonly Fill[], prices: readonly string[], strategyId?: string): string {
  let cash = ZERO;
  const shares = new Map<string, number>();
  for (const f of fills) {
    if (strategyId !== undefined && f.strategyId !== strategyId) continue;
    cash = cash.minus(new Money(f.qtyChange).times(f.price));
    shares.set(f.symbol, (shares.get(f.symbol) ?? 0) + f.qtyChange);
  }
  let value = ZERO;
  for (const [symbol, qty] of shares) value = value.plus(new Money(qty).times(prices[SYMBOLS.indexOf(symbol)] as string));
  return formatMoney(cash.plus(value));
}

/** Exact rationals with bigint, for the reference average-cost book. */
interface Ratio {
  n: bigint;
  d: bigint;
}
const ratio = (text: string): Ratio => {
  const [whole, frac = ''] = text.split('.');
  return { n: BigInt(`${whole}${frac}`), d: 10n ** BigInt(frac.length) };
};
const add = (a: Ratio, b: Ratio): Ratio => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const mul = (a: Ratio, k: bigint): Ratio => ({ n: a.n * k, d: a.d });
const div = (a: Ratio, k: bigint): Ratio => (k < 0n ? { n: -a.n, d: a.d * -k } : { n: a.n, d: a.d * k });
const toMoney = (a: Ratio): Money => new Money(a.n.toString()).dividedBy(a.d.toString());

describe('PnlBook properties', () => {
  it('realized + unrealized equals the mark-to-market change of cash and shares, exactly, per strategy and in total', () => {
    fc.assert(
      fc.property(steps, marks, (list, prices) => {
        const fills = toFills(list);
        const book = new PnlBook();
        for (const f of fills) expect(book.applyFill(f)).toBe('applied');
        markAll(book, prices);
        expect(book.totals().total_pl).toBe(markToMarket(fills, prices));
        let sum = ZERO;
        for (const s of STRATEGIES) {
          const totals = book.totals(s);
          expect(totals.total_pl).toBe(markToMarket(fills, prices, s));
          expect(computeView(book, s).totals).toMatchObject({ realized_pl: totals.realized_pl, total_unrealized_pl: totals.unrealized_pl, total_pl: totals.total_pl });
          sum = sum.plus(totals.total_pl);
        }
        expect(formatMoney(sum)).toBe(book.totals().total_pl);
        expect(computeView(book).totals.total_pl).toBe(book.totals().total_pl);
      }),
      { numRuns: 300 },
    );
  });

  it('realizes only on reductions, matches exact average-cost arithmetic, and a flat position has realized exactly its cash', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const fills = toFills(list);
        const book = new PnlBook();
        const reference = KEYS.map(() => ({ qty: 0n, cost: { n: 0n, d: 1n } as Ratio, realized: { n: 0n, d: 1n } as Ratio, cash: ZERO, roundings: 0 }));
        for (const f of fills) {
          const k = KEYS.findIndex(([s, y]) => s === f.strategyId && y === f.symbol);
          const ref = reference[k] as (typeof reference)[number];
          const position = () => book.positionsIn(f.symbol, f.strategyId)[0] as NonNullable<ReturnType<PnlBook['positionsIn']>[number]>;
          const before = book.positionsIn(f.symbol, f.strategyId)[0]?.realized ?? ZERO;
          book.applyFill(f);
          const change = BigInt(f.qtyChange);
          const p = ratio(f.price);
          const increases = ref.qty === 0n || ref.qty < 0n === change < 0n;
          if (increases) {
            expect(position().realized.equals(before)).toBe(true);
            ref.cost = add(ref.cost, mul(p, change));
          } else {
            const closing = (change < 0n ? -change : change) < (ref.qty < 0n ? -ref.qty : ref.qty) ? change : -ref.qty;
            if (closing !== -ref.qty) ref.roundings += 1;
            const removed = div(mul(ref.cost, -closing), ref.qty);
            ref.realized = add(ref.realized, add(mul(p, -closing), mul(removed, -1n)));
            ref.cost = add(add(ref.cost, mul(removed, -1n)), mul(p, change - closing));
          }
          ref.qty += change;
          ref.cash = ref.cash.minus(new Money(f.qtyChange).times(f.price));
          expect(position().qty.toString()).toBe(ref.qty.toString());
          const error = position().realized.minus(toMoney(ref.realized)).abs();
          expect(error.lessThanOrEqualTo(new Money(ref.roundings).times(new Money(10).pow(-BASIS_DECIMALS)))).toBe(true);
          if (ref.qty === 0n) expect(formatMoney(position().realized)).toBe(formatMoney(ref.cash));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ignores repeated event ids and stream redeliveries: the book equals the book of each fill once', () => {
    fc.assert(
      fc.property(steps, marks, fc.array(fc.nat(), { maxLength: 30 }), fc.nat(), (list, prices, repeats, cut) => {
        const fills = toFills(list);
        const once = new PnlBook();
        fills.forEach((f) => once.applyFill(f));
        markAll(once, prices);

        const withRepeats: Fill[] = [...fills];
        for (const r of repeats) {
          const repeat = fills[r % fills.length] as Fill;
          const first = withRepeats.indexOf(repeat);
          withRepeats.splice(first + 1 + (r % (withRepeats.length - first)), 0, repeat);
        }
        const repeated = new PnlBook();
        withRepeats.forEach((f) => repeated.applyFill(f));
        markAll(repeated, prices);
        expect(repeated.totals()).toEqual(once.totals());
        expect(repeated.stats().fills).toEqual({ applied: fills.length, bridged: 0, duplicate: withRepeats.length - fills.length, late: 0 });

        // A restart: the stream replayed up to some entry, then the consumer group redelivers from an earlier one.
        const streamed = fills.map((f, i) => ({ ...f, eventId: undefined, sequence: `${1_700_000_000_000 + i}-0` }));
        const resumed = new PnlBook();
        const upTo = cut % (streamed.length + 1);
        streamed.slice(0, upTo).forEach((f) => resumed.applyFill(f));
        streamed.slice(Math.floor(upTo / 2)).forEach((f) => resumed.applyFill(f));
        markAll(resumed, prices);
        expect(resumed.totals()).toEqual(once.totals());
      }),
      { numRuns: 200 },
    );
  });

  it('after missed and out-of-order pub/sub fills, every position holds the newest delivered fill shares', () => {
    fc.assert(
      fc.property(steps, fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), (list, keep, order) => {
        // Distinct timestamps: with a fill missed among fills of one timestamp, nothing tells which of those is newest.
        const fills = toFills(list, false);
        const delivered = fills.filter((_, i) => keep[i] || i === fills.length - 1);
        const shuffled = delivered.map((f, i) => ({ f, o: order[i] as number })).sort((a, b) => a.o - b.o).map(({ f }) => f);
        const book = new PnlBook();
        shuffled.forEach((f) => book.applyFill(f));
        const stats = book.stats().fills;
        expect(stats.applied + stats.bridged + stats.late).toBe(delivered.length);
        for (const [strategyId, symbol] of KEYS) {
          const newest = delivered.filter((f) => f.strategyId === strategyId && f.symbol === symbol).at(-1);
          const held = book.positionsIn(symbol, strategyId)[0]?.qty.toNumber() ?? 0;
          expect(held).toBe(newest?.newQty ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pub/sub fills with one timestamp, in any order among themselves: every position holds the newest fill shares and the P&L is exact', () => {
    fc.assert(
      fc.property(steps, marks, fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), (list, prices, order) => {
        const fills = toFills(list);
        // Timestamps in order; within each, any order.
        const delivered = fills
          .map((f, i) => ({ f, o: order[i] as number }))
          .sort((a, b) => a.f.timestampMs - b.f.timestampMs || a.o - b.o)
          .map(({ f }) => f);
        const book = new PnlBook();
        delivered.forEach((f) => book.applyFill(f));
        const stats = book.stats().fills;
        expect(stats.late + stats.duplicate).toBe(0);
        for (const [strategyId, symbol] of KEYS) {
          const newest = fills.filter((f) => f.strategyId === strategyId && f.symbol === symbol).at(-1);
          expect(book.positionsIn(symbol, strategyId)[0]?.qty.toNumber() ?? 0).toBe(newest?.newQty ?? 0);
        }
        // Nothing stays bridged: the P&L is the fills' cash and shares, exactly, as in order.
        markAll(book, prices);
        expect(book.totals().total_pl).toBe(markToMarket(fills, prices));
        for (const s of STRATEGIES) expect(book.totals(s).total_pl).toBe(markToMarket(fills, prices, s));
      }),
      { numRuns: 300 },
    );
  });
});
