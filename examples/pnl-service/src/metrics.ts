/**
 * The P&L service's own Prometheus metrics (next to the SDK's in its registry): P&L, positions,
 * price age and the SSE stream, read from the book and the stream at scrape time (never counted
 * twice, never drifting).
 */
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { collectedCounter } from '../../lib/metrics.js';
import type { BookStats, PnlBook } from './book.js';
import type { SseStats } from './sse.js';

/** What the metrics read. */
export interface MetricsSources {
  book: PnlBook;
  sse: () => SseStats;
  /** Fills the feeds refused before the book (unusable price or quantities). */
  invalidFills: () => number;
}

function gauge(registry: Registry, name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/**
 * Registers in `registry`:
 * - `pnl_service_total_pl`, `pnl_service_realized_pl`, `pnl_service_unrealized_pl`: P&L of every strategy (a float copy of the exact decimals);
 * - `pnl_service_positions`: symbols held (rows of the real-time endpoint);
 * - `pnl_service_price_age_seconds`: seconds since the last price was received (`NaN` before the first);
 * - `pnl_service_sse_clients`: connected stream clients;
 * - `pnl_service_sse_messages_total{outcome="sent"|"dropped"}`: stream messages written, or dropped for a full socket;
 * - `pnl_service_fills_total{outcome="applied"|"bridged"|"duplicate"|"late"|"invalid"}`: fills received, by what the book did;
 * - `pnl_service_price_updates_total{outcome="accepted"|"ignored"}`: prices received, taken as marks or ignored (older, or not > 0).
 */
export function registerPnlMetrics(registry: Registry, sources: MetricsSources): void {
  const { book } = sources;
  gauge(registry, 'pnl_service_total_pl', 'Total P&L (realized + unrealized) of every strategy', () => Number(book.totals().total_pl));
  gauge(registry, 'pnl_service_realized_pl', 'Realized P&L of every strategy', () => Number(book.totals().realized_pl));
  gauge(registry, 'pnl_service_unrealized_pl', 'Unrealized P&L of the open positions at their marks', () => Number(book.totals().unrealized_pl));
  gauge(registry, 'pnl_service_positions', 'Symbols held by some strategy', () => book.heldSymbols().length);
  gauge(registry, 'pnl_service_price_age_seconds', 'Seconds since the service last received a price', () => {
    const at = book.lastPriceAtMs;
    return at === null ? Number.NaN : (Date.now() - at) / 1000;
  });
  gauge(registry, 'pnl_service_sse_clients', 'Clients connected to the P&L stream', () => sources.sse().clients);
  collectedCounter(registry, {
    name: 'pnl_service_sse_messages_total',
    help: 'P&L stream messages, written (sent) or not written because the client socket was full (dropped)',
    labelNames: ['outcome'],
    read: () => {
      const stats = sources.sse();
      return [
        [{ outcome: 'sent' }, stats.sent],
        [{ outcome: 'dropped' }, stats.dropped],
      ];
    },
  });
  collectedCounter(registry, {
    name: 'pnl_service_fills_total',
    help: 'Fills received, by what the book did with them',
    labelNames: ['outcome'],
    read: () => {
      const fills: BookStats['fills'] = book.stats().fills;
      return [...Object.entries(fills).map(([outcome, n]) => [{ outcome }, n] as const), [{ outcome: 'invalid' }, sources.invalidFills()] as const];
    },
  });
  collectedCounter(registry, {
    name: 'pnl_service_price_updates_total',
    help: 'Prices received, taken as a mark (accepted) or ignored (older than the mark, or not a decimal > 0)',
    labelNames: ['outcome'],
    read: () => {
      const stats = book.stats();
      return [
        [{ outcome: 'accepted' }, stats.prices],
        [{ outcome: 'ignored' }, stats.ignoredPrices],
      ];
    },
  });
}
