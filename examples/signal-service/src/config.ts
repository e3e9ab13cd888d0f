/**
 * The signal service's configuration from the environment. Redis variables are read by
 * `RedisClient.fromEnv`; these are the service's own.
 */
import { defaultDataDir, defaultModelPath } from '../../lib/paths.js';
import { boolVar, intVar, stringVar } from '../../lib/env.js';
import type { Env } from '../../lib/env.js';
import { HYDRATION_DEFAULTS } from './hydration.js';
import type { FeatureHydrationOptions } from './hydration.js';

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
  /**
   * Start-up hydration, by upstream's variables: `FEATURE_HYDRATION_ENABLED` (default `true`, as
   * upstream), `FEATURE_HYDRATION_TIMEOUT_SECONDS` (default 300, as upstream), and this example's
   * `FEATURE_HYDRATION_DAYS` (default 60, upstream's `DEFAULT_FEATURE_HYDRATION_DAYS`).
   */
  featureHydration: Required<Pick<FeatureHydrationOptions, 'enabled' | 'timeoutSeconds' | 'days'>>;
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
    featureHydration: {
      enabled: boolVar(env, 'FEATURE_HYDRATION_ENABLED', true),
      timeoutSeconds: intVar(env, 'FEATURE_HYDRATION_TIMEOUT_SECONDS', HYDRATION_DEFAULTS.timeoutSeconds, 1, 2_147_483),
      days: intVar(env, 'FEATURE_HYDRATION_DAYS', HYDRATION_DEFAULTS.days, 1),
    },
  };
}
