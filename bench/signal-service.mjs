/**
 * The seed's benchmark (issue 14, phase 4): the signal-service example over HTTP with no cache
 * and at 0%, 50%, 80% and 100% feature-cache hit rates, 5 and 50 symbols per request, driven by
 * autocannon's programmatic API. Runs the BUILT example (`npm run build && npm run build:examples`
 * first): `.tmp/examples-build/signal-service.js` in its own process, as `npm run
 * example:signal-service` does, against a throw-away redis-server (`REDIS_ENABLED=false` for the
 * no-cache case), with start-up hydration off so this script alone decides what is cached.
 *
 * Market data: the examples' own SYNTHETIC generator (examples/shared, bundled to
 * `.tmp/bench-signal-service/`) with 150 symbols instead of the committed 20, since a request of
 * 50 symbols needs more than 20: 50 "hot" symbols (H..) and 100 "cold" ones (C..), and the last
 * 300 trading days (each with a full Alpha158 history) as the `as_of_date` of the requests.
 *
 * How the hit rate is held: a request for k symbols at target rate h asks for round(h*k) hot
 * symbols and the rest cold ones, all on one date (for k = 5 at 50%, 3 and 2 hot in turn, so the
 * run as a whole is exactly 50%). Before each case Redis is flushed and exactly the hot
 * (symbol, date) keys the case's requests will ask for are warmed through the service's own
 * endpoint. A cold (symbol, date) key is asked for by one request only in the whole case, so the
 * miss it causes is fresh even though the service caches what it computes; hot keys are read
 * again and again, as cached keys are in production. The hit rate measured from every
 * response's `metadata.cache` counts is printed next to the target.
 *
 * Each case runs at 1 connection (the latency one client sees, comparable with the seed's
 * figures) and at BENCH_CONNECTIONS (default 10; throughput, latency including queueing).
 * Latencies are autocannon's per-response times (sub-millisecond, not its integer histogram).
 *
 * Env: BENCH_REQUESTS_5 (requests per 5-symbol case, default 4000), BENCH_REQUESTS_50 (default
 * 500), BENCH_CONNECTIONS (default 10). `--markdown` prints a section for bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from 'redis';
import { bundleExamples, describeMachine, markdownTable, printTable, startServer, summarize } from './lib/index.mjs';

const root = new URL('..', import.meta.url);
const serviceJs = new URL('.tmp/examples-build/signal-service.js', root);
if (!existsSync(new URL('dist/index.js', root)) || !existsSync(serviceJs)) {
  process.stderr.write('bench/signal-service.mjs needs the built package and examples: run `npm run build && npm run build:examples` first\n');
  process.exit(1);
}

const requestsFor = { 5: Number(process.env.BENCH_REQUESTS_5 ?? 4000), 50: Number(process.env.BENCH_REQUESTS_50 ?? 500) };
const manyConnections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const markdown = process.argv.includes('--markdown');
const PATH = '/api/v1/signals/generate';
const DATES = 300;
const letters = (i) => String.fromCharCode(65 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26));
const HOT = Array.from({ length: 50 }, (_, i) => `H${letters(i)}`);
const COLD = Array.from({ length: 100 }, (_, i) => `C${letters(i)}`);

// The examples' generator, bundled from source (it is not part of the examples build).
const work = await bundleExamples('bench-signal-service', { shared: 'examples/shared/index.ts' });
const shared = await import(pathToFileURL(path.join(work, 'shared.js')).href);
const rows = shared.generateMarketData({ ...shared.DEFAULT_GENERATE_OPTIONS, symbols: [...HOT, ...COLD], days: DATES + shared.ALPHA158_HISTORY + 9 });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'signal-bench-'));
writeFileSync(path.join(dataDir, 'ohlcv.csv'), shared.toCsv(rows));
const dates = [...new Set(rows.map((r) => r.date))].sort().slice(-DATES);

/**
 * The request bodies of one case, in the order they are sent, and the hot keys they read.
 * @returns {{ bodies: string[], hot: Map<string, Set<string>> }} hot symbols per date
 */
function plan(k, rate, count) {
  const bodies = [];
  const hot = new Map();
  const coldCursor = new Map();
  for (let i = 0; i < count; i++) {
    const date = dates[i % dates.length];
    const hits = Math.floor((i + 1) * rate * k + 1e-9) - Math.floor(i * rate * k + 1e-9);
    const symbols = [];
    for (let j = 0; j < hits; j++) {
      const symbol = HOT[(i * 13 + j) % HOT.length];
      symbols.push(symbol);
      if (!hot.has(date)) hot.set(date, new Set());
      hot.get(date).add(symbol);
    }
    const from = coldCursor.get(date) ?? 0;
    if (from + k - hits > COLD.length) throw new Error(`plan: not enough cold symbols for ${count} requests of ${k}`);
    symbols.push(...COLD.slice(from, from + k - hits));
    coldCursor.set(date, from + k - hits);
    bodies.push(JSON.stringify({ symbols, as_of_date: date }));
  }
  return { bodies, hot };
}

/** Starts the built service with `env`; resolves its base URL and a stop function. */
async function startService(env) {
  const child = spawn(process.execPath, [fileURLToPath(serviceJs)], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, FEATURE_HYDRATION_ENABLED: 'false', ...env },
    // Fastify's request log goes to stdout, as in the real service; it is discarded here.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  const url = await new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`signal-service exited (${code}) before listening: ${stderr}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    async stop() {
      process.off('exit', killOnExit);
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Posts one body to the service and checks the answer. */
async function post(url, body) {
  const res = await fetch(`${url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (res.status !== 200) throw new Error(`warm-up request answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * Sends `bodies` (each at most once, in order, shared by all connections) with autocannon.
 * @returns latency samples (ms), requests/s and the summed `metadata.cache` counts
 */
async function load(url, bodies, amount, connections) {
  let next = 0;
  const cache = { hits: 0, misses: 0, joined: 0 };
  const latencies = [];
  const failures = [];
  const instance = autocannon({
    url,
    connections,
    amount,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: PATH,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          if (next >= bodies.length) throw new Error('request plan exhausted');
          return { ...request, body: bodies[next++] };
        },
        onResponse: (status, body) => {
          if (status !== 200) {
            failures.push(`${status} ${body.slice(0, 200)}`);
            return;
          }
          const counts = JSON.parse(body).metadata.cache;
          cache.hits += counts.hits;
          cache.misses += counts.misses;
          cache.joined += counts.joined;
        },
      },
    ],
  });
  // autocannon resolves on its next 1-second tick, so requests/s is timed from here to the last response.
  const start = performance.now();
  let last = start;
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    last = performance.now();
    if (statusCode === 200) latencies.push(responseTime);
  });
  const result = await instance;
  const seconds = (last - start) / 1000;
  if (failures.length > 0 || result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`load failed: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx; ${failures.slice(0, 3).join('; ')}`);
  }
  if (latencies.length !== amount) throw new Error(`expected ${amount} responses, got ${latencies.length}`);
  return { latencies, rps: latencies.length / seconds, cache };
}

const server = await startServer();
const raw = createClient({ url: server.url });
raw.on('error', () => undefined);
await raw.connect();
const results = [];
const connectionsList = [1, manyConnections];

/** Flushes Redis, warms the hot keys of the case, checks exactly they are cached. */
async function warm(url, hot) {
  await raw.flushDb();
  let keys = 0;
  for (const [date, symbols] of hot) {
    await post(url, JSON.stringify({ symbols: [...symbols], as_of_date: date }));
    keys += symbols.size;
  }
  const size = await raw.dbSize();
  if (size !== keys) throw new Error(`warm-up: expected ${keys} cached keys, Redis holds ${size}`);
  return keys;
}

/** JIT warm-up of a fresh service process: untimed load of both request sizes. */
async function warmUpProcess(url) {
  for (const k of [5, 50]) {
    const amount = k === 5 ? 1000 : 150;
    await load(url, plan(k, 0.5, amount + manyConnections + 8).bodies, amount, manyConnections);
  }
}

try {
  const m = describeMachine();
  process.stdout.write(`signal-service over HTTP (autocannon ${(await import('autocannon/package.json', { with: { type: 'json' } })).default.version}): the built example in its own process, fastify request logging on (to /dev/null), a SignalEvent published per request when Redis is on\n`);
  process.stdout.write(`${HOT.length} hot + ${COLD.length} cold SYNTHETIC symbols, ${DATES} as-of dates; hot keys of each case warmed through the service, each cold key requested once per case (fresh misses), hit rate measured from metadata.cache\n`);
  process.stdout.write(`requests per case: ${requestsFor[5]} (5 symbols), ${requestsFor[50]} (50 symbols); connections ${connectionsList.join(' and ')}\n`);
  process.stdout.write(`node ${m.node}; ${m.redis.split(' sha')[0]}; ${m.cpu}; ${m.cores} cores (load generator, service and redis-server share them)\n\n`);

  const cases = [{ label: 'no cache', rate: 0, redis: false }, ...[0, 0.5, 0.8, 1].map((rate) => ({ label: `${rate * 100}%`, rate, redis: true }))];
  for (const redisOn of [false, true]) {
    const service = await startService(redisOn ? { REDIS_URL: server.url } : { REDIS_ENABLED: 'false' });
    try {
      await warmUpProcess(service.url);
      for (const c of cases.filter((x) => x.redis === redisOn)) {
        for (const k of [5, 50]) {
          for (const connections of connectionsList) {
            const amount = requestsFor[k];
            const { bodies, hot } = plan(k, c.rate, amount + connections + 8);
            if (redisOn) await warm(service.url, hot);
            const r = await load(service.url, bodies, amount, connections);
            results.push({ ...c, k, connections, ...r });
            const s = summarize(r.latencies);
            const measured = redisOn ? `${((100 * r.cache.hits) / (r.cache.hits + r.cache.misses + r.cache.joined)).toFixed(1)}%` : '-';
            process.stdout.write(`  ${c.label} k=${k} c=${connections}: p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, ${r.rps.toFixed(0)} req/s, hit rate ${measured}\n`);
          }
        }
      }
    } finally {
      await service.stop();
    }
  }

  const headers = ['symbols', 'cache (target hit rate)', 'measured hit rate', 'c=1 p50', 'c=1 p99', 'c=1 req/s', `c=${manyConnections} p50`, `c=${manyConnections} p99`, `c=${manyConnections} req/s`];
  const rowsOut = [];
  for (const k of [5, 50]) {
    for (const c of cases) {
      const pair = connectionsList.map((n) => results.find((r) => r.label === c.label && r.k === k && r.connections === n));
      const hits = pair.reduce((s, r) => s + r.cache.hits, 0);
      const all = pair.reduce((s, r) => s + r.cache.hits + r.cache.misses + r.cache.joined, 0);
      const joined = pair.reduce((s, r) => s + r.cache.joined, 0);
      const measured = c.redis ? `${((100 * hits) / all).toFixed(1)}%${joined > 0 ? ` (${joined} joined)` : ''}` : '-';
      const cells = pair.flatMap((r) => {
        const s = summarize(r.latencies);
        return [`${s.p50.toFixed(2)} ms`, `${s.p99.toFixed(2)} ms`, r.rps.toFixed(0)];
      });
      rowsOut.push([String(k), c.redis ? `Redis, ${c.label}` : 'none (REDIS_ENABLED=false)', measured, ...cells]);
    }
  }
  process.stdout.write('\n');
  printTable(headers, rowsOut);
  if (markdown) {
    process.stdout.write(`\n${markdownTable(headers, rowsOut)}\n`);
  }
} finally {
  await raw.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
