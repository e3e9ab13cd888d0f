/**
 * Exact decimal money for the P&L book: a private decimal.js constructor with enough precision
 * that sums and products of the wire's decimal strings are never rounded, and the few places
 * where a division is rounded, each to a stated number of decimal places.
 */
import { Decimal } from 'decimal.js';

/**
 * The book's decimal type: 60 significant digits, half-even rounding. Prices with up to 10
 * decimal places times quantities up to 10^15 and their sums stay far inside 60 digits, so
 * addition, subtraction and multiplication are exact; only divisions round, explicitly.
 */
export const Money = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });

/** A value of the book's decimal type. */
export type Money = Decimal;

/** Zero, shared (decimal.js values are immutable). */
export const ZERO: Money = new Money(0);

/** Decimal places of the cost basis taken off a position when part of it is sold (a division). */
export const BASIS_DECIMALS = 10;
/** Decimal places of a derived price (`avg_entry_price`, and `current_price` when it falls back to it). */
export const PRICE_DECIMALS = 6;
/** Decimal places of a percentage (`unrealized_pl_pct`, `total_unrealized_pl_pct`). */
export const PERCENT_DECIMALS = 4;

/**
 * `text` as a finite decimal, or `undefined` when it is not one (`NaN`, `Infinity`, not a
 * number). The wire's decimal strings (`"150.2500"`, `"1E+2"`) all parse.
 */
export function parseMoney(text: string): Money | undefined {
  let value: Money;
  try {
    value = new Money(text.trim());
  } catch {
    return undefined;
  }
  return value.isFinite() ? value : undefined;
}

/** `value` in plain notation without trailing zeros (`"1502.5"`, `"-0.3333333333"`, never `"1e-7"` or `"-0"`). */
export function formatMoney(value: Money): string {
  const text = value.toFixed();
  return text === '-0' ? '0' : text;
}

/** `value` rounded half-even to `decimals` places, in plain notation without trailing zeros. */
export function formatRounded(value: Money, decimals: number): string {
  return formatMoney(value.toDecimalPlaces(decimals, Money.ROUND_HALF_EVEN));
}
