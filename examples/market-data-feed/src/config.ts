/**
 * The feed's configuration from environment variables (`SYMBOLS`, `START_DATE`,
 * `FEED_RATE_PER_SYMBOL`, `FEED_DAY_SECONDS`, `FEED_SPREAD_BPS`, `FEED_SEED`, `PRICE_TTL_SECONDS`;
 * `METRICS_PORT` and `HOST` for its `/metrics` server).
 */
import { ConfigError } from '@trading-platform/redis-client';
import { dateVar, intVar, listVar, positiveNumberVar, stringVar } from '../../lib/env.js';
import type { Env } from '../../lib/env.js';
import type { MarketData } from '../../shared/index.js';
import { FEED_DEFAULTS } from './feed.js';
import type { FeedOptions } from './feed.js';

/** The feed's options from `env` (everything but `redis`). @throws ConfigError naming the variable. */
export function feedOptionsFromEnv(env: Env, marketData: MarketData): Omit<FeedOptions, 'redis'> {
  const symbols = listVar(env, 'SYMBOLS', marketData.symbols());
  const all = marketData.tradingDays();
  const start = dateVar(env, 'START_DATE') ?? (all[0] as string);
  const first = all.indexOf(start);
  if (first < 0) throw new ConfigError(`START_DATE ${start} is not a trading day of the data`, { context: { variable: 'START_DATE' } });
  for (const symbol of symbols) {
    if (!marketData.bars.has(symbol)) throw new ConfigError(`SYMBOLS: ${symbol} is not in the market data`, { context: { variable: 'SYMBOLS' } });
  }
  return {
    marketData,
    symbols,
    days: all.slice(first),
    ratePerSymbol: positiveNumberVar(env, 'FEED_RATE_PER_SYMBOL', FEED_DEFAULTS.ratePerSymbol),
    dayMs: positiveNumberVar(env, 'FEED_DAY_SECONDS', FEED_DEFAULTS.dayMs / 1000) * 1000,
    spreadBps: positiveNumberVar(env, 'FEED_SPREAD_BPS', FEED_DEFAULTS.spreadBps),
    seed: intVar(env, 'FEED_SEED', FEED_DEFAULTS.seed, 0, 0xffffffff),
    priceTtlSeconds: intVar(env, 'PRICE_TTL_SECONDS', FEED_DEFAULTS.priceTtlSeconds, 0),
    loop: true,
  };
}

/** Where the feed serves `/metrics` and `/health`. */
export interface FeedServerConfig {
  /** `METRICS_PORT`; `0` picks a free one (the address is printed). @default 8003 */
  metricsPort: number;
  /** `HOST`. @default '127.0.0.1' */
  host: string;
}

/** The feed's server settings from `env`. @throws ConfigError naming the variable. */
export function feedServerFromEnv(env: Env): FeedServerConfig {
  return { metricsPort: intVar(env, 'METRICS_PORT', 8003, 0, 65535), host: stringVar(env, 'HOST', '127.0.0.1') };
}
