/**
 * Prometheus metrics of the example services: each service has its own prom-client `Registry`
 * (never the global one, so the demo's services in one process do not collide) holding the SDK's
 * metrics and the service's own, served as `GET /metrics` in the Prometheus text format.
 */
import { Counter, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { registerMetrics } from '@trading-platform/redis-client/prometheus';

/** A service's registry, with the SDK's metrics in it. */
export interface ServiceRegistry {
  /** The registry `/metrics` serves; the service registers its own metrics in it too. */
  readonly registry: Registry;
  /** Gives up the SDK's metrics of this registry (`MetricsHandle.unregister`); call when the service closes. Idempotent. */
  close(): void;
}

/**
 * A new prom-client `Registry` with the SDK's metrics registered (`registerMetrics({ registry })`,
 * names `trading_platform_*`). The SDK's metrics are fed by its diagnostics channels, which are
 * process-wide: several services in one process (the demo) each show the SDK activity of the
 * whole process; run as separate processes (`npm run example:*`, docker-compose), each shows its own.
 */
export function createServiceRegistry(): ServiceRegistry {
  const registry = new Registry();
  const sdk = registerMetrics({ registry });
  return { registry, close: () => sdk.unregister() };
}

/**
 * Adds `GET /metrics` to `app`: the Prometheus text of `registry`, with prom-client's content
 * type. Scrapes are logged at `warn` and above only, so a 1 s scrape interval does not flood the log.
 */
export function addMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}

/** A counter read from a running total at scrape time. */
export interface CollectedCounter<L extends string> {
  name: string;
  help: string;
  /** The label names; `read` returns one value per label combination. @default [] */
  labelNames?: readonly L[];
  /**
   * The current totals, as `[labels, value]` pairs. Each value must never decrease (it is a
   * counter): a total the service already keeps, such as a `stats()` field.
   */
  read: () => Iterable<readonly [Partial<Record<L, string>>, number]>;
}

/**
 * Registers a counter whose values are copied from `read()` at each scrape: for totals the
 * service or the SDK already counts (e.g. `EventPublisher.stats().replayed`), so they are not
 * counted twice and cannot drift.
 */
export function collectedCounter<L extends string>(registry: Registry, spec: CollectedCounter<L>): Counter<L> {
  const read = spec.read;
  return new Counter<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames ?? [],
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}
