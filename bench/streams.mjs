/**
 * EventStream vs raw node-redis on Redis Streams, same payloads, same run, against a throw-away
 * redis-server. Imports the BUILT package (`npx tsup` first; BENCH_SDK_ENTRY may point at another
 * build of it). Two measurements, each in alternating rounds so drift hits both sides alike:
 *
 * - append: events/s of `stream.append(event)` vs `XADD key MAXLEN ~ n * event <json> event_type
 *   <type> event_id <id>`, with a fixed number of appends in flight.
 * - consume: events/s to drain a pre-filled stream with one consumer, every entry acknowledged:
 *   `stream.consume(...)` (decoded into typed, validated events) vs a raw XREADGROUP COUNT n +
 *   XACK-per-batch loop that JSON.parses each payload.
 *
 * Prints throughput and the SDK/raw ratio (target >= 0.8).
 * Throughput is total events over total time per side; sides alternate in every round.
 * Env: BENCH_STREAM_EVENTS (appends per round and side, default 5000), BENCH_STREAM_ROUNDS (default 10),
 * BENCH_STREAM_CONSUME_EVENTS (per consume round, default 20000), BENCH_STREAM_CONSUME_ROUNDS (default 4),
 * BENCH_STREAM_CONCURRENCY (appends in flight, default 64), BENCH_STREAM_BATCH (default 100).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { URL, pathToFileURL } from 'node:url';
import { createClient } from 'redis';
import { describeMachine, printTable, startServer } from './lib/index.mjs';

const dist = process.env.BENCH_SDK_ENTRY ? pathToFileURL(process.env.BENCH_SDK_ENTRY) : new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  process.stderr.write('bench/streams.mjs needs the built package: run `npx tsup` first\n');
  process.exit(1);
}
const { CHANNELS, EventStream, OrderEvent, RedisClient } = await import(dist.href);

const TARGET = 0.8;
const N = Number(process.env.BENCH_STREAM_EVENTS ?? 5000);
const ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 10);
// Consume rounds are longer so that starting a consumer (connection, group) is amortised.
const CONSUME_N = Number(process.env.BENCH_STREAM_CONSUME_EVENTS ?? 20_000);
const CONSUME_ROUNDS = Number(process.env.BENCH_STREAM_CONSUME_ROUNDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_STREAM_CONCURRENCY ?? 64);
const BATCH = Number(process.env.BENCH_STREAM_BATCH ?? 100);
const MAX_LEN = 1_000_000;

const makeEvents = (n) =>
  Array.from({ length: n }, (_, i) => new OrderEvent({ runId: randomUUID(), strategyId: `bench-${i}`, numOrders: 10, numAccepted: 9, numRejected: 1 }));
const rawFields = (e) => ({ event: e.toWire(), event_type: e.eventType, event_id: e.eventId });

/** Runs `one(i)` for i in [0, n) with `CONCURRENCY` in flight; resolves elapsed seconds. */
async function timedPool(n, one) {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < n) await one(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (performance.now() - start) / 1000;
}

async function fill(raw, key, events) {
  for (let i = 0; i < events.length; i += 1000) {
    await Promise.all(events.slice(i, i + 1000).map((e) => raw.xAdd(key, '*', rawFields(e))));
  }
}

async function sdkConsume(stream, round, n) {
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  let count = 0;
  const start = performance.now();
  const consumer = stream.consume({
    channels: [CHANNELS.ORDERS],
    group: `sdk-${round}`,
    consumer: 'c1',
    maxBatchEntries: BATCH,
    blockMs: 1000,
    handler: () => {
      if (++count === n) done();
    },
  });
  await finished;
  await consumer.stop();
  const seconds = (performance.now() - start) / 1000;
  if (consumer.stats().acked !== n) throw new Error(`sdk consumer acked ${consumer.stats().acked} of ${n}`);
  return seconds;
}

async function rawConsume(raw, key, round, n) {
  const start = performance.now();
  const reader = raw.duplicate();
  reader.on('error', () => undefined);
  await reader.connect();
  const group = `raw-${round}`;
  await raw.xGroupCreate(key, group, '0', { MKSTREAM: true });
  let count = 0;
  let acked = 0;
  while (count < n) {
    const reply = await reader.xReadGroup(group, 'c1', [{ key, id: '>' }], { COUNT: BATCH, BLOCK: 1000 });
    for (const { messages } of reply ?? []) {
      const ids = [];
      for (const m of messages) {
        JSON.parse(m.message.event);
        ids.push(m.id);
        count++;
      }
      acked += await raw.xAck(key, group, ids);
    }
  }
  await reader.close();
  const seconds = (performance.now() - start) / 1000;
  if (acked !== n) throw new Error(`raw consumer acked ${acked} of ${n}`);
  return seconds;
}

const server = await startServer();
const sdkClient = await RedisClient.connect({ url: server.url });
const raw = createClient({ url: server.url });
raw.on('error', () => undefined);
await raw.connect();
const TRIM = { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: MAX_LEN } };
try {
  const m = describeMachine();
  process.stdout.write(`streams: append ${ROUNDS} x ${N}, consume ${CONSUME_ROUNDS} x ${CONSUME_N} events per side; ${CONCURRENCY} appends in flight, batch ${BATCH}\n`);
  process.stdout.write(`node ${m.node}; ${m.redis.split(' sha')[0]}; ${m.cpu}; ${m.cores} cores; load ${os.loadavg()[0].toFixed(1)}\n\n`);

  const appendStream = new EventStream(sdkClient, { keyPrefix: 'bench:append:', maxEntries: MAX_LEN });
  const appendKey = 'bench:raw-append';
  const sides = {
    sdk: (events) => timedPool(events.length, (i) => appendStream.append(events[i])),
    raw: (events) => timedPool(events.length, (i) => raw.xAdd(appendKey, '*', rawFields(events[i]), TRIM)),
  };
  // Warm-up of both paths (JIT, connection buffers), not timed.
  for (const run of Object.values(sides)) await run(makeEvents(2000));

  const totals = { append: { sdk: 0, raw: 0 }, consume: { sdk: 0, raw: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['sdk', 'raw'] : ['raw', 'sdk'];
    for (const side of order) totals.append[side] += await sides[side](makeEvents(N));
  }

  for (let round = -1; round < CONSUME_ROUNDS; round++) {
    // Both sides drain the same stream (same payloads), each with its own group; round -1 warms up.
    const stream = new EventStream(sdkClient, { keyPrefix: `bench:consume${round}:`, maxEntries: MAX_LEN });
    const key = stream.streamKey(CHANNELS.ORDERS);
    const n = round < 0 ? 2000 : CONSUME_N;
    await fill(raw, key, makeEvents(n));
    const order = round % 2 === 0 ? ['sdk', 'raw'] : ['raw', 'sdk'];
    for (const side of order) {
      const seconds = side === 'sdk' ? await sdkConsume(stream, round, n) : await rawConsume(raw, key, round, n);
      if (round >= 0) totals.consume[side] += seconds;
    }
    await raw.del(key);
  }

  const rows = [];
  let worst = Infinity;
  for (const [name, t, events] of [['append', totals.append, ROUNDS * N], ['consume+ack', totals.consume, CONSUME_ROUNDS * CONSUME_N]]) {
    const s = events / t.sdk;
    const b = events / t.raw;
    const ratio = s / b;
    worst = Math.min(worst, ratio);
    rows.push([name, `${Math.round(s)}`, `${Math.round(b)}`, ratio.toFixed(3), ratio >= TARGET ? 'ok' : 'UNDER']);
  }
  printTable(['op', 'sdk events/s', 'raw events/s', 'sdk/raw', `>= ${TARGET}`], rows);
  process.stdout.write(`\nworst ratio ${worst.toFixed(3)} (target >= ${TARGET}); totals per side: append ${ROUNDS * N}, consume ${CONSUME_ROUNDS * CONSUME_N}\n`);
} finally {
  await sdkClient.close();
  await raw.close();
  await server.stop();
}
