/**
 * `buildExecutionGateway`: the paper execution gateway as a Fastify app, built from its
 * dependencies so tests and the demo run it in-process and `main.ts` runs it from the environment.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { EventPublisher } from '@trading-platform/redis-client';
import type { EventStreamSink, Logger, RedisClient } from '@trading-platform/redis-client';
import { BadRequestError } from '../../lib/bad-request.js';
import { addMetricsRoute, createServiceRegistry } from '../../lib/metrics.js';
import { redisHealth } from '../../lib/redis.js';
import type { RedisHealth } from '../../lib/redis.js';
import type { MarketData } from '../../shared/index.js';
import { parseOrderRequest } from './orders.js';
import type { RejectedOrder } from './orders.js';
import { registerGatewayMetrics } from './metrics.js';
import { PaperBroker } from './paper-broker.js';
import type { Fill, Position } from './paper-broker.js';

/** The service name reported by `/health`. */
export const GATEWAY_SERVICE_NAME = 'execution-gateway';

/** What {@link buildExecutionGateway} needs. */
export interface ExecutionGatewayDeps {
  marketData: MarketData;
  /** The Redis client events are published with, or `null` when Redis is disabled. */
  redis: RedisClient | null;
  /** Also append every event to this durable stream (an `EventStream`). @default none */
  stream?: EventStreamSink;
  /** Fastify's logger option. @default false */
  logger?: FastifyServerOptions['logger'];
  /** Close `redis` when the app closes. @default true */
  closeRedis?: boolean;
  /**
   * Environment of the publisher's outage buffer (`REDIS_FALLBACK_BUFFER_MAX_SIZE`,
   * `REDIS_FALLBACK_BUFFER_PATH`, `REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS`). @default {} (1,000 events in memory)
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The body of a `POST /api/v1/orders` answer. */
export interface OrderResponse {
  run_id: string;
  strategy_id: string;
  as_of_date: string;
  num_orders: number;
  num_accepted: number;
  num_rejected: number;
  fills: Fill[];
  rejected: RejectedOrder[];
}

/** The body of `GET /health`. */
export interface GatewayHealth extends RedisHealth {
  status: 'healthy' | 'degraded';
  service: string;
  timestamp: string;
}

/**
 * Builds the gateway: `POST /api/v1/orders`, `GET /api/v1/positions[?strategy_id=]`,
 * `GET /health` and `GET /metrics` (Prometheus text: the SDK's metrics and the gateway's orders
 * and fills, from the app's own registry). Each batch publishes one `OrderEvent` (accepted/rejected counts) on
 * `orders.executed` and one `PositionEvent` per fill on `positions.updated`.
 *
 * @example
 * const app = buildExecutionGateway({ marketData, redis: client });
 * await app.inject({ method: 'POST', url: '/api/v1/orders', payload: { strategy_id: 's1', orders: [{ symbol: 'AAPL', quantity: 10 }] } });
 */
export function buildExecutionGateway(deps: ExecutionGatewayDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ?? false });
  const log = app.log as Logger;
  const broker = new PaperBroker(deps.marketData);
  // Buffered like the Python services: an event published while Redis is down is replayed, not lost.
  const publisher = deps.redis ? EventPublisher.fromEnv(deps.redis, deps.env ?? {}, { logger: log, ...(deps.stream ? { stream: deps.stream } : {}) }) : null;
  const days = deps.marketData.tradingDays();
  const lastDay = days[days.length - 1] as string;
  const { registry, close: closeMetrics } = createServiceRegistry();
  const metrics = registerGatewayMetrics(registry);

  app.post('/api/v1/orders', async (request): Promise<OrderResponse> => {
    const batch = parseOrderRequest(request.body, broker, lastDay);
    const fills = batch.accepted.map((order) => broker.fill(batch.strategyId, order.symbol, order.quantity, batch.asOfDate));
    const runId = randomUUID();
    const numOrders = batch.accepted.length + batch.rejected.length;
    metrics.observeBatch(fills.length, batch.rejected.length, fills);
    await publisher?.publishOrderEvent({
      runId,
      strategyId: batch.strategyId,
      numOrders,
      numAccepted: fills.length,
      numRejected: batch.rejected.length,
    });
    for (const fill of fills) {
      await publisher?.publishPositionEvent({
        symbol: fill.symbol,
        action: fill.side,
        qtyChange: fill.qty_change,
        newQty: fill.new_quantity,
        price: fill.price,
        strategyId: batch.strategyId,
      });
    }
    request.log.info({ run_id: runId, accepted: fills.length, rejected: batch.rejected.length }, 'orders executed');
    return {
      run_id: runId,
      strategy_id: batch.strategyId,
      as_of_date: batch.asOfDate,
      num_orders: numOrders,
      num_accepted: fills.length,
      num_rejected: batch.rejected.length,
      fills,
      rejected: batch.rejected,
    };
  });

  app.get('/api/v1/positions', async (request): Promise<{ positions: Position[] }> => {
    const query = request.query as Record<string, unknown>;
    const strategyId = query.strategy_id;
    if (strategyId !== undefined && (typeof strategyId !== 'string' || strategyId === '')) {
      throw new BadRequestError('strategy_id must be a non-empty string');
    }
    return { positions: broker.positions(strategyId) };
  });

  app.get('/health', async (): Promise<GatewayHealth> => {
    const redis = await redisHealth(deps.redis);
    return {
      status: redis.redis_status === 'disconnected' ? 'degraded' : 'healthy',
      service: GATEWAY_SERVICE_NAME,
      ...redis,
      timestamp: new Date().toISOString(),
    };
  });

  addMetricsRoute(app, registry);

  app.addHook('onClose', async () => {
    closeMetrics();
    await publisher?.close();
    if (deps.closeRedis ?? true) await deps.redis?.close();
  });
  return app;
}
