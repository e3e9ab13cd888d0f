/**
 * One position's arithmetic on the average-cost basis: a fill that adds to a position adds its
 * cost; a fill that reduces it takes off the average cost of the shares it closes and realizes
 * the difference; a fill that crosses zero closes the old side and opens the rest at its price.
 */
import { BASIS_DECIMALS, Money, ZERO } from './money.js';

/**
 * A position of one strategy in one symbol. `cost` is the cost basis of the shares held (negative
 * for a short: what selling them brought in), so the average entry price is `cost / qty` and the
 * unrealized P&L at a mark is `qty × mark − cost`. Flat, `cost` is exactly zero.
 */
export interface PositionState {
  /** Signed shares held (an integer). */
  qty: Money;
  /** Cost basis of the shares held. */
  cost: Money;
  /** P&L realized by every reduction so far. */
  realized: Money;
}

/** A new flat position. */
export function flatPosition(): PositionState {
  return { qty: ZERO, cost: ZERO, realized: ZERO };
}

/**
 * Applies a fill of `qtyChange` shares (signed: negative sells) at `price` to `position` in
 * place and returns the P&L it realized (zero unless it reduced the position).
 *
 * Closing `k` of `q` shares takes `cost × k / q` off the basis: exactly all of it when the
 * position closes, otherwise rounded half-even to {@link BASIS_DECIMALS} places (the one division).
 * Whatever that rounding, `realized + qty × mark − cost` always equals the cash the fills moved
 * plus the shares' value at `mark`, exactly: the rounding only moves P&L between realized and
 * unrealized.
 */
export function applyToPosition(position: PositionState, qtyChange: Money, price: Money): Money {
  const { qty, cost } = position;
  if (qtyChange.isZero()) return ZERO;
  if (qty.isZero() || qty.isNegative() === qtyChange.isNegative()) {
    position.qty = qty.plus(qtyChange);
    position.cost = cost.plus(qtyChange.times(price));
    return ZERO;
  }
  const closing = qtyChange.abs().lessThan(qty.abs()) ? qtyChange : qty.negated();
  const removed = closing.equals(qty.negated()) ? cost : cost.times(closing.negated()).dividedBy(qty).toDecimalPlaces(BASIS_DECIMALS, Money.ROUND_HALF_EVEN);
  // Selling k shares brings in k × price; buying back a short pays it (closing is then positive).
  const realized = closing.negated().times(price).minus(removed);
  const opening = qtyChange.minus(closing);
  position.qty = qty.plus(qtyChange);
  position.cost = cost.minus(removed).plus(opening.times(price));
  position.realized = position.realized.plus(realized);
  return realized;
}

/** `qty × mark − cost`: what the position would realize if closed at `mark`. */
export function unrealizedAt(position: PositionState, mark: Money): Money {
  return position.qty.times(mark).minus(position.cost);
}
