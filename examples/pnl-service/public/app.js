/* P&L dashboard: follows the P&L service's Server-Sent Events (a snapshot, then updates) and renders totals, positions, the curve and the pill. */
/* global document, window, location, EventSource */
import { formats, showSigned } from './format.js';
import { createPnlChart } from './pnl-chart.js';
import { createPositionsTable } from './positions-table.js';
import { createStatus } from './status.js';

/** Staleness is a matter of time passing: the pill is re-evaluated on this timer too. */
const STATUS_TICK_MS = 500;
/** Backoff when the browser has given up on the stream (EventSource CLOSED); otherwise it retries by itself. */
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 15_000;

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);
const els = {
  scope: $('scope'),
  total: $('total-pl'),
  realized: $('realized-pl'),
  unrealized: $('unrealized-pl'),
  unrealizedPct: $('unrealized-pl-pct'),
  realtime: $('realtime-count'),
  positions: $('positions-count'),
};
const status = createStatus({ pill: $('connection-pill'), priceAge: $('price-age'), updated: $('updated-at') });
const table = createPositionsTable($('positions-body'), $('positions-empty'));
const chart = createPnlChart($('pnl-chart'), $('chart-readout'));

/** symbol -> the service's row, as received. */
let rows = new Map();
let totals = null;

function renderTotals() {
  if (!totals) return;
  const total = showSigned(els.total, formats.money, totals.total_pl);
  showSigned(els.realized, formats.money, totals.realized_pl);
  showSigned(els.unrealized, formats.money, totals.total_unrealized_pl);
  // Upstream leaves the percentage out (null) when there is no cost basis.
  if (totals.total_unrealized_pl_pct == null) {
    els.unrealizedPct.textContent = '';
    els.unrealizedPct.dataset.value = '';
  } else {
    showSigned(els.unrealizedPct, formats.pct, totals.total_unrealized_pl_pct, '%');
  }
  els.realtime.textContent = String(totals.realtime_prices_available);
  els.positions.textContent = String(totals.total_positions);
  document.title = `${total} · Real-time P&L`;
}

function applySnapshot(snapshot) {
  rows = new Map(snapshot.positions.map((row) => [row.symbol, row]));
  totals = snapshot;
  status.noteMessage(snapshot, true);
  chart.reset(Array.isArray(snapshot.curve) ? snapshot.curve : [], snapshot.curve_interval_ms);
}

function applyUpdate(update) {
  for (const row of update.positions) rows.set(row.symbol, row);
  for (const symbol of update.removed) rows.delete(symbol);
  totals = update.totals;
  status.noteMessage(update, false);
  if (update.point) chart.add(update.point);
}

function render() {
  renderTotals();
  table.render(rows);
  chart.render();
  status.render();
}

/** A status message: only the time of the service's last price (a price that changed nothing shown here). */
function applyStatus(message) {
  status.noteStatus(message);
  status.render();
}

function streamUrl() {
  const strategy = new URLSearchParams(location.search).get('strategy');
  els.scope.textContent = strategy ? `Strategy ${strategy}` : 'All strategies';
  return strategy ? `/api/v1/pnl/stream?strategy=${encodeURIComponent(strategy)}` : '/api/v1/pnl/stream';
}

let reconnectDelayMs = RECONNECT_MIN_MS;

function connect(url) {
  const source = new EventSource(url);
  const handle = (apply, show) => (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (err) {
      console.warn(`P&L dashboard: ignored a ${event.type} message that is not JSON`, err);
      return;
    }
    apply(message);
    reconnectDelayMs = RECONNECT_MIN_MS;
    show();
  };
  source.addEventListener('snapshot', handle(applySnapshot, render));
  source.addEventListener('update', handle(applyUpdate, render));
  source.addEventListener('status', handle(applyStatus, () => undefined));
  source.addEventListener('error', () => {
    // CONNECTING: the browser retries by itself (after the server's `retry:`), sending Last-Event-ID.
    // CLOSED: it gave up (an answer that is not an event stream): retry with backoff here.
    if (source.readyState === EventSource.CLOSED) {
      window.setTimeout(() => connect(url), reconnectDelayMs);
      reconnectDelayMs = Math.min(RECONNECT_MAX_MS, reconnectDelayMs * 2);
    }
    status.noteError();
    status.render();
  });
}

const url = streamUrl();
chart.render();
status.render();
window.setInterval(() => status.render(), STATUS_TICK_MS);
connect(url);
