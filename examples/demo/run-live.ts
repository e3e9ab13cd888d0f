/**
 * The live demo (`npm run demo:live`): the market-data feed, the signal service, the execution
 * gateway, the orchestrator and the P&L service with its dashboard, on the embedded in-memory
 * Redis (or on `REDIS_URL`), trading one synthetic day every few seconds while prices stream
 * intraday, until stopped.
 */
import { EventStream } from '@trading-platform/redis-client';
import type { RedisClient } from '@trading-platform/redis-client';
import type { FastifyInstance } from 'fastify';
import { buildExecutionGateway } from '../execution-gateway/src/app.js';
import { intVar, positiveNumberVar, stringVar } from '../lib/env.js';
import type { Env } from '../lib/env.js';
import { defaultDataDir, defaultModelPath } from '../lib/paths.js';
import { closingQuotes, startFeed } from '../market-data-feed/src/feed.js';
import type { Feed } from '../market-data-feed/src/feed.js';
import { QuoteWriter } from '../market-data-feed/src/quotes.js';
import { Orchestrator } from '../orchestrator/src/orchestrator.js';
import type { DayReport } from '../orchestrator/src/orchestrator.js';
import { buildPnlService } from '../pnl-service/src/app.js';
import type { PnlService } from '../pnl-service/src/app.js';
import { ALPHA158_HISTORY, loadMarketData, loadModel } from '../shared/index.js';
import { buildSignalService } from '../signal-service/src/app.js';
import { deleteMatching, makeClients, priceKey } from './clients.js';
import type { DemoRedis } from './clients.js';
import { signedMoney } from './pnl-check.js';
import { DEMO_SYMBOLS } from './run-demo.js';

/** Options of {@link startLiveDemo}. */
export interface LiveDemoOptions {
  /**
   * `REDIS_URL` (unset: embedded), `PORT` (dashboard, default 8004; 0 picks a free one), `HOST`
   * (default 127.0.0.1), `DEMO_DAY_SECONDS` (wall-clock seconds per trading day, default 20),
   * `FEED_RATE_PER_SYMBOL` (quotes a second per symbol, default 5), `DEMO_OVERWRITE_PRICES` (on a
   * real Redis, run even though `price:{symbol}` keys of the demo's symbols exist). @default process.env
   */
  env?: Env;
  /** Where output lines go. @default stdout */
  print?: (line: string) => void;
}

/** A running live demo. */
export interface LiveDemo {
  redis: DemoRedis;
  /** The dashboard, `http://host:port/`. */
  url: string;
  /** Resolves when the last trading day of the data has been replayed (the services stay up). */
  replayed: Promise<void>;
  /** Stops the feed, waits for a trading day in progress, closes every service and client; on a real Redis deletes the run's keys. */
  stop(): Promise<void>;
}

/** Everything a run opened, closed in reverse order by {@link shutDown}. */
interface Opened {
  kind: DemoRedis;
  run: string;
  clients: RedisClient[];
  apps: FastifyInstance[];
  quotes: QuoteWriter;
  orchestrator?: Orchestrator;
  pnl?: PnlService;
  feed?: Feed;
  trading?: Promise<void>;
  stopping?: boolean;
}

async function shutDown(opened: Opened): Promise<void> {
  opened.stopping = true;
  await opened.feed?.stop();
  await opened.trading?.catch(() => undefined);
  await opened.orchestrator?.stop();
  await opened.pnl?.close();
  await opened.quotes.close();
  for (const app of opened.apps) await app.close();
  const admin = opened.clients[3] as RedisClient;
  if (opened.kind === 'real') {
    await deleteMatching(admin, `${opened.run}*`);
    await admin.unlink(DEMO_SYMBOLS.map(priceKey));
  }
  // The signal service and the gateway close theirs with their apps, when they were built.
  await Promise.all(opened.clients.slice(opened.apps.length).map((c) => c.close()));
}

function dayLine(n: number, report: DayReport, pnl: PnlService | undefined): string {
  const fills = report.orders.fills.length;
  const service = pnl ? `, P&L service ${signedMoney(pnl.book.totals().total_pl)}` : '';
  return `Day ${n} ${report.date}: ${fills} fill${fills === 1 ? '' : 's'}; total P&L at the close: book ${signedMoney(report.mark.totalPnl.toFixed(2))}${service}`;
}

/**
 * Starts the live demo and resolves once the dashboard serves and the first day is traded (so it
 * shows positions from the start). The feed then streams each following day intraday and, at
 * each close, the orchestrator trades that day at its closes.
 *
 * @example
 * const demo = await startLiveDemo({ env: { PORT: '0' } });
 * console.log(demo.url);
 * await demo.stop();
 * @throws ConfigError for an invalid variable; whatever failed at start-up (everything opened is closed first).
 */
export async function startLiveDemo(options: LiveDemoOptions = {}): Promise<LiveDemo> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const port = intVar(env, 'PORT', 8004, 0, 65_535);
  const host = stringVar(env, 'HOST', '127.0.0.1');
  const dayMs = positiveNumberVar(env, 'DEMO_DAY_SECONDS', 20) * 1000;
  const ratePerSymbol = positiveNumberVar(env, 'FEED_RATE_PER_SYMBOL', 5);
  const [marketData, model] = await Promise.all([loadMarketData(defaultDataDir()), loadModel(defaultModelPath())]);
  const days = marketData.tradingDays().slice(ALPHA158_HISTORY);
  // On a real server, refuses before writing anything when a price:{symbol} key of the demo's symbols exists.
  const { kind, clients, warning } = await makeClients(env, 6, DEMO_SYMBOLS);
  if (warning !== null) print(warning);
  const [signalClient, gatewayClient, orchestratorClient, , pnlClient, feedClient] = clients as [RedisClient, RedisClient, RedisClient, RedisClient, RedisClient, RedisClient];
  const run = `demo-live-${process.pid}-${Date.now().toString(36)}`;
  const opened: Opened = { kind, run, clients, apps: [], quotes: new QuoteWriter(feedClient) };
  try {
    const streamOf = (client: RedisClient): EventStream | undefined => (kind === 'real' ? new EventStream(client, { keyPrefix: `${run}:stream:` }) : undefined);
    const gatewayStream = streamOf(gatewayClient);
    opened.apps.push(buildSignalService({ marketData, model, redis: signalClient, topN: 3, bottomN: 3, cachePrefix: kind === 'real' ? `${run}-features` : 'features' }));
    opened.apps.push(buildExecutionGateway({ marketData, redis: gatewayClient, ...(gatewayStream ? { stream: gatewayStream } : {}) }));
    const [signalServiceUrl, gatewayUrl] = (await Promise.all(opened.apps.map((app) => app.listen({ port: 0, host: '127.0.0.1' })))) as [string, string];
    const pnlStream = streamOf(pnlClient);
    opened.pnl = await buildPnlService({ redis: pnlClient, closeRedis: false, ...(pnlStream ? { durable: { stream: pnlStream, group: 'pnl-service', consumer: run } } : {}) });
    const address = await opened.pnl.listen({ port, host });
    const orchestratorStream = streamOf(orchestratorClient);
    const orchestrator = await Orchestrator.start({
      redis: orchestratorClient,
      signalServiceUrl,
      gatewayUrl,
      marketData,
      capital: 1_000_000,
      ...(orchestratorStream ? { durable: { stream: orchestratorStream, group: 'orchestrator', consumer: run } } : {}),
    });
    opened.orchestrator = orchestrator;
    print(`Redis: ${kind === 'real' ? `real server (REDIS_URL), streams and features under ${run}*, quotes at price:{symbol}` : 'embedded in-memory server (set REDIS_URL to use a real one)'}`);
    print(`Trading ${DEMO_SYMBOLS.join(', ')} from ${days[0] ?? '?'} (synthetic data), one day every ${dayMs / 1000} s, ${ratePerSymbol} quotes/s per symbol`);
    let n = 1;
    const trade = async (date: string): Promise<void> => {
      const report = await orchestrator.runDay(DEMO_SYMBOLS, date);
      print(dayLine(n++, report, opened.pnl));
    };
    // The first day is traded at once, at its closes, so the dashboard has positions from the start.
    await trade(days[0] as string);
    await opened.quotes.write(closingQuotes(marketData, DEMO_SYMBOLS, days[0] as string));
    print(`Dashboard: ${address}/  (Ctrl-C stops)`);
    opened.feed = startFeed({
      redis: feedClient,
      marketData,
      symbols: DEMO_SYMBOLS,
      days: days.slice(1),
      ratePerSymbol,
      dayMs,
      onClose: (date) => {
        // A failed day is reported and the run goes on: the next day trades from the positions held.
        opened.trading = trade(date).catch((err: unknown) => void print(`Day ${date} failed: ${err instanceof Error ? err.message : String(err)}`));
        return opened.trading;
      },
    });
    const replayed = opened.feed.done.then(
      () => void (opened.stopping || print('Every trading day of the data has been replayed; the dashboard stays up until Ctrl-C.')),
      (err: unknown) => print(`The feed stopped: ${err instanceof Error ? err.message : String(err)}`),
    );
    return { redis: kind, url: `${address}/`, replayed, stop: () => shutDown(opened) };
  } catch (err) {
    await shutDown(opened).catch(() => undefined);
    throw err;
  }
}
