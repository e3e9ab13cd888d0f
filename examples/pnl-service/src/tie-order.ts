/**
 * Pub/sub fills of one position that share a timestamp: their timestamps cannot order them, their
 * shares can. Each fill takes a position from `newQty − qtyChange` to `newQty` shares, and the
 * fills of one position chain (each starts where the one before it ended), so an order in which
 * every fill starts where the previous one ended is the order they happened in.
 */
import { Money } from './money.js';
import { applyToPosition } from './position.js';
import type { PositionState } from './position.js';

/** What a fill does to a position's shares. */
export interface ShareStep {
  /** Shares before the fill: `newQty − qtyChange`. */
  before: number;
  /** Shares after it: `newQty`. */
  after: number;
}

/**
 * The order to apply `steps` (fills with one timestamp, in arrival order) to a position holding
 * `held` shares, as indexes into `steps`.
 *
 * Every order in which each fill starts where the previous ended (a chain through all of them)
 * ends at the same shares, so when one exists the shares come out right however the fills
 * arrived. The chain tried first starts at `held`; then, for when a fill before these was missed,
 * at the shares that more fills leave than reach (where the chain must start), then at the
 * first arrival's. Where a chain can branch, the earlier arrival goes first. Without any chain (a fill among
 * these was missed too) the order is the arrival order, each fill bridged as it comes.
 */
export function orderTies(held: number, steps: readonly ShareStep[]): number[] {
  const arrival = steps.map((_, i) => i);
  if (steps.length < 2) return arrival;
  for (const start of startCandidates(held, steps)) {
    const order = chainFrom(start, steps);
    if (order !== undefined) return order;
  }
  return arrival;
}

function startCandidates(held: number, steps: readonly ShareStep[]): number[] {
  const surplus = new Map<number, number>();
  for (const { before, after } of steps) {
    surplus.set(before, (surplus.get(before) ?? 0) + 1);
    surplus.set(after, (surplus.get(after) ?? 0) - 1);
  }
  const sources = [...surplus].filter(([, n]) => n > 0).map(([shares]) => shares);
  const candidates = [held];
  if (sources.length === 1) candidates.push(sources[0] as number);
  candidates.push((steps[0] as ShareStep).before);
  return [...new Set(candidates)];
}

/**
 * A chain through every step from `start` (Hierholzer's walk, each vertex's steps taken in
 * arrival order), or `undefined` when there is none.
 */
function chainFrom(start: number, steps: readonly ShareStep[]): number[] | undefined {
  const outgoing = new Map<number, number[]>();
  steps.forEach((step, i) => {
    const list = outgoing.get(step.before);
    if (list === undefined) outgoing.set(step.before, [i]);
    else list.push(i);
  });
  const next = new Map<number, number>();
  const stack: Array<{ shares: number; step: number }> = [{ shares: start, step: -1 }];
  const reversed: number[] = [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { shares: number; step: number };
    const list = outgoing.get(top.shares);
    const used = next.get(top.shares) ?? 0;
    if (list !== undefined && used < list.length) {
      next.set(top.shares, used + 1);
      const step = list[used] as number;
      stack.push({ shares: (steps[step] as ShareStep).after, step });
    } else {
      stack.pop();
      if (top.step >= 0) reversed.push(top.step);
    }
  }
  const order = reversed.reverse();
  if (order.length !== steps.length) return undefined;
  let shares = start;
  for (const i of order) {
    const step = steps[i] as ShareStep;
    if (step.before !== shares) return undefined;
    shares = step.after;
  }
  return order;
}

/**
 * At most this many pub/sub fills of one position with one timestamp are reordered together
 * (each out-of-order arrival recomputes them all); the next one starts a new group after them.
 */
export const MAX_TIE_FILLS = 64;

/** A fill as the book applies it: its share step, signed change and price. */
export interface Step extends ShareStep {
  qtyChange: Money;
  price: Money;
}

/** The pub/sub fills of a position at its last timestamp, and the position before the first of them. */
export interface Ties {
  timestampMs: number;
  anchor: PositionState;
  steps: Step[];
  /** The arrival order chains (each fill started where the one before ended). */
  inOrder: boolean;
}

/** Applies `step` to `position`, first moving it to `step.before` shares at its price if it is not there (`bridged`). */
export function applyStep(position: PositionState, step: Step): 'applied' | 'bridged' {
  let outcome: 'applied' | 'bridged' = 'applied';
  if (!position.qty.equals(step.before)) {
    applyToPosition(position, new Money(step.before).minus(position.qty), step.price);
    outcome = 'bridged';
  }
  applyToPosition(position, step.qtyChange, step.price);
  return outcome;
}

/**
 * Adds `step` to the fills of the position's last timestamp. One that follows them in arrival
 * order is applied; otherwise the position is recomputed from before the first of them in the
 * order {@link orderTies} gives. Returns what happened to `step` in that order.
 */
export function applyTie(position: PositionState, ties: Ties, step: Step): 'applied' | 'bridged' {
  ties.steps.push(step);
  if (ties.inOrder && position.qty.equals(step.before)) return applyStep(position, step);
  ties.inOrder = false;
  Object.assign(position, ties.anchor);
  let outcome: 'applied' | 'bridged' = 'applied';
  for (const i of orderTies(ties.anchor.qty.toNumber(), ties.steps)) {
    const done = applyStep(position, ties.steps[i] as Step);
    if (i === ties.steps.length - 1) outcome = done;
  }
  return outcome;
}

/** A copy of the shares, cost and realized P&L of `position`. */
export function snapshot(position: PositionState): PositionState {
  return { qty: position.qty, cost: position.cost, realized: position.realized };
}
