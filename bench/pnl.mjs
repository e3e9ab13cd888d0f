/**
 * The P&L service under the issue-15 load: the market-data feed at 1,000 price updates a second
 * over 500 symbols, every symbol an open position, 10 SSE clients on `GET /api/v1/pnl/stream`.
 *
 * - Latency: for every position row of every SSE `update` message a client receives, the time
 *   from the quote's own timestamp (taken by the feed in the tick that PUBLISHes it on
 *   `price.updated.{symbol}`) to the message's arrival; the service reports that timestamp as
 *   `last_price_update`. It includes the service's coalescing and its throttle (at most 10
 *   messages a second per client, so up to 100 ms of waiting by design). p50/p99 over all rows.
 * - CPU of the service per 1,000 updates: `process.cpuUsage()` of the service's own process
 *   (bench/lib/pnl-service-child.mjs, forked), over the measured window, divided by the quotes sent.
 * - Memory: the service's RSS and heap, sampled every 10 s, and after a full GC at the start and
 *   the end of the window; the slope of each (least squares, MB/min) says whether it grows.
 *
 * The service, the feed and the SSE clients run on one machine: the feed and the clients in this
 * process, the service in its own, redis-server in a third (a throw-away one on a free port).
 * Runs the SDK's `dist/` (run `npm run build` first); the examples are bundled from source into
 * `.tmp/bench-pnl/`.
 *
 * Options: `--seconds=N` measured window (default 60), `--minutes=N` the same in minutes (the
 * 10-minute memory run: `--minutes=10`), `--warmup=N` seconds before measuring (default 10),
 * `--markdown`. Env: BENCH_SYMBOLS (500), BENCH_RATE (total updates a second, 1000), BENCH_CLIENTS (10).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EventPublisher, EventStream, RedisClient } from '@trading-platform/redis-client';
import { bundleExamples, describeMachine, markdownTable, printTable, summarize, percentile, startServer } from './lib/index.mjs';

const root = new URL('..', import.meta.url);
if (!existsSync(new URL('dist/index.js', root))) {
  process.stderr.write('bench/pnl.mjs needs the built package: run `npm run build` first\n');
  process.exit(1);
}
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const seconds = arg('minutes') !== undefined ? Number(arg('minutes')) * 60 : Number(arg('seconds') ?? 60);
const warmupSeconds = Number(arg('warmup') ?? 10);
const markdown = process.argv.includes('--markdown');
const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 500);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
const SAMPLE_EVERY_MS = 10_000;
const STREAM_PREFIX = 'bench-pnl:stream:';
for (const [name, value] of Object.entries({ seconds, warmupSeconds, SYMBOLS, RATE, CLIENTS })) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a number > 0, got ${value}`);
}

// The examples, bundled from source: the service's factory, the feed and the shared market data.
const bundle = await bundleExamples('bench-pnl', {
  'pnl-app': 'examples/pnl-service/src/app.ts',
  feed: 'examples/market-data-feed/src/feed.ts',
  shared: 'examples/shared/index.ts',
});
const { startFeed } = await import(pathToFileURL(`${bundle}feed.js`).href);
const shared = await import(pathToFileURL(`${bundle}shared.js`).href);

const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
const marketData = shared.MarketData.fromRows(shared.generateMarketData({ ...shared.DEFAULT_GENERATE_OPTIONS, symbols, days: 5 }));
const firstDay = marketData.tradingDays()[0];

/** The forked service: `request(message)` resolves its answer. */
async function startService(url) {
  const child = fork(fileURLToPath(new URL('lib/pnl-service-child.mjs', import.meta.url)), [bundle, url, STREAM_PREFIX], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const waiting = new Map();
  let next = 0;
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the P&L service exited (${code}) before it was ready`)));
    child.on('message', (message) => {
      if (message.type === 'ready') resolve(message.url);
      else waiting.get(message.id ?? message.type)?.(message);
    });
  });
  const serviceUrl = await ready;
  const ask = (message) =>
    new Promise((resolve) => {
      const id = message.type === 'stop' ? 'stopped' : next++;
      waiting.set(id, resolve);
      child.send({ ...message, id });
    });
  return {
    url: serviceUrl,
    usage: (gc = false) => ask({ type: 'usage', gc }),
    async stop() {
      await ask({ type: 'stop' });
      process.off('exit', killOnExit);
    },
  };
}

/** An SSE client of the service: calls `onUpdate(message, receivedAtMs)` per `update`, counts snapshots. */
function openStream(url, onUpdate) {
  const counts = { snapshots: 0, updates: 0 };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/pnl/stream`, { headers: { accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const receivedAt = Date.now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'snapshot') counts.snapshots += 1;
          else if (event === 'update' && data !== undefined) {
            counts.updates += 1;
            onUpdate(JSON.parse(data), receivedAt);
          }
        }
      });
      res.on('error', () => undefined);
      resolve({ counts, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/** Least-squares slope of `points` ({ t: ms, y }) in y per minute. */
function slopePerMinute(points) {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return (num / den) * 60_000;
}

const mb = (bytes) => bytes / 1024 / 1024;
const server = await startServer();
const service = await startService(server.url);
const client = await RedisClient.connect({ url: server.url });
const feedClient = await RedisClient.connect({ url: server.url });

// Every symbol an open position: one buy each, through the durable stream (and pub/sub) as the gateway sends them.
const publisher = new EventPublisher(client, { stream: new EventStream(client, { keyPrefix: STREAM_PREFIX }) });
await Promise.all(symbols.map((symbol) => publisher.publishPositionEvent({ symbol, action: 'buy', qtyChange: 100, newQty: 100, price: marketData.closeOn(symbol, firstDay).toFixed(2), strategyId: 'bench' })));
for (let held = 0; held < SYMBOLS; await delay(100)) {
  held = (await getJson(`${service.url}/api/v1/positions/pnl/realtime`)).total_positions;
}

let measuring = false;
const latencies = [];
const streams = await Promise.all(
  Array.from({ length: CLIENTS }, () =>
    openStream(service.url, (update, receivedAt) => {
      if (!measuring) return;
      for (const row of update.positions) if (row.last_price_update !== null) latencies.push(receivedAt - Date.parse(row.last_price_update));
    }),
  ),
);

const feed = startFeed({ redis: feedClient, marketData, symbols, ratePerSymbol: RATE / SYMBOLS, dayMs: 60_000, loop: true });
process.stdout.write(`P&L service bench: ${SYMBOLS} symbols held, feed at ${RATE}/s, ${CLIENTS} SSE clients; warm-up ${warmupSeconds} s, measuring ${seconds} s\n`);
await delay(warmupSeconds * 1000);

const startFeedStats = feed.stats();
const startUsage = await service.usage(true);
const startCounts = streams.map((s) => ({ ...s.counts }));
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const benchCpu0 = process.cpuUsage();
const load0 = os.loadavg()[0];
const t0 = Date.now();
measuring = true;
const memory = [{ t: 0, rss: startUsage.memory.rss, heap: startUsage.memory.heapUsed }];
while (Date.now() - t0 < seconds * 1000) {
  await delay(Math.min(SAMPLE_EVERY_MS, seconds * 1000 - (Date.now() - t0)));
  const u = await service.usage(false);
  memory.push({ t: Date.now() - t0, rss: u.memory.rss, heap: u.memory.heapUsed });
}
measuring = false;
const elapsedMs = Date.now() - t0;
const endUsage = await service.usage(true);
const endFeedStats = feed.stats();
loopDelay.disable();
const benchCpu = process.cpuUsage(benchCpu0);
const load1 = os.loadavg()[0];

await feed.stop();
for (const s of streams) s.close();
await publisher.close();
await Promise.all([client.close(), feedClient.close()]);
await service.stop();
await server.stop();

const quotes = endFeedStats.quotes - startFeedStats.quotes;
const cpuMs = (endUsage.cpu.user + endUsage.cpu.system - startUsage.cpu.user - startUsage.cpu.system) / 1000;
const lat = summarize(latencies);
const sortedLat = [...latencies].sort((a, b) => a - b);
const updatesPerClient = streams.map((s, i) => (s.counts.updates - startCounts[i].updates) / (elapsedMs / 1000));
const resets = streams.reduce((n, s, i) => n + s.counts.snapshots - startCounts[i].snapshots, 0);
const machine = describeMachine();

const rows = [
  ['feed: updates sent / s (asked)', `${(quotes / (elapsedMs / 1000)).toFixed(0)} (${RATE})`],
  ['feed: steps skipped (late ticks)', String(endFeedStats.skipped - startFeedStats.skipped)],
  ['latency PUBLISH -> SSE message, p50', `${lat.p50.toFixed(1)} ms`],
  ['latency p90', `${percentile(sortedLat, 90).toFixed(1)} ms`],
  ['latency p99 (target < 150 ms)', `${lat.p99.toFixed(1)} ms`],
  ['latency max', `${(sortedLat.at(-1) ?? Number.NaN).toFixed(1)} ms`],
  ['rows measured', String(lat.n)],
  ['SSE updates / s per client (min-max)', `${Math.min(...updatesPerClient).toFixed(1)}-${Math.max(...updatesPerClient).toFixed(1)}`],
  ['SSE updates dropped / snapshots resent', `${endUsage.sse.dropped - startUsage.sse.dropped} / ${resets}`],
  ['this process (feed + clients): CPU, event-loop delay p99', `${(((benchCpu.user + benchCpu.system) / 1000 / elapsedMs) * 100).toFixed(1)} % of a core, ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`],
  ['service CPU per 1,000 updates', `${(cpuMs / (quotes / 1000)).toFixed(1)} ms`],
  ['service CPU, share of one core', `${((cpuMs / elapsedMs) * 100).toFixed(1)} %`],
  ['service RSS start -> end (after GC)', `${mb(startUsage.memory.rss).toFixed(1)} -> ${mb(endUsage.memory.rss).toFixed(1)} MB`],
  ['service heap start -> end (after GC)', `${mb(startUsage.memory.heapUsed).toFixed(1)} -> ${mb(endUsage.memory.heapUsed).toFixed(1)} MB`],
  ['service RSS max of samples', `${mb(Math.max(...memory.map((m) => m.rss))).toFixed(1)} MB`],
  ['RSS / heap slope (samples every 10 s)', `${mb(slopePerMinute(memory.map((m) => ({ t: m.t, y: m.rss })))).toFixed(2)} / ${mb(slopePerMinute(memory.map((m) => ({ t: m.t, y: m.heap })))).toFixed(2)} MB/min`],
];
process.stdout.write(`\nwindow ${(elapsedMs / 1000).toFixed(0)} s, 1-min load average ${load0.toFixed(2)} -> ${load1.toFixed(2)}; node ${machine.node}, ${machine.redis.split(' ').slice(0, 3).join(' ')}, ${machine.cpu} x${machine.cores}\n`);
printTable(['measure', 'value'], rows);
process.stdout.write(`memory samples (s: RSS MB / heap MB): ${memory.map((m) => `${(m.t / 1000).toFixed(0)}: ${mb(m.rss).toFixed(0)}/${mb(m.heap).toFixed(0)}`).join(', ')}\n`);
if (markdown) process.stdout.write(`\n${markdownTable(['measure', 'value'], rows)}\n`);
