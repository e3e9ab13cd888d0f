/**
 * Runs the signal service from the environment: `npm run example:signal-service`.
 * See ../README.md for the variables.
 */
import { consoleLogger } from '../../lib/console-logger.js';
import { connectFromEnv } from '../../lib/redis.js';
import { runService } from '../../lib/run.js';
import { loadMarketData, loadModel, ModelError } from '../../shared/index.js';
import { buildSignalService } from './app.js';
import { loadSignalServiceConfig } from './config.js';

await runService('signal-service', async () => {
  const config = loadSignalServiceConfig(process.env);
  // A model that does not load leaves the service up but unhealthy (503s), with the reason on /health.
  const model = loadModel(config.modelPath).catch((err: unknown) => {
    if (err instanceof ModelError) return err;
    throw err;
  });
  const [marketData, modelOrError] = await Promise.all([loadMarketData(config.dataDir), model]);
  const redis = await connectFromEnv(process.env, consoleLogger('info', { component: 'redis' }));
  const app = buildSignalService({
    marketData,
    model: modelOrError,
    redis,
    topN: config.topN,
    bottomN: config.bottomN,
    cacheTtlSeconds: config.cacheTtlSeconds,
    featureHydration: config.featureHydration,
    env: process.env,
    logger: true,
  });
  return { app, listen: { port: config.port, host: config.host } };
});
