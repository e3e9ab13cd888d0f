/**
 * The execution gateway's own Prometheus metrics (orders by outcome, fills by side), next to the
 * SDK's metrics in the gateway's registry.
 */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Fill } from './paper-broker.js';

/** What the gateway records for each batch. */
export interface GatewayMetrics {
  /** One batch: its accepted and rejected order counts and its fills. */
  observeBatch(accepted: number, rejected: number, fills: readonly Fill[]): void;
}

/**
 * Registers in `registry`:
 * - `execution_gateway_orders_total{outcome="accepted"|"rejected"}`: orders received, by what the gateway did with them;
 * - `execution_gateway_fills_total{side="buy"|"sell"}`: fills executed;
 * - `execution_gateway_batches_total`: `POST /api/v1/orders` requests that were executed (a 400 is not a batch).
 */
export function registerGatewayMetrics(registry: Registry): GatewayMetrics {
  const orders = new Counter({
    name: 'execution_gateway_orders_total',
    help: 'Orders received, by outcome (accepted and filled, or rejected with a reason)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const fills = new Counter({
    name: 'execution_gateway_fills_total',
    help: 'Fills executed, by side',
    labelNames: ['side'],
    registers: [registry],
  });
  const batches = new Counter({
    name: 'execution_gateway_batches_total',
    help: 'Order batches executed',
    registers: [registry],
  });
  // Every label value exists from the start, so rates have series before the first order.
  for (const outcome of ['accepted', 'rejected']) orders.inc({ outcome }, 0);
  for (const side of ['buy', 'sell']) fills.inc({ side }, 0);
  return {
    observeBatch(accepted, rejected, batchFills) {
      batches.inc();
      orders.inc({ outcome: 'accepted' }, accepted);
      orders.inc({ outcome: 'rejected' }, rejected);
      for (const fill of batchFills) fills.inc({ side: fill.side });
    },
  };
}
