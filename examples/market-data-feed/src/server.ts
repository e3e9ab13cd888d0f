/**
 * The feed's small HTTP server: it has no API of its own, but serves `GET /metrics` (Prometheus
 * text) and `GET /health` so it can be scraped and probed like the other services.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { RedisClient } from '@trading-platform/redis-client';
import { addMetricsRoute } from '../../lib/metrics.js';
import { redisHealth } from '../../lib/redis.js';
import type { RedisHealth } from '../../lib/redis.js';
import type { FeedStats } from './feed.js';

/** The service name reported by `/health`. */
export const FEED_SERVICE_NAME = 'market-data-feed';

/** The body of the feed's `GET /health`. */
export interface FeedHealth extends RedisHealth {
  /** `degraded` while Redis does not answer (quotes are counted as failed meanwhile). */
  status: 'healthy' | 'degraded';
  service: string;
  /** The trading day being replayed, or `null` once the feed stopped. */
  date: string | null;
  /** Quotes sent so far. */
  quotes: number;
  timestamp: string;
}

/** What {@link buildFeedServer} serves. */
export interface FeedServerDeps {
  /** The registry `/metrics` serves. */
  registry: Registry;
  /** The feed's Redis client (`/health` pings it); it stays open when the server closes. */
  redis: RedisClient;
  /** The running feed's counters. */
  stats: () => FeedStats;
}

/**
 * Builds the server without listening: `GET /metrics` and `GET /health`.
 *
 * @example
 * const server = buildFeedServer({ registry, redis: client, stats: () => feed.stats() });
 * const address = await server.listen({ port: 0, host: '127.0.0.1' });
 */
export function buildFeedServer(deps: FeedServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  addMetricsRoute(app, deps.registry);
  app.get('/health', async (): Promise<FeedHealth> => {
    const redis = await redisHealth(deps.redis);
    const { date, quotes } = deps.stats();
    return {
      status: redis.redis_connected ? 'healthy' : 'degraded',
      service: FEED_SERVICE_NAME,
      ...redis,
      date,
      quotes,
      timestamp: new Date().toISOString(),
    };
  });
  return app;
}
