/* The points of the dashboard's P&L curve: the snapshot's curve, then the updates' points no closer together than the service samples its own. */

/** Same bound as the service's snapshot curve. */
export const MAX_CURVE_POINTS = 600;

/**
 * One history of `{ t, total_pl }` points as uPlot data (`t` in seconds, `y` as numbers). Updates
 * come up to 10 a second; kept at that rate the 600 points would span a minute, while the
 * snapshot's curve (one point per `curve_interval_ms`) spans ten. So the updates keep one point
 * per interval of time: a point in the same interval as the newest replaces it. The history spans
 * the same time before and after a reconnect, and its last point is always the latest value.
 */
export function createCurveHistory(maxPoints = MAX_CURVE_POINTS) {
  let t = [];
  let y = [];
  let intervalSeconds = 1;

  const parse = (point) => {
    const seconds = Date.parse(point.t) / 1000;
    const value = Number(point.total_pl);
    return Number.isFinite(seconds) && Number.isFinite(value) ? [seconds, value] : undefined;
  };

  const trim = () => {
    if (t.length > maxPoints) {
      t.splice(0, t.length - maxPoints);
      y.splice(0, y.length - maxPoints);
    }
  };

  return {
    /** The times (seconds) and values drawn. */
    get t() {
      return t;
    },
    get y() {
      return y;
    },
    /** Replaces the history with a snapshot's `curve`, sampled every `intervalMs` by the service. */
    reset(points, intervalMs) {
      t = [];
      y = [];
      if (Number.isFinite(intervalMs) && intervalMs > 0) intervalSeconds = intervalMs / 1000;
      for (const point of points) {
        const parsed = parse(point);
        // Out of order or repeated times cannot be drawn.
        if (parsed === undefined || (t.length > 0 && parsed[0] <= t[t.length - 1])) continue;
        t.push(parsed[0]);
        y.push(parsed[1]);
      }
      trim();
    },
    /** Adds an update's `point`. */
    add(point) {
      const parsed = parse(point);
      if (parsed === undefined) return;
      const [seconds, value] = parsed;
      const last = t.length - 1;
      if (last >= 0 && seconds < t[last]) return; // older than what is drawn: the snapshot already had it
      if (last >= 0 && Math.floor(seconds / intervalSeconds) === Math.floor(t[last] / intervalSeconds)) {
        t[last] = seconds;
        y[last] = value;
      } else {
        t.push(seconds);
        y.push(value);
        trim();
      }
    },
  };
}
