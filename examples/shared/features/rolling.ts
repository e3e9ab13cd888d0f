/**
 * Rolling-window operators with Qlib's semantics, evaluated on one window: a read-only array of
 * the last `d` values, oldest first, the current value last. Each returns NaN where Qlib does
 * (e.g. a correlation with a constant side).
 */

/** Arithmetic mean. */
export function mean(window: ArrayLike<number>): number {
  return sum(window) / window.length;
}

/** Sum of the values. */
export function sum(window: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < window.length; i += 1) total += window[i] as number;
  return total;
}

/** Sample standard deviation (ddof = 1, as pandas' rolling `std`); NaN for one value. */
export function std(window: ArrayLike<number>): number {
  const n = window.length;
  const average = mean(window);
  let squares = 0;
  for (let i = 0; i < n; i += 1) {
    const deviation = (window[i] as number) - average;
    squares += deviation * deviation;
  }
  return Math.sqrt(squares / (n - 1));
}

/** Largest value. */
export function max(window: ArrayLike<number>): number {
  let best = -Infinity;
  for (let i = 0; i < window.length; i += 1) best = Math.max(best, window[i] as number);
  return best;
}

/** Smallest value. */
export function min(window: ArrayLike<number>): number {
  let best = Infinity;
  for (let i = 0; i < window.length; i += 1) best = Math.min(best, window[i] as number);
  return best;
}

/** 1-based position of the first largest value, counted from the oldest (Qlib `IdxMax`). */
export function idxMax(window: ArrayLike<number>): number {
  let position = 0;
  for (let i = 1; i < window.length; i += 1) {
    if ((window[i] as number) > (window[position] as number)) position = i;
  }
  return position + 1;
}

/** 1-based position of the first smallest value, counted from the oldest (Qlib `IdxMin`). */
export function idxMin(window: ArrayLike<number>): number {
  let position = 0;
  for (let i = 1; i < window.length; i += 1) {
    if ((window[i] as number) < (window[position] as number)) position = i;
  }
  return position + 1;
}

/** Ascending copy of a window, shared by several quantiles. */
export function sorted(window: ArrayLike<number>): Float64Array {
  return Float64Array.from(window).sort();
}

/** Quantile `q` of an ascending array with linear interpolation (pandas' default). */
export function quantileOfSorted(ascending: ArrayLike<number>, q: number): number {
  const position = q * (ascending.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = ascending[lower] as number;
  return low + ((ascending[upper] as number) - low) * (position - lower);
}

/**
 * Percentile rank of the current (last) value in the window, ties averaged: pandas'
 * `rolling(d).rank(pct=True)`, which Qlib's `Rank` uses.
 */
export function rankOfLast(window: ArrayLike<number>): number {
  const n = window.length;
  const current = window[n - 1] as number;
  let below = 0;
  let equal = 0;
  for (let i = 0; i < n; i += 1) {
    const value = window[i] as number;
    if (value < current) below += 1;
    else if (value === current) equal += 1;
  }
  return (below + (equal + 1) / 2) / n;
}

/** Least-squares fit of the window against time x = 1..d (Qlib `Slope`, `Rsquare`, `Resi`). */
export interface LinearFit {
  readonly slope: number;
  /** Coefficient of determination; NaN when the window is constant. */
  readonly rsquare: number;
  /** Current value minus the fitted value at x = d. */
  readonly residual: number;
}

/** Fit a line through the window against x = 1..d. */
export function linearFit(window: ArrayLike<number>): LinearFit {
  const n = window.length;
  const xMean = (n + 1) / 2;
  const yMean = mean(window);
  let sxy = 0;
  let syy = 0;
  let constant = true;
  const first = window[0] as number;
  for (let i = 0; i < n; i += 1) {
    const value = window[i] as number;
    const dy = value - yMean;
    sxy += (i + 1 - xMean) * dy;
    syy += dy * dy;
    if (value !== first) constant = false;
  }
  const sxx = (n * (n * n - 1)) / 12;
  const slope = sxy / sxx;
  const fittedLast = yMean + slope * (n - xMean);
  return {
    slope,
    rsquare: constant ? Number.NaN : (sxy * sxy) / (sxx * syy),
    residual: (window[n - 1] as number) - fittedLast,
  };
}

/** A standard deviation this small counts as zero in Qlib's `Corr` (`np.isclose(std, 0, atol=2e-5)`). */
export const CORR_ZERO_STD = 2e-5;

/**
 * Pearson correlation of two equal-length windows (pandas' rolling `corr`). NaN, as in Qlib,
 * when either side's sample standard deviation is at most {@link CORR_ZERO_STD}.
 */
export function corr(left: ArrayLike<number>, right: ArrayLike<number>): number {
  const n = left.length;
  const leftMean = mean(left);
  const rightMean = mean(right);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (left[i] as number) - leftMean;
    const dy = (right[i] as number) - rightMean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const leftStd = Math.sqrt(sxx / (n - 1));
  const rightStd = Math.sqrt(syy / (n - 1));
  if (!(leftStd > CORR_ZERO_STD) || !(rightStd > CORR_ZERO_STD)) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}
