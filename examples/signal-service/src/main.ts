/**
 * Runs the signal service from the environment: `npm run example:signal-service`.
 * See ../README.md for the variables.
 */
import { consoleLogger } from '../../lib/console-logger.js';
import { connectFromEnv } from '../../lib/redis.js';
import { runService } from '../../lib/run.js';
import { loadMarketData, loadModel } from '../../shared/index.js';
import { buildSignalService } from './app.js';
import { loadSignalServiceConfig } from './config.js';

await runService('signal-service', async () => {
  const config = loadSignalServiceConfig(process.env);
  const [marketData, model] = await Promise.all([loadMarketData(config.dataDir), loadModel(config.modelPath)]);
  const redis = await connectFromEnv(process.env, consoleLogger('info', { component: 'redis' }));
  const app = buildSignalService({
    marketData,
    model,
    redis,
    topN: config.topN,
    bottomN: config.bottomN,
    cacheTtl: config.cacheTtl,
    logger: true,
  });
  return { app, listen: { port: config.port, host: config.host } };
});
