/**
 * Runs the orchestrator from the environment against running services:
 * `npm run example:orchestrator`. See ../README.md for the variables.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, EventStream, RedisClient } from '@trading-platform/redis-client';
import { getJson } from '../../lib/http.js';
import { createServiceRegistry } from '../../lib/metrics.js';
import { ALPHA158_HISTORY, loadMarketData } from '../../shared/index.js';
import type { Position } from '../../execution-gateway/src/paper-broker.js';
import { loadOrchestratorConfig } from './config.js';
import { registerOrchestratorMetrics } from './metrics.js';
import { Orchestrator } from './orchestrator.js';
import type { DayReport } from './orchestrator.js';
import { printDay, printSummary } from './report.js';
import { buildOrchestratorServer } from './server.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const note = (line: string): void => void process.stderr.write(`orchestrator: ${line}\n`);

/** Resolves with the signal's name on the first SIGINT or SIGTERM. */
const stopSignal = new Promise<string>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});
let stopping: string | undefined;
void stopSignal.then((signal) => {
  stopping = signal;
  note(`${signal} received, stopping`);
});

async function main(): Promise<void> {
  const config = loadOrchestratorConfig(process.env);
  const marketData = await loadMarketData(config.dataDir);
  const all = marketData.tradingDays();
  const start = config.startDate ?? (all[ALPHA158_HISTORY] as string);
  const first = all.indexOf(start);
  if (first < 0) throw new ConfigError(`START_DATE ${start} is not a trading day of the data`, { context: { variable: 'START_DATE' } });
  const client = RedisClient.fromEnv(process.env);
  if (client === null) throw new ConfigError('REDIS_ENABLED=false: the orchestrator needs Redis for events', { context: { variable: 'REDIS_ENABLED' } });
  await client.connect();
  const stream = new EventStream(client, { keyPrefix: config.streamPrefix });
  const orchestrator = await Orchestrator.start({
    redis: client,
    signalServiceUrl: config.signalServiceUrl,
    gatewayUrl: config.gatewayUrl,
    marketData,
    capital: config.capital,
    print,
    durable: { stream, group: config.consumerGroup, consumer: `orchestrator-${process.pid}` },
  });
  const { registry, close: closeMetrics } = createServiceRegistry();
  registerOrchestratorMetrics(registry, orchestrator);
  const server = buildOrchestratorServer({ registry, redis: client });
  try {
    note(`metrics listening on ${await server.listen({ port: config.metricsPort, host: config.host })}`);
    const reports: DayReport[] = [];
    for (const date of all.slice(first, first + config.days)) {
      if (stopping !== undefined) break;
      if (reports.length > 0 && config.dayIntervalMs > 0) await Promise.race([sleep(config.dayIntervalMs), stopSignal]);
      if (stopping !== undefined) break;
      print(`\nDay ${reports.length + 1} ${date}`);
      const report = await orchestrator.runDay(config.symbols, date);
      printDay(report, print);
      reports.push(report);
    }
    await orchestrator.settleDurable();
    const { positions } = await getJson<{ positions: Position[] }>(`${config.gatewayUrl}/api/v1/positions`);
    printSummary({ days: reports, events: orchestrator.eventCounts(), durable: orchestrator.durableCounts(), positions }, orchestrator.book, print);
    if (config.stayUp && stopping === undefined) {
      note('run complete (STAY_UP): still consuming events and serving /metrics until SIGINT/SIGTERM');
      await stopSignal;
    }
  } finally {
    closeMetrics();
    await server.close();
    await orchestrator.stop();
    await client.close();
  }
}

try {
  await main();
  process.exit(0);
} catch (err) {
  process.stderr.write(`orchestrator failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
