/**
 * EventPublisher vs raw node-redis PUBLISH throughput, each side doing what a service does for
 * one event:
 *
 * - "fresh" (the row the 0.85 target is judged on): the SDK side builds a new SignalEvent from
 *   a camelCase init (which fills in a timestamp and a UUID and validates the event) and
 *   publishes it through EventPublisher; the raw side builds the same snake_case object with a
 *   fresh timestamp (`new Date().toISOString()`) and `randomUUID()`, `JSON.stringify`s it and
 *   PUBLISHes it with node-redis.
 * - "prebuilt" (the publish path alone): the SDK publishes one already-constructed event, the
 *   raw side one prebuilt JSON string.
 *
 * All cases run in the same process against one throw-away redis-server, in interleaved rounds
 * with a rotating order, sequentially (one await at a time) and with a fixed number in flight.
 * Prints median events/s per case and the SDK/raw ratios, the client process's CPU time per
 * event on each side (raw/SDK: what the throughput ratio tends to when the client's CPU is the
 * bottleneck; far less sensitive to other load on a shared machine than events/s), then the CPU
 * cost of building one message on each side (no Redis involved).
 *
 * Imports the BUILT package (`npx tsup` first); BENCH_SDK_ENTRY can point at another build.
 * Env: BENCH_EVENTS (per case and round, default 20000), BENCH_ROUNDS (default 8),
 * BENCH_CONCURRENCY (default 64), BENCH_SEQUENTIAL (default 1; 0 skips the sequential mode).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL, URL } from 'node:url';
import { createClient } from 'redis';
import { describeMachine, printTable, startServer } from './lib/index.mjs';

const entry = process.env.BENCH_SDK_ENTRY ? pathToFileURL(process.env.BENCH_SDK_ENTRY) : new URL('../dist/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('bench/events.mjs needs the built package: run `npx tsup` first\n');
  process.exit(1);
}
const sdkModule = await import(entry.href);
const { EventPublisher, RedisClient, SignalEvent } = sdkModule;
if (!EventPublisher || !SignalEvent) {
  process.stderr.write(`${entry.pathname} does not export EventPublisher and SignalEvent\n`);
  process.exit(1);
}

const TARGET = 0.85;
const CHANNEL = 'signals.generated';
const perRound = Number(process.env.BENCH_EVENTS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
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
const sdkEvent = (i) => new SignalEvent({ strategyId: 'bench', symbols, numSignals: i % 100, asOfDate: '2025-01-17' });
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
  const samples = { sdk: [], raw: [] };
  let sink = 0;
  const builders = { sdk: (i) => sdkEvent(i).toWire(), raw: rawJson };
  for (let round = 0; round < 2 * rounds; round++) {
    for (const name of round % 2 === 0 ? ['sdk', 'raw'] : ['raw', 'sdk']) {
      const build = builders[name];
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) sink += build(i).length;
      samples[name].push(Number(process.hrtime.bigint() - start) / n);
    }
  }
  if (sink === 0) process.stdout.write('\n');
  return { sdk: median(samples.sdk), raw: median(samples.raw) };
}

const server = await startServer();
const client = await RedisClient.connect({ url: server.url });
const raw = createClient({ url: server.url });
raw.on('error', () => undefined);
await raw.connect();
// A listener-free server keeps both sides at 0 receivers, so only the client paths are compared.
const publisher = new EventPublisher(client);
const prebuiltEvent = sdkEvent(1);
const prebuiltJson = prebuiltEvent.toWire();

try {
  const cases = {
    sdk: (i) => publisher.publish(CHANNEL, sdkEvent(i)),
    raw: (i) => raw.publish(CHANNEL, rawJson(i)),
    sdkPrebuilt: () => publisher.publish(CHANNEL, prebuiltEvent),
    rawPrebuilt: () => raw.publish(CHANNEL, prebuiltJson),
  };
  const modes = sequential ? { sequential: 1, [`${concurrency} in flight`]: concurrency } : { [`${concurrency} in flight`]: concurrency };
  // Warm up every path (JIT, connection buffers).
  for (const run of Object.values(cases)) await drive(Math.min(perRound, 5000), concurrency, run);

  const results = {};
  for (const [mode, inFlight] of Object.entries(modes)) {
    const names = Object.keys(cases);
    const rates = Object.fromEntries(names.map((name) => [name, []]));
    const cpus = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        const { seconds, cpuPerCall } = await drive(perRound, inFlight, cases[name]);
        rates[name].push(perRound / seconds);
        cpus[name].push(cpuPerCall);
      }
    }
    results[mode] = Object.fromEntries(names.map((name) => [name, { rate: median(rates[name]), cpu: median(cpus[name]) }]));
  }
  const cost = buildCost();

  const m = describeMachine();
  process.stdout.write(`events bench: ${rounds} interleaved rounds x ${perRound} events per case; node ${m.node}; ${m.redis}; ${m.cpu} (${m.cores} cores)\n`);
  const rate = (x) => Math.round(x).toLocaleString('en-US');
  const rows = [];
  const row = (mode, label, rawCase, sdkCase, judged) => {
    const ratio = sdkCase.rate / rawCase.rate;
    rows.push([
      mode,
      label,
      rate(rawCase.rate),
      rate(sdkCase.rate),
      ratio.toFixed(2),
      judged ? (ratio >= TARGET ? 'ok' : `below ${TARGET}`) : '',
      rawCase.cpu.toFixed(1),
      sdkCase.cpu.toFixed(1),
      (rawCase.cpu / sdkCase.cpu).toFixed(2),
    ]);
  };
  for (const [mode, r] of Object.entries(results)) {
    row(mode, 'fresh event (target)', r.raw, r.sdk, true);
    row(mode, 'prebuilt event', r.rawPrebuilt, r.sdkPrebuilt, false);
  }
  printTable(
    ['mode', 'case', 'raw events/s', 'EventPublisher events/s', 'ratio', `target >= ${TARGET}`, 'raw CPU µs/ev', 'SDK CPU µs/ev', 'CPU ratio'],
    rows,
  );
  process.stdout.write(
    `build one message (no Redis): SDK ${(cost.sdk / 1000).toFixed(2)} µs (construct + validate + toWire), ` +
      `raw ${(cost.raw / 1000).toFixed(2)} µs (object + JSON.stringify)\n`,
  );
  const stats = publisher.stats();
  if (stats.failed > 0) process.stdout.write(`warning: ${stats.failed} publishes failed\n`);
} finally {
  await publisher.close();
  await client.close();
  raw.destroy();
  await server.stop();
}
