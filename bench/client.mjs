/**
 * RedisClient vs raw node-redis latency: get, set, mget (10 keys) and publish, sequential
 * awaits, interleaved rounds against a throw-away redis-server. Imports the BUILT package
 * (`npx tsup` first). Prints p50/p99 per op for both and the SDK/raw ratio at p50 (target <= 1.10).
 *
 * Env: BENCH_ITERATIONS (per op and variant, default 20000), BENCH_ROUNDS (default 10),
 * BENCH_WARMUP (default 2000).
 */
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';
import { createClient } from 'redis';
import { describeMachine, measureInterleaved, micros, printTable, startServer, summarize } from './lib/index.mjs';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  process.stderr.write('bench/client.mjs needs the built package: run `npx tsup` first\n');
  process.exit(1);
}
const { RedisClient } = await import(dist.href);

const TARGET = 1.1;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 2_000);

const server = await startServer();
const sdk = await RedisClient.connect({ url: server.url });
const raw = createClient({ url: server.url });
raw.on('error', () => undefined);
await raw.connect();

try {
  const value = 'x'.repeat(100);
  const keys = Array.from({ length: 10 }, (_, i) => `bench:k${i}`);
  for (const k of keys) await raw.set(k, value);

  const ops = {
    get: { sdk: () => sdk.get('bench:k0'), raw: () => raw.get('bench:k0') },
    set: { sdk: () => sdk.set('bench:s', value), raw: () => raw.set('bench:s', value) },
    'mget(10)': { sdk: () => sdk.mget(keys), raw: () => raw.mGet(keys) },
    publish: { sdk: () => sdk.publish('bench:chan', value), raw: () => raw.publish('bench:chan', value) },
  };
  const cases = Object.entries(ops).flatMap(([op, f]) => [
    { label: `${op}|sdk`, run: f.sdk },
    { label: `${op}|raw`, run: f.raw },
  ]);
  const m = describeMachine();
  process.stdout.write(`client: ${iterations} iterations x ${cases.length} cases, ${rounds} rounds, ${warmup} warm-up\n`);
  process.stdout.write(`node ${m.node}; ${m.redis.split(' sha')[0]}; ${m.cpu}; ${m.cores} cores\n\n`);
  const samples = await measureInterleaved(cases, { rounds, iterations, warmup });

  let worst = 0;
  const rows = Object.keys(ops).map((op) => {
    const s = summarize(samples.get(`${op}|sdk`));
    const r = summarize(samples.get(`${op}|raw`));
    const ratio = s.p50 / r.p50;
    worst = Math.max(worst, ratio);
    return [op, micros(s.p50), micros(s.p99), micros(r.p50), micros(r.p99), ratio.toFixed(3), ratio <= TARGET ? 'ok' : 'OVER'];
  });
  printTable(['op', 'sdk p50', 'sdk p99', 'raw p50', 'raw p99', 'sdk/raw p50', `<= ${TARGET}`], rows);
  process.stdout.write(`\nworst p50 ratio ${worst.toFixed(3)} (target <= ${TARGET})\n`);
} finally {
  await sdk.close();
  await raw.close();
  await server.stop();
}
