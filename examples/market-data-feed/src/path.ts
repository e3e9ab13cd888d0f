/**
 * The intraday path of one symbol on one day: a deterministic, seeded walk in whole cents that
 * starts at the bar's open, touches its high and its low (in a seeded order, at seeded times),
 * ends at its close, and never leaves [low, high]. Pure: same inputs, same path, on every run.
 */
import { hashString, mulberry32, normalSource } from '../../shared/index.js';
import type { Bar } from '../../shared/index.js';

/** The fewest points a path can have: open, high, low, close, each at its own step. */
export const MIN_STEPS_PER_DAY = 4;

/** One day's path: the mid price and the quoted sizes at each step, step 0 the open, the last the close. */
export interface DayPath {
  readonly symbol: string;
  readonly date: string;
  /** Mid prices in whole cents, one per step. */
  readonly midCents: readonly number[];
  /** Shares at the bid per step (round lots of 100). */
  readonly bidSizes: readonly number[];
  /** Shares at the ask per step. */
  readonly askSizes: readonly number[];
  /** The steps at which the path is at the high and at the low. */
  readonly highStep: number;
  readonly lowStep: number;
}

/** A price in whole cents: the bars carry two decimals, so this is exact. */
export function toCents(price: number): number {
  return Math.round(price * 100);
}

/** The independent random stream of one (seed, symbol, date). */
function streamFor(seed: number, symbol: string, date: string): () => number {
  return mulberry32((seed ^ hashString(`${symbol}|${date}`)) >>> 0);
}

/**
 * Fills `out[from+1 .. to-1]` with a Brownian bridge from `out[from]` to `out[to]` (both already
 * set): a random walk with the straight line from its own end to the target added back, so it is
 * pinned at both ends. Values are clamped to [lowCents, highCents] and rounded to cents.
 */
function bridge(out: number[], from: number, to: number, sigma: number, normal: () => number, lowCents: number, highCents: number): void {
  const n = to - from;
  if (n < 2) return;
  const walk = [0];
  for (let k = 1; k <= n; k += 1) walk.push((walk[k - 1] as number) + sigma * normal());
  const start = out[from] as number;
  const end = out[to] as number;
  const drift = walk[n] as number;
  for (let k = 1; k < n; k += 1) {
    const share = k / n;
    const value = start + (walk[k] as number) - share * drift + share * (end - start);
    out[from + k] = Math.min(highCents, Math.max(lowCents, Math.round(value)));
  }
}

/**
 * The intraday path of `bar` in `steps` points. The order of the two extremes (high first or low
 * first) and their steps are drawn from the stream of (seed, symbol, date); between the four
 * anchors the path is a Brownian bridge whose step size scales with the day's range.
 *
 * @example
 * const path = intradayPath('AAPL', bar, { seed: 1, steps: 300 });
 * path.midCents[0] === toCents(bar.open); path.midCents[299] === toCents(bar.close);
 * @throws RangeError when `steps` is not an integer >= {@link MIN_STEPS_PER_DAY} or the bar is not a valid OHLC (low <= open, close <= high).
 */
export function intradayPath(symbol: string, bar: Bar, options: { seed: number; steps: number }): DayPath {
  const { seed, steps } = options;
  if (!Number.isSafeInteger(steps) || steps < MIN_STEPS_PER_DAY) {
    throw new RangeError(`steps must be an integer >= ${MIN_STEPS_PER_DAY}, got ${String(steps)}`);
  }
  const [open, high, low, close] = [toCents(bar.open), toCents(bar.high), toCents(bar.low), toCents(bar.close)];
  if (!(low > 0 && low <= Math.min(open, close) && high >= Math.max(open, close))) {
    throw new RangeError(`${symbol} ${bar.date}: not a valid bar (open ${bar.open}, high ${bar.high}, low ${bar.low}, close ${bar.close})`);
  }
  const uniform = streamFor(seed, symbol, bar.date);
  const normal = normalSource(uniform);
  const highFirst = uniform() < 0.5;
  // First extreme in [1, steps-3], second after it in [first+1, steps-2]: four distinct anchors.
  const first = 1 + Math.floor(uniform() * (steps - 3));
  const second = first + 1 + Math.floor(uniform() * (steps - 2 - first));
  const highStep = highFirst ? first : second;
  const lowStep = highFirst ? second : first;
  const mid: number[] = new Array<number>(steps).fill(0);
  mid[0] = open;
  mid[highStep] = high;
  mid[lowStep] = low;
  mid[steps - 1] = close;
  // About the size of the day's range over the whole session, so the bridges wander but stay near it.
  const sigma = (0.6 * (high - low)) / Math.sqrt(steps);
  bridge(mid, 0, first, sigma, normal, low, high);
  bridge(mid, first, second, sigma, normal, low, high);
  bridge(mid, second, steps - 1, sigma, normal, low, high);
  const bidSizes: number[] = [];
  const askSizes: number[] = [];
  for (let i = 0; i < steps; i += 1) {
    bidSizes.push(100 * (1 + Math.floor(uniform() * 10)));
    askSizes.push(100 * (1 + Math.floor(uniform() * 10)));
  }
  return { symbol, date: bar.date, midCents: mid, bidSizes, askSizes, highStep, lowStep };
}
