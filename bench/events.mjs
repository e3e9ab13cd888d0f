/**
 * EventPublisher vs raw node-redis PUBLISH throughput, each side doing what a service does for
 * one event:
 *
 * - "fresh event" (the row the 0.85 target is judged on): the SDK side builds a new SignalEvent
 *   from a camelCase init (which fills in a timestamp and a UUID and validates the event) and
 *   publishes it through EventPublisher; the raw side builds the same snake_case object with a
 *   fresh timestamp (`new Date().toISOString()`) and `randomUUID()`, `JSON.stringify`s it and
 *   PUBLISHes it with node-redis.
 * - "prebuilt event" (the publish path alone): the SDK publishes one already-constructed event,
 *   the raw side one prebuilt JSON string.
 *
 * All cases run in one process against one throw-away redis-server, in many short rounds with a
 * rotating order, sequentially (one await at a time) and with a fixed number in flight. Ratios
 * are the median of per-round ratios (each SDK round against the raw round next to it), which
 * cancels most of the drift of a shared machine. Prints events/s, the ratios, the client
 * process's CPU time per event (raw/SDK: what the throughput ratio tends to when the client's
 * CPU is the bottleneck), then the CPU cost of building one message on each side (no Redis).
 *
 * Imports the BUILT package (`npx tsup` first); BENCH_SDK_ENTRY can point at another build, and
 * BENCH_BASELINE_ENTRY at a second build measured in the same rounds (before/after comparisons).
 * Env: BENCH_EVENTS (per case and round, default 5000), BENCH_ROUNDS (default 15),
 * BENCH_CONCURRENCY (default 64), BENCH_SEQUENTIAL (default 1; 0 skips the sequential mode).
 * BENCH_RAW_COMMAND_TIMEOUT / BENCH_SDK_COMMAND_TIMEOUT: node-redis `commandOptions.timeout` (ms;
 * 0 = none) for the raw client / for a node-redis client the SDK wraps with
 * `RedisClient.fromNodeRedis`; unset, both use node-redis's default (5000 ms, one
 * `AbortSignal.timeout` per command) and the SDK connects with `RedisClient.connect`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL, URL } from 'node:url';
import { createClient } from 'redis';
import { describeMachine, printTable, startServer } from './lib/index.mjs';

/** Imports a built SDK entry, or exits with a message. */
async function loadSdk(entry) {
  if (!existsSync(entry)) {
    process.stderr.write(`${entry.pathname} is missing: run \`npx tsup\` first\n`);
    process.exit(1);
  }
  const mod = await import(entry.href);
  if (!mod.EventPublisher || !mod.SignalEvent || !mod.RedisClient) {
    process.stderr.write(`${entry.pathname} does not export EventPublisher, SignalEvent and RedisClient\n`);
    process.exit(1);
  }
  return mod;
}

const sdkEntries = { SDK: process.env.BENCH_SDK_ENTRY ? pathToFileURL(process.env.BENCH_SDK_ENTRY) : new URL('../dist/index.js', import.meta.url) };
if (process.env.BENCH_BASELINE_ENTRY) sdkEntries.baseline = pathToFileURL(process.env.BENCH_BASELINE_ENTRY);
const sdks = {};
for (const [label, entry] of Object.entries(sdkEntries)) sdks[label] = await loadSdk(entry);

const TARGET = 0.85;
const CHANNEL = 'signals.generated';
const perRound = Number(process.env.BENCH_EVENTS ?? 5_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const sequential = process.env.BENCH_SEQUENTIAL !== '0';

/**
 * Calls `publishOne(i)` for i in [0, count) with `inFlight` awaits at a time; resolves the wall
 * seconds taken and this process's CPU microseconds (user + system) per call.
 */
async function drive(count, inFlight, publishOne) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await publishOne(i);
    }
  };
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuPerCall: (used.user + used.system) / count };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const symbols = ['AAPL', 'MSFT', 'NVDA'];
/** What a service does with the SDK: a camelCase init, validated by the constructor. */
const sdkEvent = (SignalEvent, i) => new SignalEvent({ strategyId: 'bench', symbols, numSignals: i % 100, asOfDate: '2025-01-17' });
/** What a service does without it: the same wire object, timestamp and id, stringified. */
const rawJson = (i) =>
  JSON.stringify({
    event_type: CHANNEL,
    timestamp: new Date().toISOString(),
    strategy_id: 'bench',
    symbols,
    num_signals: i % 100,
    as_of_date: '2025-01-17',
    event_id: randomUUID(),
  });

/** Median ns per message of building it (SDK: construct + toWire; raw: object + stringify). */
function buildCost() {
  const n = 20_000;
  const builders = { raw: rawJson };
  for (const [label, mod] of Object.entries(sdks)) builders[label] = (i) => sdkEvent(mod.SignalEvent, i).toWire();
  const names = Object.keys(builders);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  let sink = 0;
  for (let round = 0; round < 2 * rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const build = builders[name];
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i++) sink += build(i).length;
      const used = process.cpuUsage(cpu);
      samples[name].push(((used.user + used.system) * 1000) / n);
    }
  }
  if (sink === 0) process.stdout.write('\n');
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

const server = await startServer();
/** node-redis options with `commandOptions.timeout` from `variable`, if set. */
const nodeRedisOptions = (variable) =>
  process.env[variable] === undefined ? { url: server.url } : { url: server.url, commandOptions: { timeout: Number(process.env[variable]) } };
const raw = createClient(nodeRedisOptions('BENCH_RAW_COMMAND_TIMEOUT'));
raw.on('error', () => undefined);
await raw.connect();
/** The SDK's client: its own connection, or a wrapped node-redis client with the given timeout. */
async function sdkClient(mod) {
  if (process.env.BENCH_SDK_COMMAND_TIMEOUT === undefined) return mod.RedisClient.connect({ url: server.url });
  const inner = createClient(nodeRedisOptions('BENCH_SDK_COMMAND_TIMEOUT'));
  inner.on('error', () => undefined);
  await inner.connect();
  return mod.RedisClient.fromNodeRedis(inner);
}
// A listener-free server keeps every side at 0 receivers, so only the client paths are compared.
const prebuiltJson = rawJson(1);
const publishers = [];
const cases = {
  raw: (i) => raw.publish(CHANNEL, rawJson(i)),
  'raw prebuilt': () => raw.publish(CHANNEL, prebuiltJson),
};
for (const [label, mod] of Object.entries(sdks)) {
  const client = await sdkClient(mod);
  const publisher = new mod.EventPublisher(client);
  publishers.push({ label, client, publisher });
  const prebuilt = sdkEvent(mod.SignalEvent, 1);
  cases[label] = (i) => publisher.publish(CHANNEL, sdkEvent(mod.SignalEvent, i));
  cases[`${label} prebuilt`] = () => publisher.publish(CHANNEL, prebuilt);
}

try {
  const modes = sequential ? { sequential: 1, [`${concurrency} in flight`]: concurrency } : { [`${concurrency} in flight`]: concurrency };
  // Warm up every path (JIT, connection buffers).
  for (const run of Object.values(cases)) await drive(Math.min(perRound, 5000), concurrency, run);

  const names = Object.keys(cases);
  const results = {};
  for (const [mode, inFlight] of Object.entries(modes)) {
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        const { seconds, cpuPerCall } = await drive(perRound, inFlight, cases[name]);
        samples[name].push({ rate: perRound / seconds, cpu: cpuPerCall });
      }
    }
    results[mode] = samples;
  }
  const cost = buildCost();

  const m = describeMachine();
  process.stdout.write(`events bench: ${rounds} interleaved rounds x ${perRound} events per case; node ${m.node}; ${m.redis}; ${m.cpu} (${m.cores} cores)\n`);
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  const rows = [];
  /** One table row: `sdk` against `rawName`, ratios as medians of per-round ratios. */
  const row = (mode, samples, label, rawName, sdkName, judged) => {
    const r = samples[rawName];
    const s = samples[sdkName];
    const ratio = median(s.map((x, i) => x.rate / r[i].rate));
    rows.push([
      mode,
      label,
      fmt(median(r.map((x) => x.rate))),
      fmt(median(s.map((x) => x.rate))),
      ratio.toFixed(2),
      judged ? (ratio >= TARGET ? 'ok' : `below ${TARGET}`) : '',
      median(r.map((x) => x.cpu)).toFixed(1),
      median(s.map((x) => x.cpu)).toFixed(1),
      median(s.map((x, i) => r[i].cpu / x.cpu)).toFixed(2),
    ]);
  };
  for (const [mode, samples] of Object.entries(results)) {
    for (const label of Object.keys(sdks)) {
      row(mode, samples, `${label}: fresh event (target)`, 'raw', label, true);
      row(mode, samples, `${label}: prebuilt event`, 'raw prebuilt', `${label} prebuilt`, false);
    }
  }
  printTable(
    ['mode', 'case', 'raw events/s', 'SDK events/s', 'ratio', `target >= ${TARGET}`, 'raw CPU µs/ev', 'SDK CPU µs/ev', 'CPU ratio'],
    rows,
  );
  const built = Object.keys(sdks).map((label) => `${label} ${(cost[label] / 1000).toFixed(2)} µs`);
  process.stdout.write(
    `build one message, CPU (no Redis): raw ${(cost.raw / 1000).toFixed(2)} µs (object + JSON.stringify); ` +
      `${built.join(', ')} (construct + validate + toWire)\n`,
  );
  for (const { label, publisher } of publishers) {
    const stats = publisher.stats();
    if (stats.failed > 0) process.stdout.write(`warning: ${label}: ${stats.failed} publishes failed\n`);
  }
} finally {
  for (const { publisher, client } of publishers) {
    await publisher.close();
    await client.close();
  }
  raw.destroy();
  await server.stop();
}
