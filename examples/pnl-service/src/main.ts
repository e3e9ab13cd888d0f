/**
 * Runs the P&L service from the environment: `npm run example:pnl-service`. See ../README.md for
 * the variables.
 */
import { EventStream, RedisClient } from '@trading-platform/redis-client';
import { createEmbeddedClient } from '@trading-platform/redis-client/embedded';
import { intVar, positiveNumberVar, stringVar } from '../../lib/env.js';
import { runService } from '../../lib/run.js';
import { buildPnlService } from './app.js';
import { consumerNamesFromEnv } from './instance.js';
import { PNL_SERVICE_DEFAULTS } from './options.js';

await runService('pnl-service', async () => {
  const env = process.env;
  const port = intVar(env, 'PORT', 8004, 0, 65535);
  const host = stringVar(env, 'HOST', '127.0.0.1');
  const staleAfterMs = intVar(env, 'PNL_STALE_AFTER_MS', PNL_SERVICE_DEFAULTS.staleAfterMs, 1);
  const maxMessagesPerSecond = positiveNumberVar(env, 'PNL_MAX_MESSAGES_PER_SECOND', PNL_SERVICE_DEFAULTS.maxMessagesPerSecond);
  const real = stringVar(env, 'REDIS_URL', '') !== '' ? RedisClient.fromEnv(env) : null;
  if (real === null) {
    // Nothing else can reach an in-process Redis: fills and prices come from this process only.
    process.stderr.write('pnl-service: REDIS_URL unset, using the embedded in-memory Redis (pub/sub positions)\n');
    const redis = await createEmbeddedClient().connect();
    const service = await buildPnlService({ redis, staleAfterMs, maxMessagesPerSecond, logger: true });
    return { app: service.app, listen: { port, host } };
  }
  await real.connect();
  const durable = {
    stream: new EventStream(real, { keyPrefix: stringVar(env, 'STREAM_PREFIX', 'stream:') }),
    ...consumerNamesFromEnv(env, port),
  };
  const service = await buildPnlService({ redis: real, durable, staleAfterMs, maxMessagesPerSecond, logger: true });
  return { app: service.app, listen: { port, host } };
});
