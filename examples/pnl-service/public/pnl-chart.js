/* The P&L curve of the dashboard (uPlot): the snapshot's recent points plus the updates' at the service's curve interval, green above zero and red below. */
/* global ResizeObserver, requestAnimationFrame, uPlot */
import { createCurveHistory } from './curve-history.js';
import { formatDecimal, formats } from './format.js';
const COLORS = { gain: '#0a7c43', loss: '#c62828', gainFill: 'rgba(10,124,67,0.12)', lossFill: 'rgba(198,40,40,0.12)' };
/** Whole seconds at least: labels are HH:MM:SS, so finer ticks would repeat a label. */
const X_INCREMENTS_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
const AXIS = { stroke: '#5b6472', grid: { stroke: '#eceff3' }, ticks: { stroke: '#eceff3' } };

/** A vertical gradient that switches from `above` to `below` where the y scale crosses 0. */
function splitAtZero(u, above, below) {
  const { top, height } = u.bbox;
  const zero = u.valToPos(0, 'y', true);
  if (!(height > 0) || !Number.isFinite(zero)) return above;
  const stop = Math.min(1, Math.max(0, (zero - top) / height));
  const gradient = u.ctx.createLinearGradient(0, top, 0, top + height);
  gradient.addColorStop(0, above);
  gradient.addColorStop(stop, above);
  gradient.addColorStop(stop, below);
  gradient.addColorStop(1, below);
  return gradient;
}

/** The y range always holds 0, so the fill reads as profit above the line and loss below. */
function rangeWithZero(_u, min, max) {
  const lo = Math.min(0, min ?? 0);
  const hi = Math.max(0, max ?? 0);
  return lo === hi ? [lo - 1, hi + 1] : uPlot.rangeNum(lo, hi, 0.1, true);
}

/**
 * Draws the curve in `el` (sized by CSS; the chart follows its width) and writes the hovered
 * point into `readout`. Totals are parsed to Number in its history only: the chart is the one
 * consumer that needs floats. `el.dataset.points` says how many points are drawn, `el.dataset.last`
 * the newest value.
 */
export function createPnlChart(el, readout) {
  const history = createCurveHistory();
  const size = () => ({ width: Math.floor(el.clientWidth), height: Math.floor(el.clientHeight) });

  const showReadout = (u) => {
    const index = u.cursor.idx;
    if (index == null || u.data[1][index] == null) {
      readout.textContent = '';
      return;
    }
    const value = formatDecimal(formats.money, u.data[1][index].toFixed(2));
    readout.textContent = `${formats.time.format(new Date(u.data[0][index] * 1000))}  ${value.text}`;
    readout.dataset.sign = value.sign;
  };

  const options = {
    ...size(),
    legend: { show: false },
    cursor: { y: false, points: { size: 7 } },
    scales: { x: { time: true }, y: { range: rangeWithZero } },
    axes: [
      {
        ...AXIS,
        space: 70,
        incrs: X_INCREMENTS_SECONDS,
        values: (_u, splits, _axis, _space, incrSeconds) => splits.map((s) => (incrSeconds >= 60 ? formats.clock : formats.time).format(new Date(s * 1000))),
      },
      { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => formats.axis.format(v)) },
    ],
    series: [
      {},
      {
        label: 'Total P&L',
        width: 2,
        points: { show: false },
        fillTo: 0,
        stroke: (u) => splitAtZero(u, COLORS.gain, COLORS.loss),
        fill: (u) => splitAtZero(u, COLORS.gainFill, COLORS.lossFill),
      },
    ],
    hooks: { setCursor: [showReadout] },
  };
  const plot = new uPlot(options, [history.t, history.y], el);
  // Only width changes matter (the height is fixed by CSS), which also keeps resizing from looping.
  let width = options.width;
  new ResizeObserver(() => {
    requestAnimationFrame(() => {
      const next = size();
      if (next.width !== width) {
        width = next.width;
        plot.setSize(next);
      }
    });
  }).observe(el);

  return {
    /** Replaces the curve (a snapshot's `curve`, sampled every `intervalMs`). */
    reset(points, intervalMs) {
      history.reset(points, intervalMs);
    },
    /** Adds an update's `point`. */
    add(point) {
      history.add(point);
    },
    render() {
      plot.setData([history.t, history.y]);
      el.dataset.points = String(history.t.length);
      el.dataset.last = history.y.length > 0 ? String(history.y[history.y.length - 1]) : '';
    },
  };
}
