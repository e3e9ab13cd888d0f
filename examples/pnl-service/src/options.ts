/** Options of the P&L service, their defaults in one place, resolved and validated once. */
import type { FastifyServerOptions } from 'fastify';
import { ConfigError } from '@trading-platform/redis-client';
import type { PriceCacheOptions, RedisClient } from '@trading-platform/redis-client';
import type { PnlBookOptions } from './book.js';
import type { DurableSource } from './feeds.js';

/** What {@link buildPnlService} needs. */
export interface PnlServiceOptions {
  /** The Redis client (a real server, or `./embedded`); subscriptions open their own connections from it. */
  redis: RedisClient;
  /**
   * Read fills from the durable positions stream through this consumer group (a restart misses
   * no fill). Without it, fills come from pub/sub `positions.updated` (at most once). @default pub/sub
   */
  durable?: DurableSource;
  /** Options of the `PriceCache` read at start-up and for newly held symbols (`price:{symbol}`). @default {} */
  priceCache?: PriceCacheOptions;
  /** After this long without any price, snapshots and `/health` call the prices stale. @default 10_000 */
  staleAfterMs?: number;
  /** Most SSE messages a second per client (changes in between are coalesced, latest values win). @default 10 */
  maxMessagesPerSecond?: number;
  /** A `: ping` comment on every SSE stream this often. @default 15_000 */
  heartbeatMs?: number;
  /** The P&L curve is sampled this often (when anything changed). @default 1000 */
  curveIntervalMs?: number;
  /** Most points of a P&L curve (per strategy and overall). @default 600 */
  maxCurvePoints?: number;
  /** Options of the book (how many event ids it remembers). @default {} */
  book?: PnlBookOptions;
  /** Fastify's logger option; the SDK's components log through it too. @default false */
  logger?: FastifyServerOptions['logger'];
  /** Close `redis` when the service closes. @default true */
  closeRedis?: boolean;
}

/** The defaults of {@link PnlServiceOptions}. */
export const PNL_SERVICE_DEFAULTS = Object.freeze({
  staleAfterMs: 10_000,
  maxMessagesPerSecond: 10,
  heartbeatMs: 15_000,
  curveIntervalMs: 1000,
  maxCurvePoints: 600,
  closeRedis: true,
});

/** {@link PnlServiceOptions} after defaults and validation. */
export type ResolvedPnlServiceOptions = PnlServiceOptions & Required<Pick<PnlServiceOptions, keyof typeof PNL_SERVICE_DEFAULTS>>;

type NumericOption = 'staleAfterMs' | 'maxMessagesPerSecond' | 'heartbeatMs' | 'curveIntervalMs' | 'maxCurvePoints';

function positive(options: PnlServiceOptions, name: NumericOption, integer: boolean, max = Number.MAX_SAFE_INTEGER): number {
  const value: unknown = options[name] ?? PNL_SERVICE_DEFAULTS[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new ConfigError(`Option ${name} must be ${integer ? 'an integer' : 'a number'} > 0 and <= ${max}, got ${String(value)}`, { context: { option: name } });
  }
  return value;
}

/** Applies the defaults. @throws ConfigError naming the bad option. */
export function resolvePnlServiceOptions(options: PnlServiceOptions): ResolvedPnlServiceOptions {
  if (options.redis === undefined || options.redis === null) throw new ConfigError('Option redis is required', { context: { option: 'redis' } });
  const durable = options.durable;
  if (durable !== undefined && (typeof durable.group !== 'string' || durable.group === '' || typeof durable.consumer !== 'string' || durable.consumer === '')) {
    throw new ConfigError('Option durable needs a stream, a non-empty group and a non-empty consumer', { context: { option: 'durable' } });
  }
  return {
    ...options,
    staleAfterMs: positive(options, 'staleAfterMs', true),
    // A timer cannot pace more finely than a millisecond.
    maxMessagesPerSecond: positive(options, 'maxMessagesPerSecond', false, 1000),
    heartbeatMs: positive(options, 'heartbeatMs', true),
    curveIntervalMs: positive(options, 'curveIntervalMs', true),
    maxCurvePoints: positive(options, 'maxCurvePoints', true),
    closeRedis: options.closeRedis ?? PNL_SERVICE_DEFAULTS.closeRedis,
  };
}
