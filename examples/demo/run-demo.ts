/**
 * The demo: the signal service, the execution gateway and the orchestrator in one process, on
 * the embedded in-memory Redis (or on `REDIS_URL`), through a multi-day paper-trading run.
 */
import { EventStream, RedisClient } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import type { FastifyInstance } from 'fastify';
import { buildExecutionGateway } from '../execution-gateway/src/app.js';
import type { Position } from '../execution-gateway/src/paper-broker.js';
import { defaultDataDir, defaultModelPath } from '../lib/paths.js';
import type { Env } from '../lib/env.js';
import { Orchestrator } from '../orchestrator/src/orchestrator.js';
import type { DayReport } from '../orchestrator/src/orchestrator.js';
import { printDay, printSummary } from '../orchestrator/src/report.js';
import { ALPHA158_HISTORY, loadMarketData, loadModel } from '../shared/index.js';
import { buildSignalService } from '../signal-service/src/app.js';
import { getJson } from '../lib/http.js';

/** The symbols the demo trades. */
export const DEMO_SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'JPM', 'XOM'] as const;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** `REDIS_URL` selects a real server; unset uses the embedded Redis. @default process.env */
  env?: Env;
  /** Trading days to run. @default 10 */
  days?: number;
  /** Where output lines go. @default stdout */
  print?: (line: string) => void;
}

/** What the demo did. */
export interface DemoResult {
  redis: 'embedded' | 'real';
  days: DayReport[];
  events: Record<string, number>;
  durable: Record<string, number> | null;
  positions: Position[];
}

async function makeClients(env: Env, count: number): Promise<{ kind: 'embedded' | 'real'; clients: RedisClient[] }> {
  const url = env.REDIS_URL?.trim();
  if (!url) {
    const server = createEmbeddedServer();
    const clients = Array.from({ length: count }, () => server.createClient());
    await Promise.all(clients.map((c) => c.connect()));
    return { kind: 'embedded', clients };
  }
  const clients = await Promise.all(Array.from({ length: count }, () => RedisClient.connect({ url })));
  return { kind: 'real', clients };
}

async function deleteMatching(client: RedisClient, pattern: string): Promise<void> {
  const keys: string[] = [];
  for await (const key of client.scan({ match: pattern })) keys.push(key);
  if (keys.length > 0) await client.unlink(keys);
}

/** Runs the demo and returns what it did; throws if any step fails. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const [marketData, model] = await Promise.all([loadMarketData(defaultDataDir()), loadModel(defaultModelPath())]);
  const tradingDays = marketData.tradingDays().slice(ALPHA158_HISTORY, ALPHA158_HISTORY + (options.days ?? 10));
  const { kind, clients } = await makeClients(env, 4);
  const [signalClient, gatewayClient, orchestratorClient, adminClient] = clients as [RedisClient, RedisClient, RedisClient, RedisClient];
  // On a shared server, keep this run's keys apart (and delete them at the end).
  const run = `demo-${process.pid}-${Date.now().toString(36)}`;
  const cachePrefix = kind === 'real' ? `${run}-features` : 'features';
  const stream = kind === 'real' ? new EventStream(gatewayClient, { keyPrefix: `${run}:stream:` }) : undefined;
  print(`Redis: ${kind === 'real' ? `real server (REDIS_URL), keys under ${run}*` : 'embedded in-memory server (set REDIS_URL to use a real one)'}`);
  print(`Trading ${DEMO_SYMBOLS.join(', ')} for ${tradingDays.length} days from ${tradingDays[0] ?? '?'} (synthetic data), capital 1,000,000`);

  const apps: FastifyInstance[] = [];
  let orchestrator: Orchestrator | undefined;
  try {
    const signalApp = buildSignalService({ marketData, model, redis: signalClient, topN: 3, bottomN: 3, cachePrefix });
    apps.push(signalApp);
    const gatewayApp = buildExecutionGateway({ marketData, redis: gatewayClient, ...(stream ? { stream } : {}) });
    apps.push(gatewayApp);
    const [signalServiceUrl, gatewayUrl] = await Promise.all(apps.map((app) => app.listen({ port: 0, host: '127.0.0.1' })));
    orchestrator = await Orchestrator.start({
      redis: orchestratorClient,
      signalServiceUrl: signalServiceUrl as string,
      gatewayUrl: gatewayUrl as string,
      marketData,
      capital: 1_000_000,
      print,
      ...(stream ? { durable: { stream: new EventStream(orchestratorClient, { keyPrefix: `${run}:stream:` }), group: 'orchestrator', consumer: run } } : {}),
    });
    const reports: DayReport[] = [];
    for (const [i, date] of tradingDays.entries()) {
      print(`\nDay ${i + 1} ${date}`);
      const report = await orchestrator.runDay(DEMO_SYMBOLS, date);
      printDay(report, print);
      reports.push(report);
    }
    await orchestrator.settleDurable();
    const { positions } = await getJson<{ positions: Position[] }>(`${gatewayUrl as string}/api/v1/positions`);
    const result: DemoResult = {
      redis: kind,
      days: reports,
      events: orchestrator.eventCounts(),
      durable: orchestrator.durableCounts(),
      positions,
    };
    printSummary(result, orchestrator.book, print);
    return result;
  } finally {
    await orchestrator?.stop();
    for (const app of apps) await app.close();
    if (kind === 'real') {
      await deleteMatching(adminClient, `${run}*`);
    }
    await Promise.all([orchestratorClient.close(), adminClient.close()]);
  }
}
