/**
 * The feed's own Prometheus metrics (quotes, skipped steps, ticks and their lag, closed days),
 * read from `Feed.stats()` at scrape time, next to the SDK's metrics in the feed's registry.
 */
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { collectedCounter } from '../../lib/metrics.js';
import type { FeedStats } from './feed.js';

/**
 * Registers in `registry`, each read from `stats()` at scrape time (never counted twice):
 * - `market_data_feed_quotes_total`: quotes sent, each one `SET price:{symbol}` and one `PUBLISH price.updated.{symbol}`;
 * - `market_data_feed_quote_operations_total{operation="set"|"publish", outcome="ok"|"failed"}`:
 *   what Redis did with them (`set,ok`: keys written; `publish,ok`: events accepted);
 * - `market_data_feed_steps_skipped_total`: path steps never sent because a tick came late;
 * - `market_data_feed_ticks_total`: ticks run (a tick with no quote due sends nothing);
 * - `market_data_feed_last_tick_lag_seconds`: how late the last tick started after its boundary;
 * - `market_data_feed_days_closed_total`: trading days whose close every symbol has quoted.
 *
 * @example
 * const { registry } = createServiceRegistry();
 * registerFeedMetrics(registry, () => feed.stats());
 */
export function registerFeedMetrics(registry: Registry, stats: () => FeedStats): void {
  collectedCounter(registry, {
    name: 'market_data_feed_quotes_total',
    help: 'Quotes sent by the feed, each one SET price:{symbol} and one PUBLISH price.updated.{symbol}',
    read: () => [[{}, stats().quotes]],
  });
  collectedCounter(registry, {
    name: 'market_data_feed_quote_operations_total',
    help: 'SET price:{symbol} and PUBLISH price.updated.{symbol} of the quotes sent, by what Redis did (ok, failed)',
    labelNames: ['operation', 'outcome'],
    read: () => {
      const s = stats();
      return [
        [{ operation: 'set', outcome: 'ok' }, s.written],
        [{ operation: 'set', outcome: 'failed' }, s.quotes - s.written],
        [{ operation: 'publish', outcome: 'ok' }, s.published],
        [{ operation: 'publish', outcome: 'failed' }, s.quotes - s.published],
      ];
    },
  });
  collectedCounter(registry, {
    name: 'market_data_feed_steps_skipped_total',
    help: 'Intraday path steps never sent because a tick came late (each symbol sends its latest step only)',
    read: () => [[{}, stats().skipped]],
  });
  collectedCounter(registry, {
    name: 'market_data_feed_ticks_total',
    help: 'Ticks the feed ran (each sends the quotes that fell due, if any, as one batch)',
    read: () => [[{}, stats().ticks]],
  });
  new Gauge({
    name: 'market_data_feed_last_tick_lag_seconds',
    help: 'How late the last tick started after the boundary it was due at',
    registers: [registry],
    collect() {
      this.set(stats().lastTickLagMs / 1000);
    },
  });
  collectedCounter(registry, {
    name: 'market_data_feed_days_closed_total',
    help: 'Trading days whose close every symbol has quoted',
    read: () => [[{}, stats().daysClosed]],
  });
}
