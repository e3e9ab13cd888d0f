/**
 * The demo: the signal service, the execution gateway, the orchestrator and the P&L service in
 * one process, on the embedded in-memory Redis (or on `REDIS_URL`), through a multi-day
 * paper-trading run. After each day the closes go out as quotes, so the P&L service marks the
 * positions where the orchestrator's book does, and both final P&Ls are printed.
 */
import { EventStream } from '@trading-platform/redis-client';
import type { RedisClient } from '@trading-platform/redis-client';
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
import { closingQuotes } from '../market-data-feed/src/feed.js';
import { QuoteWriter } from '../market-data-feed/src/quotes.js';
import { buildPnlService } from '../pnl-service/src/app.js';
import type { PnlService } from '../pnl-service/src/app.js';
import { deleteMatching, makeClients, priceKey } from './clients.js';
import { signedMoney, waitForMarks } from './pnl-check.js';

/** The symbols the demo trades. */
export const DEMO_SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'JPM', 'XOM'] as const;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /**
   * `REDIS_URL` selects a real server (unset: the embedded Redis); there `DEMO_OVERWRITE_PRICES`
   * lets the demo run although `price:{symbol}` keys of its symbols exist. @default process.env
   */
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
  /**
   * The final P&L as printed (`+1,234.56`): the orchestrator book's, marked at the last day's
   * closes, and the P&L service's `total_pl` once it shows the same positions at the same closes;
   * with the service's realized and unrealized parts (exact decimal strings).
   */
  pnl: { book: string; service: string; realized: string; unrealized: string };
}

/**
 * Runs the demo and returns what it did; throws if any step fails.
 * @throws ConfigError before writing anything when, on a real Redis, a `price:{symbol}` key of the demo's symbols exists (unless `DEMO_OVERWRITE_PRICES`).
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const [marketData, model] = await Promise.all([loadMarketData(defaultDataDir()), loadModel(defaultModelPath())]);
  const tradingDays = marketData.tradingDays().slice(ALPHA158_HISTORY, ALPHA158_HISTORY + (options.days ?? 10));
  // On a real server, refuses before writing anything when a price:{symbol} key of the demo's symbols exists.
  const { kind, clients, warning } = await makeClients(env, 6, DEMO_SYMBOLS);
  const [signalClient, gatewayClient, orchestratorClient, adminClient, pnlClient, feedClient] = clients as [RedisClient, RedisClient, RedisClient, RedisClient, RedisClient, RedisClient];
  // On a shared server, keep this run's keys apart (and delete them at the end).
  const run = `demo-${process.pid}-${Date.now().toString(36)}`;
  const cachePrefix = kind === 'real' ? `${run}-features` : 'features';
  const stream = kind === 'real' ? new EventStream(gatewayClient, { keyPrefix: `${run}:stream:` }) : undefined;
  print(`Redis: ${kind === 'real' ? `real server (REDIS_URL), keys under ${run}*` : 'embedded in-memory server (set REDIS_URL to use a real one)'}`);
  if (warning !== null) print(warning);
  print(`Trading ${DEMO_SYMBOLS.join(', ')} for ${tradingDays.length} days from ${tradingDays[0] ?? '?'} (synthetic data), capital 1,000,000`);

  const apps: FastifyInstance[] = [];
  let orchestrator: Orchestrator | undefined;
  let pnl: PnlService | undefined;
  const quotes = new QuoteWriter(feedClient);
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
    // Fills from the durable stream on a real Redis, from pub/sub on the embedded one.
    const durable = stream ? { durable: { stream: new EventStream(pnlClient, { keyPrefix: `${run}:stream:` }), group: 'pnl-service', consumer: run } } : {};
    pnl = await buildPnlService({ redis: pnlClient, closeRedis: false, ...durable });
    const reports: DayReport[] = [];
    for (const [i, date] of tradingDays.entries()) {
      print(`\nDay ${i + 1} ${date}`);
      const report = await orchestrator.runDay(DEMO_SYMBOLS, date);
      printDay(report, print);
      reports.push(report);
      // The day's closes as quotes: the P&L service marks where the book just did.
      await quotes.write(closingQuotes(marketData, DEMO_SYMBOLS, date));
    }
    await orchestrator.settleDurable();
    const lastDay = tradingDays[tradingDays.length - 1] as string;
    const closes = new Map(closingQuotes(marketData, DEMO_SYMBOLS, lastDay).map((q) => [q.symbol, q.mid]));
    const shown = await waitForMarks(pnl, orchestrator.book.holdings(), closes);
    const { positions } = await getJson<{ positions: Position[] }>(`${gatewayUrl as string}/api/v1/positions`);
    const result: DemoResult = {
      redis: kind,
      days: reports,
      events: orchestrator.eventCounts(),
      durable: orchestrator.durableCounts(),
      positions,
      pnl: {
        book: signedMoney((reports[reports.length - 1]?.mark.totalPnl ?? 0).toFixed(2)),
        service: signedMoney(shown.total_pl),
        realized: shown.realized_pl,
        unrealized: shown.total_unrealized_pl,
      },
    };
    printSummary(result, orchestrator.book, print);
    print(`  final P&L (P&L service): ${result.pnl.service} (realized ${signedMoney(shown.realized_pl)}, unrealized ${signedMoney(shown.total_unrealized_pl)}, marked at the ${lastDay} closes)`);
    return result;
  } finally {
    await orchestrator?.stop();
    await pnl?.close();
    await quotes.close();
    for (const app of apps) await app.close();
    if (kind === 'real') {
      await deleteMatching(adminClient, `${run}*`);
      // The quotes are the platform's own keys (`price:{symbol}`): synthetic prices must not outlive the run.
      await adminClient.unlink(DEMO_SYMBOLS.map(priceKey));
    }
    // The signal service and the gateway closed their clients with their apps.
    await Promise.all([orchestratorClient.close(), adminClient.close(), pnlClient.close(), feedClient.close()]);
  }
}
