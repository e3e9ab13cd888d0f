/**
 * The orchestrator's small HTTP server: it has no API of its own, but serves `GET /metrics`
 * (Prometheus text) and `GET /health` so it can be scraped and probed like the other services.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { RedisClient } from '@trading-platform/redis-client';
import { addMetricsRoute } from '../../lib/metrics.js';
import { redisHealth } from '../../lib/redis.js';
import type { RedisHealth } from '../../lib/redis.js';

/** The service name reported by `/health`. */
export const ORCHESTRATOR_SERVICE_NAME = 'orchestrator';

/** The body of the orchestrator's `GET /health`. */
export interface OrchestratorHealth extends RedisHealth {
  status: 'healthy' | 'degraded';
  service: string;
  timestamp: string;
}

/** What {@link buildOrchestratorServer} serves. */
export interface OrchestratorServerDeps {
  /** The registry `/metrics` serves. */
  registry: Registry;
  /** The orchestrator's Redis client (`/health` pings it); it stays open when the server closes. */
  redis: RedisClient;
}

/**
 * Builds the server without listening: `GET /metrics` and `GET /health` (`degraded` while Redis
 * does not answer).
 *
 * @example
 * const server = buildOrchestratorServer({ registry, redis: client });
 * const address = await server.listen({ port: 0, host: '127.0.0.1' });
 */
export function buildOrchestratorServer(deps: OrchestratorServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  addMetricsRoute(app, deps.registry);
  app.get('/health', async (): Promise<OrchestratorHealth> => {
    const redis = await redisHealth(deps.redis);
    return {
      status: redis.redis_connected ? 'healthy' : 'degraded',
      service: ORCHESTRATOR_SERVICE_NAME,
      ...redis,
      timestamp: new Date().toISOString(),
    };
  });
  return app;
}
