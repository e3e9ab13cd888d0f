/**
 * The recent P&L curve the dashboard draws: total P&L sampled on a timer, for every strategy and
 * for all of them, at most `maxPoints` each (the oldest dropped first).
 */
import type { PnlBook } from './book.js';

/** One point of the curve. */
export interface CurvePoint {
  /** When it was sampled (ISO 8601 UTC). */
  t: string;
  /** Total P&L then, an exact decimal string. */
  total_pl: string;
}

/** Samples `book`'s total P&L per strategy and overall; see {@link PnlCurves.sample}. */
export class PnlCurves {
  readonly #book: PnlBook;
  readonly #maxPoints: number;
  readonly #all: CurvePoint[] = [];
  readonly #byStrategy = new Map<string, CurvePoint[]>();
  #sampledVersion = -1;

  constructor(book: PnlBook, maxPoints: number) {
    this.#book = book;
    this.#maxPoints = maxPoints;
  }

  /**
   * Adds a point to every curve if the book changed since the last sample (a flat line needs no
   * new points: the next point continues it). Returns whether it sampled.
   */
  sample(now: Date = new Date()): boolean {
    const version = this.#book.version;
    if (version === this.#sampledVersion) return false;
    this.#sampledVersion = version;
    const t = now.toISOString();
    this.#push(this.#all, { t, total_pl: this.#book.totals().total_pl });
    for (const strategy of this.#book.strategies()) {
      let curve = this.#byStrategy.get(strategy);
      if (curve === undefined) this.#byStrategy.set(strategy, (curve = []));
      this.#push(curve, { t, total_pl: this.#book.totals(strategy).total_pl });
    }
    return true;
  }

  /** The points of `strategyId`'s curve (or the overall one), oldest first (a copy). */
  points(strategyId?: string): CurvePoint[] {
    return [...((strategyId === undefined ? this.#all : this.#byStrategy.get(strategyId)) ?? [])];
  }

  #push(curve: CurvePoint[], point: CurvePoint): void {
    curve.push(point);
    if (curve.length > this.#maxPoints) curve.splice(0, curve.length - this.#maxPoints);
  }
}
