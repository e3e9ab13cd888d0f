/**
 * `buildSignalService`: the signal service as a Fastify app, built from its dependencies so
 * tests and the demo run it in-process and `main.ts` runs it from the environment.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { EventPublisher, FeatureCache } from '@trading-platform/redis-client';
import type { Logger, RedisClient } from '@trading-platform/redis-client';
import { redisHealth } from '../../lib/redis.js';
import type { RedisHealth } from '../../lib/redis.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { parseGenerateRequest } from './request.js';
import { SignalGenerator } from './signal-generator.js';
import type { Signal } from './signal-generator.js';

/** The service name reported by `/health`. */
export const SIGNAL_SERVICE_NAME = 'signal-service';

/** What {@link buildSignalService} needs. */
export interface SignalServiceDeps {
  marketData: MarketData;
  model: LinearModel;
  /** The Redis client (connected or reconnecting in the background), or `null` when disabled. */
  redis: RedisClient | null;
  /** Longs per request when `top_n` is not given. @default 5 */
  topN?: number;
  /** Shorts per request when `bottom_n` is not given. @default 5 */
  bottomN?: number;
  /** Feature TTL in seconds (`REDIS_TTL`). @default 3600 */
  cacheTtl?: number;
  /** Feature key prefix (keys are `{prefix}:{SYMBOL}:{date}`, shared with the Python services). @default 'features' */
  cachePrefix?: string;
  /** Fastify's logger option (`false` for silence, `true` or pino options to log). @default false */
  logger?: FastifyServerOptions['logger'];
  /** Close `redis` when the app closes. @default true */
  closeRedis?: boolean;
}

/** The body of a successful `POST /api/v1/signals/generate`. */
export interface SignalResponse {
  signals: Signal[];
  metadata: {
    as_of_date: string;
    model_version: string;
    strategy: string;
    num_signals: number;
    generated_at: string;
    /** Symbols read from the cache, computed for this request, and joined to another request's computation. */
    cache: { hits: number; misses: number; joined: number };
  };
}

/** The body of `GET /health`. */
export interface SignalHealth extends RedisHealth {
  status: 'healthy' | 'degraded';
  service: string;
  model_loaded: boolean;
  model_info: { strategy: string; version: string; num_features: number };
  feature_cache_enabled: boolean;
  timestamp: string;
}

/**
 * Builds the signal service: `POST /api/v1/signals/generate` and `GET /health`. Each
 * generation reads features through the cache (one `getManyOrCompute`), logs the request's
 * cache hits, misses and joined computations and publishes a `SignalEvent` on `signals.generated`.
 *
 * @example
 * const app = buildSignalService({ marketData, model, redis: client });
 * const res = await app.inject({ method: 'POST', url: '/api/v1/signals/generate', payload: { symbols: ['AAPL', 'MSFT'] } });
 */
export function buildSignalService(deps: SignalServiceDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ?? false });
  const log = app.log as Logger;
  const cache = deps.redis ? new FeatureCache(deps.redis, { ttl: deps.cacheTtl ?? 3600, logger: log, ...(deps.cachePrefix ? { prefix: deps.cachePrefix } : {}) }) : null;
  const publisher = deps.redis ? new EventPublisher(deps.redis, { logger: log }) : null;
  const generator = new SignalGenerator(deps.marketData, deps.model, cache);
  const defaults = { topN: deps.topN ?? 5, bottomN: deps.bottomN ?? 5 };

  app.post('/api/v1/signals/generate', async (request): Promise<SignalResponse> => {
    const parsed = parseGenerateRequest(request.body, deps.marketData, defaults);
    const result = await generator.generate(parsed);
    const total = result.hits + result.misses + result.joined;
    request.log.info(
      { as_of_date: result.asOfDate, hits: result.hits, misses: result.misses, joined: result.joined, hit_rate: total === 0 ? 0 : result.hits / total },
      'feature cache',
    );
    await publisher?.publishSignalEvent({
      strategyId: deps.model.strategy,
      symbols: [...parsed.symbols],
      numSignals: result.signals.length,
      asOfDate: result.asOfDate,
    });
    return {
      signals: result.signals,
      metadata: {
        as_of_date: result.asOfDate,
        model_version: deps.model.version,
        strategy: deps.model.strategy,
        num_signals: result.signals.length,
        generated_at: new Date().toISOString(),
        cache: { hits: result.hits, misses: result.misses, joined: result.joined },
      },
    };
  });

  app.get('/health', async (): Promise<SignalHealth> => {
    const redis = await redisHealth(deps.redis);
    return {
      status: redis.redis_status === 'disconnected' ? 'degraded' : 'healthy',
      service: SIGNAL_SERVICE_NAME,
      model_loaded: true,
      model_info: { strategy: deps.model.strategy, version: deps.model.version, num_features: deps.model.weights.size },
      ...redis,
      feature_cache_enabled: cache !== null && redis.redis_connected,
      timestamp: new Date().toISOString(),
    };
  });

  app.addHook('onClose', async () => {
    await publisher?.close();
    await cache?.close();
    if (deps.closeRedis ?? true) await deps.redis?.close();
  });
  return app;
}
