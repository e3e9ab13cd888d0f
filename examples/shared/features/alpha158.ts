/**
 * Qlib's Alpha158 features for one symbol on one day, from its daily bars. Definitions follow
 * `qlib.contrib.data.loader.Alpha158DL` ($x = field today, Ref(x, d) = d bars ago). Unlike Qlib,
 * which lets a rolling window start with fewer bars (`min_periods=1`), a feature whose window is
 * not full is NaN: d bars for windows on a field, d + 1 for windows on a one-day change.
 */
import type { Bar } from '../market-data/bar.js';
import type { Alpha158Name } from './names.js';
import { ALPHA158_NAMES, ALPHA158_WINDOWS } from './names.js';
import {
  corr, idxMax, idxMin, linearFit, max, mean, min, quantileOfSorted, rankOfLast, sorted, std, sum,
} from './rolling.js';

/** All 158 features, keys in {@link ALPHA158_NAMES} order. NaN where undefined. */
export type Alpha158Features = Record<Alpha158Name, number>;

/** Bars of history (including the day itself) for every feature to be defined. */
export const ALPHA158_HISTORY = 61;

/** Qlib's guard against division by zero. */
const EPS = 1e-12;

/** Fields and one-day changes over the last {@link ALPHA158_HISTORY} bars, oldest first. */
interface Series {
  readonly close: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly volume: Float64Array;
  /** Log($volume + 1). */
  readonly logVolume: Float64Array;
  /** The following series start one bar later: index j is the change into bar j + 1. */
  readonly closeRatio: Float64Array;
  readonly logVolumeRatio: Float64Array;
  readonly up: Float64Array;
  readonly down: Float64Array;
  readonly gain: Float64Array;
  readonly loss: Float64Array;
  readonly absChange: Float64Array;
  readonly weightedMove: Float64Array;
  readonly volumeGain: Float64Array;
  readonly volumeLoss: Float64Array;
  readonly absVolumeChange: Float64Array;
}

function buildSeries(bars: readonly Bar[]): Series {
  const n = bars.length;
  const field = (pick: (bar: Bar) => number): Float64Array =>
    Float64Array.from(bars, (bar) => pick(bar));
  const change = (pick: (bar: Bar, previous: Bar) => number): Float64Array => {
    const out = new Float64Array(Math.max(0, n - 1));
    for (let i = 1; i < n; i += 1) out[i - 1] = pick(bars[i] as Bar, bars[i - 1] as Bar);
    return out;
  };
  return {
    close: field((b) => b.close),
    high: field((b) => b.high),
    low: field((b) => b.low),
    volume: field((b) => b.volume),
    logVolume: field((b) => Math.log(b.volume + 1)),
    closeRatio: change((b, p) => b.close / p.close),
    logVolumeRatio: change((b, p) => Math.log(b.volume / p.volume + 1)),
    up: change((b, p) => (b.close > p.close ? 1 : 0)),
    down: change((b, p) => (b.close < p.close ? 1 : 0)),
    gain: change((b, p) => Math.max(b.close - p.close, 0)),
    loss: change((b, p) => Math.max(p.close - b.close, 0)),
    absChange: change((b, p) => Math.abs(b.close - p.close)),
    weightedMove: change((b, p) => Math.abs(b.close / p.close - 1) * b.volume),
    volumeGain: change((b, p) => Math.max(b.volume - p.volume, 0)),
    volumeLoss: change((b, p) => Math.max(p.volume - b.volume, 0)),
    absVolumeChange: change((b, p) => Math.abs(b.volume - p.volume)),
  };
}

/** `op` over the last `d` values of `values`, or NaN when fewer than `d` exist. */
function roll(values: Float64Array, d: number, op: (window: Float64Array) => number): number {
  return values.length < d ? Number.NaN : op(values.subarray(values.length - d));
}

function rollPair(left: Float64Array, right: Float64Array, d: number): number {
  if (left.length < d) return Number.NaN;
  return corr(left.subarray(left.length - d), right.subarray(right.length - d));
}

type RollingFeature = (s: Series, d: number, today: Bar) => number;

/** The windowed feature groups, in Qlib's order; each is evaluated for every window. */
const ROLLING_FEATURES: ReadonlyArray<readonly [string, RollingFeature]> = [
  ['ROC', (s, d, t) => (s.close.length > d ? (s.close[s.close.length - 1 - d] as number) / t.close : Number.NaN)],
  ['MA', (s, d, t) => roll(s.close, d, mean) / t.close],
  ['STD', (s, d, t) => roll(s.close, d, std) / t.close],
  ['BETA', (s, d, t) => roll(s.close, d, (w) => linearFit(w).slope) / t.close],
  ['RSQR', (s, d) => roll(s.close, d, (w) => linearFit(w).rsquare)],
  ['RESI', (s, d, t) => roll(s.close, d, (w) => linearFit(w).residual) / t.close],
  ['MAX', (s, d, t) => roll(s.high, d, max) / t.close],
  ['MIN', (s, d, t) => roll(s.low, d, min) / t.close],
  ['QTLU', (s, d, t) => roll(s.close, d, (w) => quantileOfSorted(sorted(w), 0.8)) / t.close],
  ['QTLD', (s, d, t) => roll(s.close, d, (w) => quantileOfSorted(sorted(w), 0.2)) / t.close],
  ['RANK', (s, d) => roll(s.close, d, rankOfLast)],
  ['RSV', (s, d, t) => {
    const lowest = roll(s.low, d, min);
    return (t.close - lowest) / (roll(s.high, d, max) - lowest + EPS);
  }],
  ['IMAX', (s, d) => roll(s.high, d, idxMax) / d],
  ['IMIN', (s, d) => roll(s.low, d, idxMin) / d],
  ['IMXD', (s, d) => (roll(s.high, d, idxMax) - roll(s.low, d, idxMin)) / d],
  ['CORR', (s, d) => rollPair(s.close, s.logVolume, d)],
  ['CORD', (s, d) => rollPair(s.closeRatio, s.logVolumeRatio, d)],
  ['CNTP', (s, d) => roll(s.up, d, mean)],
  ['CNTN', (s, d) => roll(s.down, d, mean)],
  ['CNTD', (s, d) => roll(s.up, d, mean) - roll(s.down, d, mean)],
  ['SUMP', (s, d) => roll(s.gain, d, sum) / (roll(s.absChange, d, sum) + EPS)],
  ['SUMN', (s, d) => roll(s.loss, d, sum) / (roll(s.absChange, d, sum) + EPS)],
  ['SUMD', (s, d) => (roll(s.gain, d, sum) - roll(s.loss, d, sum)) / (roll(s.absChange, d, sum) + EPS)],
  ['VMA', (s, d, t) => roll(s.volume, d, mean) / (t.volume + EPS)],
  ['VSTD', (s, d, t) => roll(s.volume, d, std) / (t.volume + EPS)],
  ['WVMA', (s, d) => roll(s.weightedMove, d, std) / (roll(s.weightedMove, d, mean) + EPS)],
  ['VSUMP', (s, d) => roll(s.volumeGain, d, sum) / (roll(s.absVolumeChange, d, sum) + EPS)],
  ['VSUMN', (s, d) => roll(s.volumeLoss, d, sum) / (roll(s.absVolumeChange, d, sum) + EPS)],
  ['VSUMD', (s, d) =>
    (roll(s.volumeGain, d, sum) - roll(s.volumeLoss, d, sum)) / (roll(s.absVolumeChange, d, sum) + EPS)],
];

function kbarFeatures(t: Bar): Record<string, number> {
  const range = t.high - t.low + EPS;
  const top = Math.max(t.open, t.close);
  const bottom = Math.min(t.open, t.close);
  return {
    KMID: (t.close - t.open) / t.open,
    KLEN: (t.high - t.low) / t.open,
    KMID2: (t.close - t.open) / range,
    KUP: (t.high - top) / t.open,
    KUP2: (t.high - top) / range,
    KLOW: (bottom - t.low) / t.open,
    KLOW2: (bottom - t.low) / range,
    KSFT: (2 * t.close - t.high - t.low) / t.open,
    KSFT2: (2 * t.close - t.high - t.low) / range,
    OPEN0: t.open / t.close,
    HIGH0: t.high / t.close,
    LOW0: t.low / t.close,
    VWAP0: t.vwap / t.close,
  };
}

function resolveIndex(bars: readonly Bar[], asOf: number | string): number {
  if (typeof asOf === 'number') {
    if (!Number.isInteger(asOf) || asOf < 0 || asOf >= bars.length) {
      throw new RangeError(`asOf index ${asOf} is outside the ${bars.length} bars`);
    }
    return asOf;
  }
  const index = bars.findLastIndex((bar) => bar.date === asOf);
  if (index === -1) throw new RangeError(`no bar dated ${asOf}`);
  return index;
}

/**
 * Compute the 158 Alpha158 features of the bar at `asOf` (an index into `bars`, or a date that
 * one bar has) from that bar and the bars before it. `bars` must be one symbol's bars sorted
 * by date. Features lacking history are NaN; with {@link ALPHA158_HISTORY} bars only RSQR of a
 * constant close and CORR/CORD with a constant side are NaN, as in Qlib.
 *
 * @example
 * const features = computeAlpha158(data.barsUpTo('AAPL', '2024-06-28'), '2024-06-28');
 * features.ROC5; // close 5 bars ago / close today
 * @throws {RangeError} when `asOf` is not an index of `bars` or the date of one of them.
 */
export function computeAlpha158(bars: readonly Bar[], asOf: number | string): Alpha158Features {
  const index = resolveIndex(bars, asOf);
  const today = bars[index] as Bar;
  const series = buildSeries(bars.slice(Math.max(0, index + 1 - ALPHA158_HISTORY), index + 1));
  const values: Record<string, number> = kbarFeatures(today);
  for (const [prefix, feature] of ROLLING_FEATURES) {
    for (const d of ALPHA158_WINDOWS) values[`${prefix}${d}`] = feature(series, d, today);
  }
  // Re-key in the canonical order so callers can rely on key order.
  const ordered: Partial<Alpha158Features> = {};
  for (const name of ALPHA158_NAMES) ordered[name] = values[name] ?? Number.NaN;
  return ordered as Alpha158Features;
}
