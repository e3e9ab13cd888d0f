/**
 * `buildSignalService`: the signal service as a Fastify app, built from its dependencies so
 * tests and the demo run it in-process and `main.ts` runs it from the environment.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { EventPublisher, FeatureCache } from '@trading-platform/redis-client';
import type { Logger, RedisClient, SignalEventInit } from '@trading-platform/redis-client';
import { addMetricsRoute, createServiceRegistry } from '../../lib/metrics.js';
import { redisHealth } from '../../lib/redis.js';
import type { RedisHealth } from '../../lib/redis.js';
import { ModelError } from '../../shared/index.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { FeatureHydration } from './hydration.js';
import { BufferedEventCounter, registerSignalServiceMetrics } from './metrics.js';
import type { RequestOutcome } from './metrics.js';
import type { FeatureHydrationOptions, HydrationHealth } from './hydration.js';
import { parseGenerateRequest } from './request.js';
import { SignalGenerator } from './signal-generator.js';
import type { Signal } from './signal-generator.js';

/** The service name reported by `/health`. */
export const SIGNAL_SERVICE_NAME = 'signal-service';

/** What {@link buildSignalService} needs. */
export interface SignalServiceDeps {
  marketData: MarketData;
  /**
   * The model that scores features, or the `ModelError` that kept it from loading: the service
   * then still starts, answers generation requests with 503 and reports `unhealthy` on `/health`.
   */
  model: LinearModel | ModelError;
  /** The Redis client (connected or reconnecting in the background), or `null` when disabled. */
  redis: RedisClient | null;
  /** Longs per request when `top_n` is not given. @default 5 */
  topN?: number;
  /** Shorts per request when `bottom_n` is not given. @default 5 */
  bottomN?: number;
  /** Feature TTL in seconds (`REDIS_TTL`). @default 3600 */
  cacheTtlSeconds?: number;
  /** Feature key prefix (keys are `{prefix}:{SYMBOL}:{date}`, shared with the Python services). @default 'features' */
  cachePrefix?: string;
  /** Fastify's logger option (`false` for silence, `true` or pino options to log). @default false */
  logger?: FastifyServerOptions['logger'];
  /** Close `redis` when the app closes. @default true */
  closeRedis?: boolean;
  /**
   * Environment of the publisher's outage buffer (`REDIS_FALLBACK_BUFFER_MAX_SIZE`,
   * `REDIS_FALLBACK_BUFFER_PATH`, `REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS`). @default {} (1,000 events in memory)
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Start-up hydration: with `enabled: true`, the app warms the cache for every symbol of the
   * market data over its last `days` trading days in the background as soon as it is built,
   * serving meanwhile (`/health` says `degraded` until it completes). @default disabled
   */
  featureHydration?: FeatureHydrationOptions;
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
  /**
   * `unhealthy` (HTTP 503): no model, no signals; `degraded`: Redis configured but down, serving
   * without the cache, or the start-up hydration running or failed (as upstream).
   */
  status: 'healthy' | 'degraded' | 'unhealthy';
  service: string;
  /** Whether a model was loaded and scores requests. */
  model_loaded: boolean;
  /** The loaded model, or `null` without one. */
  model_info: { strategy: string; version: string; num_features: number } | null;
  /** Why the model did not load, or `null` when it did. */
  model_error: string | null;
  feature_cache_enabled: boolean;
  /** The start-up hydration of the feature cache. */
  feature_hydration: HydrationHealth;
  timestamp: string;
}

/** A generation request while no model is loaded: the service answers 503 with this message. */
export class ModelUnavailableError extends Error {
  /** The HTTP status the service answers with. */
  readonly statusCode = 503;
  override readonly name = 'ModelUnavailableError';
}

/**
 * Builds the signal service: `POST /api/v1/signals/generate`, `GET /health` and `GET /metrics`
 * (Prometheus text: the SDK's metrics and the upstream `signal_service_*` ones, from the app's own
 * registry). Each
 * generation reads features through the cache (one `getManyOrCompute`), logs the request's
 * cache hits, misses and joined computations and publishes a `SignalEvent` on `signals.generated`.
 * With `featureHydration.enabled`, it also starts warming the cache in the background.
 *
 * @example
 * const app = buildSignalService({ marketData, model, redis: client });
 * const res = await app.inject({ method: 'POST', url: '/api/v1/signals/generate', payload: { symbols: ['AAPL', 'MSFT'] } });
 */
export function buildSignalService(deps: SignalServiceDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ?? false });
  const log = app.log as Logger;
  const cache = deps.redis ? new FeatureCache(deps.redis, { ttlSeconds: deps.cacheTtlSeconds ?? 3600, logger: log, ...(deps.cachePrefix ? { prefix: deps.cachePrefix } : {}) }) : null;
  // Buffered like the Python service: a signal published while Redis is down is replayed, not lost.
  const publisher = deps.redis ? EventPublisher.fromEnv(deps.redis, deps.env ?? {}, { logger: log }) : null;
  const model = deps.model instanceof ModelError ? null : deps.model;
  const modelError = deps.model instanceof ModelError ? deps.model.message : null;
  if (modelError !== null) log.error({ err: modelError }, 'model not loaded: generation answers 503 until the service restarts with a valid model');
  const generator = model && new SignalGenerator(deps.marketData, model, cache);
  const defaults = { topN: deps.topN ?? 5, bottomN: deps.bottomN ?? 5 };
  const hydration = new FeatureHydration({ cache, redis: deps.redis, generator, marketData: deps.marketData, log }, deps.featureHydration);
  // In the background: the service serves from the start, as upstream's lifespan task does.
  hydration.start();

  const { registry, close: closeMetrics } = createServiceRegistry();
  const buffered = publisher && new BufferedEventCounter();
  const metrics = registerSignalServiceMetrics(registry, { redis: deps.redis, publisher, buffered });

  /** Publishes the generation's `SignalEvent`; one that has to wait in the outage buffer is counted (see `BufferedEventCounter`). */
  const publishSignal = async (event: SignalEventInit): Promise<void> => {
    if (publisher === null || buffered === null) return;
    await buffered.publish(() => publisher.publishSignalEvent(event));
  };

  const generate = async (request: FastifyRequest): Promise<SignalResponse> => {
    if (generator === null) throw new ModelUnavailableError(`no model loaded: ${modelError}`);
    const parsed = parseGenerateRequest(request.body, deps.marketData, defaults);
    const result = await generator.generate(parsed);
    const total = result.hits + result.misses + result.joined;
    request.log.info(
      { as_of_date: result.asOfDate, hits: result.hits, misses: result.misses, joined: result.joined, hit_rate: total === 0 ? 0 : result.hits / total },
      'feature cache',
    );
    await publishSignal({
      strategyId: generator.model.strategy,
      symbols: [...parsed.symbols],
      numSignals: result.signals.length,
      asOfDate: result.asOfDate,
    });
    return {
      signals: result.signals,
      metadata: {
        as_of_date: result.asOfDate,
        model_version: generator.model.version,
        strategy: generator.model.strategy,
        num_signals: result.signals.length,
        generated_at: new Date().toISOString(),
        cache: { hits: result.hits, misses: result.misses, joined: result.joined },
      },
    };
  };

  app.post('/api/v1/signals/generate', async (request): Promise<SignalResponse> => {
    const started = performance.now();
    let outcome: RequestOutcome = 'error';
    try {
      const response = await generate(request);
      outcome = 'success';
      return response;
    } finally {
      metrics.observeRequest(outcome, (performance.now() - started) / 1000);
    }
  });

  app.get('/health', async (_request, reply): Promise<SignalHealth> => {
    const redis = await redisHealth(deps.redis);
    const status = model === null ? 'unhealthy' : redis.redis_status === 'disconnected' || hydration.degraded ? 'degraded' : 'healthy';
    // 503 so a load balancer or readiness probe keeps traffic away from a service that cannot score.
    if (status === 'unhealthy') void reply.code(503);
    return {
      status,
      service: SIGNAL_SERVICE_NAME,
      model_loaded: model !== null,
      model_info: model && { strategy: model.strategy, version: model.version, num_features: model.weights.size },
      model_error: modelError,
      ...redis,
      feature_cache_enabled: cache !== null && redis.redis_connected,
      feature_hydration: hydration.health(),
      timestamp: new Date().toISOString(),
    };
  });

  addMetricsRoute(app, registry);

  app.addHook('onClose', async () => {
    closeMetrics();
    buffered?.close();
    await hydration.stop();
    await publisher?.close();
    await cache?.close();
    if (deps.closeRedis ?? true) await deps.redis?.close();
  });
  return app;
}
