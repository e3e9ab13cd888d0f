/**
 * The signal service's configuration from the environment. Redis variables are read by
 * `RedisClient.fromEnv`; these are the service's own.
 */
import { defaultDataDir, defaultModelPath } from '../../lib/paths.js';
import { intVar, stringVar } from '../../lib/env.js';
import type { Env } from '../../lib/env.js';

/** Settings of the signal service. */
export interface SignalServiceConfig {
  /** `PORT`. @default 8000 */
  port: number;
  /** `HOST`. @default '127.0.0.1' */
  host: string;
  /** `TOP_N`: longs per request. @default 5 */
  topN: number;
  /** `BOTTOM_N`: shorts per request. @default 5 */
  bottomN: number;
  /** `REDIS_TTL`: feature TTL in seconds (0 = none). @default 3600 */
  cacheTtlSeconds: number;
  /** `DATA_DIR`: directory of `ohlcv.csv` (or the CSV itself). @default examples/shared/market-data */
  dataDir: string;
  /** `MODEL_PATH`. @default examples/shared/model/model.json */
  modelPath: string;
}

/** Reads the configuration. @throws ConfigError naming the variable with a bad value. */
export function loadSignalServiceConfig(env: Env): SignalServiceConfig {
  return {
    port: intVar(env, 'PORT', 8000, 0, 65535),
    host: stringVar(env, 'HOST', '127.0.0.1'),
    topN: intVar(env, 'TOP_N', 5, 0),
    bottomN: intVar(env, 'BOTTOM_N', 5, 0),
    cacheTtlSeconds: intVar(env, 'REDIS_TTL', 3600, 0),
    dataDir: stringVar(env, 'DATA_DIR', defaultDataDir()),
    modelPath: stringVar(env, 'MODEL_PATH', defaultModelPath()),
  };
}
