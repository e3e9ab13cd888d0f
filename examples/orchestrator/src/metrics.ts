/**
 * The orchestrator's own Prometheus metrics (events handled per channel and source, trading days
 * run), read from the orchestrator at scrape time, next to the SDK's metrics in its registry.
 */
import { CHANNELS } from '@trading-platform/redis-client';
import type { Channel } from '@trading-platform/redis-client';
import type { Registry } from 'prom-client';
import { collectedCounter } from '../../lib/metrics.js';
import type { Orchestrator } from './orchestrator.js';

const CHANNEL_NAMES: readonly Channel[] = [CHANNELS.SIGNALS, CHANNELS.ORDERS, CHANNELS.POSITIONS];

/**
 * Registers in `registry`:
 * - `orchestrator_events_total{channel, source="pubsub"|"stream"}`: events handled, received over
 *   pub/sub or consumed from the durable streams by the consumer group (`stream` only with one);
 * - `orchestrator_days_total`: trading days run (each ends with a mark of the book).
 */
export function registerOrchestratorMetrics(registry: Registry, orchestrator: Orchestrator): void {
  collectedCounter(registry, {
    name: 'orchestrator_events_total',
    help: 'Events handled by the orchestrator, by channel and source (pubsub, or stream for the consumer group)',
    labelNames: ['channel', 'source'],
    read: () => {
      const pubsub = orchestrator.eventCounts();
      const durable = orchestrator.durableCounts();
      return CHANNEL_NAMES.flatMap((channel) => [
        [{ channel, source: 'pubsub' }, pubsub[channel] ?? 0] as const,
        ...(durable ? [[{ channel, source: 'stream' }, durable[channel] ?? 0] as const] : []),
      ]);
    },
  });
  collectedCounter(registry, {
    name: 'orchestrator_days_total',
    help: 'Trading days run by the orchestrator',
    read: () => [[{}, orchestrator.book.marks().length]],
  });
}
