/** Latency statistics for benchmark samples (milliseconds). */

/**
 * The p-th percentile (0..100) of ascending `sorted` samples, nearest-rank.
 * @param {number[]} sorted ascending samples
 * @param {number} p percentile
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * p50, p99, mean and count of samples.
 * @param {number[]} samples latencies in ms
 */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

/** Formats milliseconds as microseconds with one decimal, e.g. `42.3 µs`. */
export function micros(ms) {
  return `${(ms * 1000).toFixed(1)} µs`;
}
