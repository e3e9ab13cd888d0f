/**
 * `buildPnlService`: the real-time P&L service as a Fastify app (REST, Server-Sent Events, the
 * dashboard page, `/health`, `/metrics`), built from its dependencies so tests and the demos run
 * it in-process and `main.ts` runs it from the environment.
 */
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '@trading-platform/redis-client';
import { BadRequestError } from '../../lib/bad-request.js';
import { addMetricsRoute, createServiceRegistry } from '../../lib/metrics.js';
import { repoRoot } from '../../lib/paths.js';
import { redisHealth } from '../../lib/redis.js';
import type { RedisHealth } from '../../lib/redis.js';
import { PnlBook } from './book.js';
import type { BookStats } from './book.js';
import { PnlCurves } from './curve.js';
import { Feeds } from './feeds.js';
import { registerPnlMetrics } from './metrics.js';
import { resolvePnlServiceOptions } from './options.js';
import type { PnlServiceOptions } from './options.js';
import { SseHub } from './sse.js';
import type { SseClientInfo, SseStats } from './sse.js';
import { computeView, realtimePnl } from './view.js';
import type { RealtimePnl } from './view.js';

/** The service name reported by `/health`. */
export const PNL_SERVICE_NAME = 'pnl-service';

/** The body of `GET /health`. */
export interface PnlHealth extends RedisHealth {
  /** `degraded` while Redis is down, or while positions are held and no price arrived for `stale_after_ms`. */
  status: 'healthy' | 'degraded';
  service: string;
  /** Where fills come from: the durable stream (consumer group) or pub/sub. */
  positions_source: 'stream' | 'pubsub';
  /** Symbols held. */
  positions: number;
  /** Fills received, by what the book did with them. */
  fills: BookStats['fills'];
  last_price_at: string | null;
  stale_after_ms: number;
  /** No price received for `stale_after_ms` (or none yet). */
  prices_stale: boolean;
  sse_clients: number;
  timestamp: string;
}

/** A running P&L service; see {@link buildPnlService}. */
export interface PnlService {
  /** The Fastify app (`inject` for tests; `listen` to serve). */
  readonly app: FastifyInstance;
  /** The book the service keeps: totals as exact decimal strings with `book.totals(strategy?)`. */
  readonly book: PnlBook;
  /** The random id of this process's SSE message ids (`<bootId>.<seq>`). */
  readonly bootId: string;
  /** Starts listening; resolves the address. */
  listen(options: { port: number; host: string }): Promise<string>;
  /** Ends the SSE streams, stops the feeds and the server, and closes Redis unless `closeRedis: false`. */
  close(): Promise<void>;
  /** Counters of the SSE stream. */
  sseStats(): SseStats;
  /** The connected SSE clients (buffered bytes, blocked or not). */
  sseClients(): SseClientInfo[];
}

/** The `?strategy=` filter of a request: absent, or a non-empty string. @throws BadRequestError */
function strategyOf(request: FastifyRequest): string | undefined {
  const strategy = (request.query as Record<string, unknown>).strategy;
  if (strategy === undefined) return undefined;
  if (typeof strategy !== 'string' || strategy === '') throw new BadRequestError('strategy must be one non-empty string');
  return strategy;
}

/**
 * Builds and starts the P&L service: subscribes to prices, loads positions (replaying the
 * durable stream when `durable` is given), marks them from `price:{symbol}`, and routes
 * `GET /api/v1/positions/pnl/realtime[?strategy=]`, `GET /api/v1/pnl/stream[?strategy=]` (SSE),
 * `GET /` (the dashboard, with uPlot under `/vendor/uplot/`), `GET /health` and `GET /metrics`
 * (the SDK's `trading_platform_*` metrics and the service's `pnl_service_*`).
 *
 * @throws ConfigError for invalid options; Redis errors of the start-up (subscribing, the replay).
 * @example
 * const service = await buildPnlService({ redis: client, durable: { stream, group: 'pnl-service-east-1', consumer: 'pnl-service' } });
 * await service.listen({ port: 8004, host: '127.0.0.1' });
 */
export async function buildPnlService(options: PnlServiceOptions): Promise<PnlService> {
  const resolved = resolvePnlServiceOptions(options);
  const app = Fastify({ logger: resolved.logger ?? false });
  const log = app.log as Logger;
  const book = new PnlBook(resolved.book);
  const curves = new PnlCurves(book, resolved.maxCurvePoints);
  const hub = new SseHub(book, curves, resolved);
  let feeds: Feeds;
  try {
    feeds = await Feeds.start({ redis: resolved.redis, book, durable: resolved.durable, priceCache: resolved.priceCache, log });
  } catch (error) {
    hub.close();
    if (resolved.closeRedis) await resolved.redis.close().catch(() => undefined);
    throw error;
  }
  curves.sample();
  const sampler = setInterval(() => curves.sample(), resolved.curveIntervalMs);
  sampler.unref();

  // The SDK's trading_platform_* metrics (./prometheus) and the service's own, in one registry.
  const { registry, close: closeMetrics } = createServiceRegistry();
  try {
    registerPnlMetrics(registry, { book, sse: () => hub.stats(), invalidFills: () => feeds.invalidFills });
    addMetricsRoute(app, registry);
    const root = repoRoot();
    await app.register(fastifyStatic, { root: join(root, 'examples', 'pnl-service', 'public'), prefix: '/' });
    await app.register(fastifyStatic, { root: join(root, 'node_modules', 'uplot', 'dist'), prefix: '/vendor/uplot/', decorateReply: false });
  } catch (error) {
    // Nothing of a service that never started may keep running: timers, channel subscriptions, connections.
    clearInterval(sampler);
    closeMetrics();
    hub.close();
    await feeds.stop().catch(() => undefined);
    if (resolved.closeRedis) await resolved.redis.close().catch(() => undefined);
    throw error;
  }

  app.get('/api/v1/positions/pnl/realtime', async (request): Promise<RealtimePnl> => realtimePnl(computeView(book, strategyOf(request))));

  app.get('/api/v1/pnl/stream', (request, reply) => {
    const strategy = strategyOf(request);
    reply.hijack();
    hub.attach(reply.raw, strategy);
  });

  app.get('/health', async (): Promise<PnlHealth> => {
    const redis = await redisHealth(resolved.redis);
    const lastPriceAtMs = book.lastPriceAtMs;
    const pricesStale = lastPriceAtMs === null || Date.now() - lastPriceAtMs > resolved.staleAfterMs;
    const positions = book.heldSymbols().length;
    return {
      status: redis.redis_status === 'disconnected' || (positions > 0 && pricesStale) ? 'degraded' : 'healthy',
      service: PNL_SERVICE_NAME,
      ...redis,
      positions_source: feeds.source,
      positions,
      fills: book.stats().fills,
      last_price_at: lastPriceAtMs === null ? null : new Date(lastPriceAtMs).toISOString(),
      stale_after_ms: resolved.staleAfterMs,
      prices_stale: pricesStale,
      sse_clients: hub.stats().clients,
      timestamp: new Date().toISOString(),
    };
  });

  // Streams never end by themselves: end them before the server waits for its connections.
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => {
    clearInterval(sampler);
    closeMetrics();
    await feeds.stop();
    if (resolved.closeRedis) await resolved.redis.close();
  });

  return {
    app,
    book,
    bootId: hub.bootId,
    listen: (where) => app.listen(where),
    close: () => app.close(),
    sseStats: () => hub.stats(),
    sseClients: () => hub.clients(),
  };
}
