/**
 * Turns per-symbol scores into ranked signals and long/short target weights.
 */

/** Which side of the book a symbol is on. */
export type Side = 'long' | 'short' | 'flat';

/** One symbol's ranked signal. */
export interface RankedSignal {
  readonly symbol: string;
  readonly score: number;
  /** 1 = highest score; ties broken by symbol, alphabetically. */
  readonly rank: number;
  readonly side: Side;
  /** +1/topN for longs, -1/bottomN for shorts, 0 otherwise. */
  readonly targetWeight: number;
}

/**
 * Rank symbols by score (highest first, ties by symbol) and give the `topN` best equal long
 * weights summing to +1 and the `bottomN` worst equal short weights summing to -1.
 *
 * @example
 * rankSignals(new Map([['AAPL', 0.01], ['MSFT', -0.02], ['KO', 0]]), 1, 1);
 * // AAPL rank 1 long +1, KO rank 2 flat 0, MSFT rank 3 short -1
 * @throws {RangeError} on a non-finite score, a negative or fractional count, or when the long
 * and short books would overlap (topN + bottomN > number of symbols).
 */
export function rankSignals(
  scores: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  topN: number,
  bottomN: number,
): RankedSignal[] {
  const entries = scores instanceof Map ? [...scores.entries()] : Object.entries(scores);
  for (const [name, count] of [['topN', topN], ['bottomN', bottomN]] as const) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`${name} must be a non-negative integer, got ${count}`);
    }
  }
  if (topN + bottomN > entries.length) {
    throw new RangeError(
      `topN (${topN}) + bottomN (${bottomN}) exceeds the ${entries.length} scored symbols`,
    );
  }
  for (const [symbol, value] of entries) {
    if (!Number.isFinite(value)) throw new RangeError(`score of ${symbol} is not finite: ${value}`);
  }
  entries.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([symbol, value], index) => {
    const rank = index + 1;
    const side: Side = rank <= topN ? 'long' : rank > entries.length - bottomN ? 'short' : 'flat';
    const targetWeight = side === 'long' ? 1 / topN : side === 'short' ? -1 / bottomN : 0;
    return { symbol, score: value, rank, side, targetWeight };
  });
}
