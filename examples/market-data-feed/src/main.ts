/**
 * Runs the market-data feed from the environment until SIGINT/SIGTERM, serving `/metrics` and
 * `/health` on `METRICS_PORT`: `npm run example:market-data-feed`. See ../README.md for the variables.
 */
import { ConfigError, RedisClient } from '@trading-platform/redis-client';
import { stringVar } from '../../lib/env.js';
import { createServiceRegistry } from '../../lib/metrics.js';
import { defaultDataDir } from '../../lib/paths.js';
import { loadMarketData } from '../../shared/index.js';
import { feedOptionsFromEnv, feedServerFromEnv } from './config.js';
import { startFeed } from './feed.js';
import type { FeedStats } from './feed.js';
import { registerFeedMetrics } from './metrics.js';
import { buildFeedServer } from './server.js';

const log = (line: string): void => void process.stderr.write(`market-data-feed: ${line}\n`);

async function main(): Promise<void> {
  const env = process.env;
  const marketData = await loadMarketData(stringVar(env, 'DATA_DIR', defaultDataDir()));
  const options = feedOptionsFromEnv(env, marketData);
  const { metricsPort, host } = feedServerFromEnv(env);
  const client = RedisClient.fromEnv(env);
  if (client === null) throw new ConfigError('REDIS_ENABLED=false: the feed has nowhere to send quotes', { context: { variable: 'REDIS_ENABLED' } });
  await client.connect();
  const { registry, close: closeMetrics } = createServiceRegistry();
  let last = { quotes: 0, at: Date.now() };
  const feed = startFeed({
    ...options,
    redis: client,
    onClose: (date) => {
      const { quotes, failed } = feed.stats();
      const seconds = (Date.now() - last.at) / 1000;
      log(`${date} closed: ${quotes - last.quotes} quotes in ${seconds.toFixed(1)} s (${((quotes - last.quotes) / seconds).toFixed(0)}/s), ${failed} failed so far`);
      last = { quotes, at: Date.now() };
    },
  });
  const stats = (): FeedStats => feed.stats();
  registerFeedMetrics(registry, stats);
  const server = buildFeedServer({ registry, redis: client, stats });
  const shutDown = async (): Promise<void> => {
    await feed.stop();
    await server.close();
    closeMetrics();
    await client.close();
  };
  try {
    log(`metrics listening on ${await server.listen({ port: metricsPort, host })}`);
  } catch (err) {
    await shutDown();
    throw err;
  }
  log(`quoting ${options.symbols.length} symbols at ${String(options.ratePerSymbol)}/s each, ${feed.stepsPerDay} quotes per symbol per day, from ${options.days?.[0] ?? '?'} (Ctrl-C stops)`);
  const stop = (signal: string): void => {
    log(`${signal} received, stopping`);
    shutDown().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await feed.done;
}

try {
  await main();
} catch (err) {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
