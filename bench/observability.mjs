/**
 * The cost of observability (issue 14): `FeatureCache.get`, `getMany` of 50 and
 * `EventPublisher.publish` with nobody listening to the SDK's diagnostics channels ("off") and
 * with `registerMetrics()` active ("on": every channel subscribed, counters and histograms fed),
 * next to the raw node-redis baseline (GET + JSON.parse, MGET + JSON.parse, PUBLISH of a prebuilt
 * string). Target: "on" within 5% of "off" (on/off <= 1.05 at p50).
 *
 * One process, one throw-away redis-server, sequential awaits. Each case runs a slice of its
 * iterations in every round, in a rotating order; the metrics are registered before an "on" slice
 * and unregistered before any other, followed by untimed calls (a tenth of the slice) so the JIT
 * settles after the switch, so "off" really has no subscriber. Ratios are the medians of
 * per-round ratios of the "on" slice to the "off" slice of the same round, which cancels most of a
 * shared machine's drift; the target is judged at p50 (the mean ratio, printed too, follows the
 * shared machine's outliers). Also printed: this process's CPU time per call, off and on, and the
 * median per-round ratio of it (the client-side cost of the metrics, free of the network wait). Vectors: the 158-feature AAPL
 * wire fixture with its non-finite values replaced by 0 (so raw JSON.parse reads them too). One
 * scrape at the end checks the metrics saw the work.
 *
 * Imports the BUILT package (`npm run build` first).
 * Env: BENCH_ITERATIONS (get and publish, per case, default 20000), BENCH_MANY_ITERATIONS
 * (getMany, per case, default 4000), BENCH_ROUNDS (default 10), BENCH_WARMUP (per case, default 1000).
 */
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { createClient } from 'redis';
import { Registry } from 'prom-client';
import { describeMachine, printTable, startServer, summarize } from './lib/index.mjs';

const dist = new URL('../dist/index.js', import.meta.url);
const promEntry = new URL('../dist/prometheus.js', import.meta.url);
if (!existsSync(dist) || !existsSync(promEntry)) {
  process.stderr.write('bench/observability.mjs needs the built package: run `npm run build` first\n');
  process.exit(1);
}
const { FeatureCache, RedisClient, EventPublisher, SignalEvent, decodeFeatures } = await import(dist.href);
const { registerMetrics } = await import(promEntry.href);

const TARGET = 1.05;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const manyIterations = Number(process.env.BENCH_MANY_ITERATIONS ?? 4_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 1_000);
const DATE = '2025-01-17';
const CHANNEL = 'signals.generated';

const fixture = readFileSync(new URL('../test/fixtures/wire/features/AAPL-2025-01-17.python-json.txt', import.meta.url));
const decoded = decodeFeatures(fixture);
if (!decoded.ok) throw new Error(`fixture did not decode: ${decoded.reason}`);
const finite = Object.fromEntries(Object.entries(decoded.features).map(([k, v]) => [k, Number.isFinite(v) ? v : 0]));
const vectorFor = (i) => Object.fromEntries(Object.entries(finite).map(([k, v]) => [k, v * (1 + i * 2 ** -20)]));

const server = await startServer();
const client = await RedisClient.connect({ url: server.url });
const raw = createClient({ url: server.url });
raw.on('error', () => undefined);
await raw.connect();
const cache = new FeatureCache(client, { prefix: 'obs', ttlSeconds: 0 });
const publisher = new EventPublisher(client);
const registry = new Registry();
let handle;
const metrics = (on) => {
  if (on && !handle) handle = registerMetrics({ registry });
  if (!on && handle) {
    handle.unregister();
    handle = undefined;
  }
};

const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`);
const keys = symbols.map((s) => cache.key(s, DATE));
const event = new SignalEvent({ strategyId: 'bench', symbols: ['AAPL', 'MSFT'], numSignals: 2, asOfDate: DATE });
const wire = event.toWire();
const parseAll = (values) => values.map((v) => (v === null ? null : JSON.parse(v)));

/** Each group: a raw baseline, the SDK with metrics off and on; `per` iterations per case. */
const groups = [
  {
    name: 'get',
    per: iterations,
    raw: async () => JSON.parse(await raw.get(keys[0])),
    sdk: () => cache.get('S0', DATE),
  },
  {
    name: 'getMany(50)',
    per: manyIterations,
    raw: async () => parseAll(await raw.mGet(keys)),
    sdk: () => cache.getMany(symbols, DATE),
  },
  {
    name: 'publish',
    per: iterations,
    raw: () => raw.publish(CHANNEL, wire),
    sdk: () => publisher.publish(CHANNEL, event),
  },
];
const cases = groups.flatMap((g) => [
  { label: `${g.name} raw`, group: g, on: false, run: g.raw },
  { label: `${g.name} off`, group: g, on: false, run: g.sdk },
  { label: `${g.name} on`, group: g, on: true, run: g.sdk },
]);

/** Times `count` sequential calls; resolves per-call latencies in ms, with `cpu`: this process's CPU µs per call. */
async function slice(run, count) {
  const out = new Array(count);
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run();
    out[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const used = process.cpuUsage(cpu);
  out.cpu = (used.user + used.system) / count;
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

try {
  if (!(await cache.setMany(DATE, symbols.map((s, i) => [s, vectorFor(i)])))) throw new Error('setMany failed');
  const got = await cache.getMany(symbols, DATE);
  if ([...got.values()].some((v) => v === null)) throw new Error('a vector was not read back');

  for (const c of cases) {
    metrics(c.on);
    await slice(c.run, warmup);
  }
  /** label -> per-round latency arrays */
  const samples = new Map(cases.map((c) => [c.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(round + k) % cases.length];
      const count = Math.max(1, Math.floor(c.group.per / rounds));
      metrics(c.on);
      await slice(c.run, Math.ceil(count / 10));
      samples.get(c.label).push(await slice(c.run, count));
    }
  }
  // One scrape: the "on" slices must have been seen.
  metrics(true);
  await cache.get('S0', DATE);
  const text = await registry.metrics();
  if (!/trading_platform_cache_requests_total\{tier="redis",outcome="hit"\} [1-9]/.test(text)) throw new Error('metrics did not count the reads');
  metrics(false);

  const m = describeMachine();
  process.stdout.write(
    `observability bench: ${rounds} interleaved rounds; get/publish ${iterations}, getMany(50) ${manyIterations} calls per case; ` +
      `158-feature JSON vectors; node ${m.node}; ${m.redis}; ${m.cpu} (${m.cores} cores)\n`,
  );
  const fmt = (ms) => `${(ms * 1000).toFixed(1)} µs`;
  const rows = [];
  for (const g of groups) {
    const rawRounds = samples.get(`${g.name} raw`);
    const offRounds = samples.get(`${g.name} off`);
    const onRounds = samples.get(`${g.name} on`);
    const all = (rs) => summarize(rs.flat());
    const [r, off, on] = [all(rawRounds), all(offRounds), all(onRounds)];
    const meanRatio = median(onRounds.map((xs, i) => mean(xs) / mean(offRounds[i])));
    const p50Ratio = median(onRounds.map((xs, i) => summarize(xs).p50 / summarize(offRounds[i]).p50));
    const offVsRaw = median(offRounds.map((xs, i) => mean(xs) / mean(rawRounds[i])));
    const cpuRatio = median(onRounds.map((xs, i) => xs.cpu / offRounds[i].cpu));
    const cpu = (rs) => median(rs.map((xs) => xs.cpu));
    rows.push([
      g.name,
      fmt(r.mean),
      fmt(off.mean),
      fmt(on.mean),
      fmt(off.p50),
      fmt(on.p50),
      meanRatio.toFixed(3),
      p50Ratio.toFixed(3),
      p50Ratio <= TARGET ? 'ok' : `above ${TARGET}`,
      `${cpu(offRounds).toFixed(1)} / ${cpu(onRounds).toFixed(1)}`,
      cpuRatio.toFixed(3),
      offVsRaw.toFixed(2),
    ]);
  }
  printTable(
    ['case', 'raw mean', 'off mean', 'on mean', 'off p50', 'on p50', 'on/off mean', 'on/off p50', `p50 target <= ${TARGET}`, 'CPU µs/call off / on', 'CPU on/off', 'off/raw mean'],
    rows,
  );
} finally {
  metrics(false);
  await publisher.close();
  await client.close();
  raw.destroy();
  await server.stop();
}
