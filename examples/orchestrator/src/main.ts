/**
 * Runs the orchestrator from the environment against running services:
 * `npm run example:orchestrator`. See ../README.md for the variables.
 */
import { EventStream, RedisClient } from '@trading-platform/redis-client';
import { ConfigError } from '@trading-platform/redis-client';
import { dateVar, intVar, listVar, positiveNumberVar, stringVar, urlVar } from '../../lib/env.js';
import { defaultDataDir } from '../../lib/paths.js';
import { ALPHA158_HISTORY, loadMarketData } from '../../shared/index.js';
import { Orchestrator } from './orchestrator.js';
import { printDay, printSummary } from './report.js';
import { getJson } from '../../lib/http.js';
import type { Position } from '../../execution-gateway/src/paper-broker.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const env = process.env;
  const signalServiceUrl = urlVar(env, 'SIGNAL_SERVICE_URL', 'http://127.0.0.1:8000');
  const gatewayUrl = urlVar(env, 'GATEWAY_URL', 'http://127.0.0.1:8001');
  const symbols = listVar(env, 'SYMBOLS', ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'JPM', 'XOM']);
  const days = intVar(env, 'DAYS', 10, 1);
  const capital = positiveNumberVar(env, 'CAPITAL', 1_000_000);
  const marketData = await loadMarketData(stringVar(env, 'DATA_DIR', defaultDataDir()));
  const all = marketData.tradingDays();
  const start = dateVar(env, 'START_DATE') ?? (all[ALPHA158_HISTORY] as string);
  const first = all.indexOf(start);
  if (first < 0) throw new ConfigError(`START_DATE ${start} is not a trading day of the data`, { context: { variable: 'START_DATE' } });
  const client = RedisClient.fromEnv(env);
  if (client === null) throw new ConfigError('REDIS_ENABLED=false: the orchestrator needs Redis for events', { context: { variable: 'REDIS_ENABLED' } });
  await client.connect();
  const stream = new EventStream(client, { keyPrefix: stringVar(env, 'STREAM_PREFIX', 'stream:') });
  const orchestrator = await Orchestrator.start({
    redis: client,
    signalServiceUrl,
    gatewayUrl,
    marketData,
    capital,
    print,
    durable: { stream, group: stringVar(env, 'CONSUMER_GROUP', 'orchestrator'), consumer: `orchestrator-${process.pid}` },
  });
  try {
    const reports = [];
    for (const date of all.slice(first, first + days)) {
      print(`\nDay ${reports.length + 1} ${date}`);
      const report = await orchestrator.runDay(symbols, date);
      printDay(report, print);
      reports.push(report);
    }
    await orchestrator.settleDurable();
    const { positions } = await getJson<{ positions: Position[] }>(`${gatewayUrl}/api/v1/positions`);
    printSummary({ days: reports, events: orchestrator.eventCounts(), durable: orchestrator.durableCounts(), positions }, orchestrator.book, print);
  } finally {
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
