/**
 * Runs the execution gateway from the environment: `npm run example:execution-gateway`.
 * See ../README.md for the variables.
 */
import { EventStream } from '@trading-platform/redis-client';
import { consoleLogger } from '../../lib/console-logger.js';
import { intVar, stringVar } from '../../lib/env.js';
import { defaultDataDir } from '../../lib/paths.js';
import { connectFromEnv } from '../../lib/redis.js';
import { runService } from '../../lib/run.js';
import { loadMarketData } from '../../shared/index.js';
import { buildExecutionGateway } from './app.js';

await runService('execution-gateway', async () => {
  const port = intVar(process.env, 'PORT', 8001, 0, 65535);
  const host = stringVar(process.env, 'HOST', '127.0.0.1');
  const marketData = await loadMarketData(stringVar(process.env, 'DATA_DIR', defaultDataDir()));
  const redis = await connectFromEnv(process.env, consoleLogger('info', { component: 'redis' }));
  // Durable copies of the events for consumer groups (the orchestrator reads them).
  const stream = redis ? new EventStream(redis, { keyPrefix: stringVar(process.env, 'STREAM_PREFIX', 'stream:') }) : undefined;
  const app = buildExecutionGateway({ marketData, redis, ...(stream ? { stream } : {}), env: process.env, logger: true });
  return { app, listen: { port, host } };
});
