/**
 * The orchestrator's configuration from the environment. Redis variables are read by
 * `RedisClient.fromEnv`; these are the orchestrator's own.
 */
import { boolVar, dateVar, intVar, listVar, positiveNumberVar, stringVar, urlVar } from '../../lib/env.js';
import type { Env } from '../../lib/env.js';
import { defaultDataDir } from '../../lib/paths.js';

/** Settings of the orchestrator. */
export interface OrchestratorConfig {
  /** `SIGNAL_SERVICE_URL`. @default 'http://127.0.0.1:8000' */
  signalServiceUrl: string;
  /** `GATEWAY_URL`. @default 'http://127.0.0.1:8001' */
  gatewayUrl: string;
  /** `SYMBOLS`, comma-separated. @default 8 large caps */
  symbols: string[];
  /** `DAYS`: trading days to run. @default 10 */
  days: number;
  /** `START_DATE`: first day of the run, or `undefined` for the 62nd trading day of the data. */
  startDate: string | undefined;
  /** `CAPITAL`: notional capital. @default 1000000 */
  capital: number;
  /** `DATA_DIR`. @default examples/shared/market-data */
  dataDir: string;
  /** `STREAM_PREFIX`: prefix of the durable streams, as the gateway's. @default 'stream:' */
  streamPrefix: string;
  /** `CONSUMER_GROUP`. @default 'orchestrator' */
  consumerGroup: string;
  /** `METRICS_PORT`: port of `/metrics` and `/health`; `0` picks a free one (the address is printed). @default 8002 */
  metricsPort: number;
  /** `HOST`: where `/metrics` listens. @default '127.0.0.1' */
  host: string;
  /** `DAY_INTERVAL_MS`: pause between trading days, for a steady workload to watch. @default 0 */
  dayIntervalMs: number;
  /** `STAY_UP`: after the run, keep consuming events and serving `/metrics` until SIGINT/SIGTERM. @default false */
  stayUp: boolean;
}

/** Reads the configuration. @throws ConfigError naming the variable with a bad value. */
export function loadOrchestratorConfig(env: Env): OrchestratorConfig {
  return {
    signalServiceUrl: urlVar(env, 'SIGNAL_SERVICE_URL', 'http://127.0.0.1:8000'),
    gatewayUrl: urlVar(env, 'GATEWAY_URL', 'http://127.0.0.1:8001'),
    symbols: listVar(env, 'SYMBOLS', ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'JPM', 'XOM']),
    days: intVar(env, 'DAYS', 10, 1),
    startDate: dateVar(env, 'START_DATE'),
    capital: positiveNumberVar(env, 'CAPITAL', 1_000_000),
    dataDir: stringVar(env, 'DATA_DIR', defaultDataDir()),
    streamPrefix: stringVar(env, 'STREAM_PREFIX', 'stream:'),
    consumerGroup: stringVar(env, 'CONSUMER_GROUP', 'orchestrator'),
    metricsPort: intVar(env, 'METRICS_PORT', 8002, 0, 65535),
    host: stringVar(env, 'HOST', '127.0.0.1'),
    dayIntervalMs: intVar(env, 'DAY_INTERVAL_MS', 0, 0, 2_147_483_647),
    stayUp: boolVar(env, 'STAY_UP', false),
  };
}
