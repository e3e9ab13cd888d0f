/**
 * EventPublisher vs raw node-redis PUBLISH throughput. The SDK side constructs and validates a
 * new SignalEvent for every publish (as a signal service would) and publishes it through
 * EventPublisher; the raw side publishes the same JSON text with node-redis. Both run in the
 * same process against one throw-away redis-server, in interleaved rounds, sequentially (one
 * await at a time) and with a fixed number in flight. Prints events/s and the SDK/raw ratio
 * (target >= 0.85).
 *
 * Imports the BUILT package (`npx tsup` first); BENCH_SDK_ENTRY can point at another build.
 * Env: BENCH_EVENTS (per case and round, default 20000), BENCH_ROUNDS (default 8),
 * BENCH_CONCURRENCY (default 64).
 */
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
const perRound = Number(process.env.BENCH_EVENTS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);

/** Calls `publishOne(i)` for i in [0, count) with `inFlight` awaits at a time; resolves seconds taken. */
async function drive(count, inFlight, publishOne) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await publishOne(i);
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const client = await RedisClient.connect({ url: server.url });
const raw = createClient({ url: server.url });
raw.on('error', () => undefined);
await raw.connect();
// Publishing on a channel of the platform is what the SDK allows; a listener-free server keeps
// both sides at 0 receivers, so only the client paths are compared.
const publisher = new EventPublisher(client);
const symbols = ['AAPL', 'MSFT', 'NVDA'];
const makeEvent = (i) => new SignalEvent({ strategyId: 'bench', symbols, numSignals: i % 100, asOfDate: '2025-01-17' });
const prebuilt = makeEvent(1);
const rawJson = prebuilt.toWire();

try {
  const cases = {
    sdk: (i) => publisher.publish('signals.generated', makeEvent(i)),
    raw: () => raw.publish('signals.generated', rawJson),
    // The publish path alone: one event built once, so construction and validation are excluded.
    prebuilt: () => publisher.publish('signals.generated', prebuilt),
  };
  const modes = { sequential: 1, [`${concurrency} in flight`]: concurrency };
  // Warm up both paths (JIT, connection buffers).
  for (const run of Object.values(cases)) await drive(Math.min(perRound, 5000), concurrency, run);

  const results = {};
  for (const [mode, inFlight] of Object.entries(modes)) {
    const names = Object.keys(cases);
    const rates = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        rates[name].push(perRound / (await drive(perRound, inFlight, cases[name])));
      }
    }
    results[mode] = Object.fromEntries(names.map((name) => [name, median(rates[name])]));
  }

  const m = describeMachine();
  process.stdout.write(`events bench: ${rounds} interleaved rounds x ${perRound} events per case; node ${m.node}; ${m.redis}; ${m.cpu} (${m.cores} cores)\n`);
  const rows = Object.entries(results).map(([mode, r]) => [
    mode,
    Math.round(r.raw).toLocaleString('en-US'),
    Math.round(r.sdk).toLocaleString('en-US'),
    (r.sdk / r.raw).toFixed(2),
    r.sdk / r.raw >= TARGET ? 'ok' : `below ${TARGET}`,
    Math.round(r.prebuilt).toLocaleString('en-US'),
    (r.prebuilt / r.raw).toFixed(2),
  ]);
  printTable(
    ['mode', 'raw events/s', 'EventPublisher events/s', 'ratio', `target >= ${TARGET}`, 'prebuilt event/s', 'prebuilt ratio'],
    rows,
  );
  const stats = publisher.stats();
  if (stats.failed > 0) process.stdout.write(`warning: ${stats.failed} publishes failed\n`);
} finally {
  await publisher.close();
  await client.close();
  raw.destroy();
  await server.stop();
}
