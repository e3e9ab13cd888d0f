/**
 * PriceCache vs raw node-redis: `PriceData` JSON under `price:{symbol}` as the Python market-data
 * service writes it (the AAPL wire vector, one symbol and mid per key), sequential awaits,
 * interleaved rounds against a throw-away redis-server. Imports the BUILT package (`npx tsup`
 * first). Cases, all at p50 (no target is set yet: the figures go to bench/RESULTS.md):
 *
 * - `getMany(500)` vs raw MGET of the same 500 keys + `JSON.parse` of each value (what a reader
 *   that checks nothing does). PriceCache also runs upstream `parse_redis_price_json`'s checks on
 *   every value (symbol = key, timestamp parsed as `datetime.fromisoformat`, future and age
 *   checks, decimal `mid` > 0) and builds one result object per symbol, decimals kept as text.
 * - The same with `maxAgeMs` (the staleness check on every value).
 * - `getMany(50)` and `get` vs MGET / GET + `JSON.parse`.
 *
 * Env: BENCH_ITERATIONS (small cases, per case, default 20000), BENCH_BIG_ITERATIONS
 * (500-symbol cases, default 1000), BENCH_ROUNDS (default 10), BENCH_WARMUP (default 1000),
 * BENCH_RAW_COMMAND_TIMEOUT (the raw client's node-redis `commandOptions.timeout` in ms, 0 = none;
 * unset = node-redis's default, as in bench/feature-cache.mjs).
 * Prints a Markdown section for bench/RESULTS.md with `--markdown`.
 */
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { createClient } from 'redis';
import { describeMachine, markdownTable, measureInterleaved, micros, printTable, startServer, summarize } from './lib/index.mjs';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  process.stderr.write('bench/prices.mjs needs the built package: run `npx tsup` first\n');
  process.exit(1);
}
const { PriceCache, RedisClient } = await import(dist.href);

const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const bigIterations = Number(process.env.BENCH_BIG_ITERATIONS ?? 1_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 1_000);
const markdown = process.argv.includes('--markdown');

const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/wire/prices/AAPL.price-data.json', import.meta.url), 'utf8'));
const symbols = Array.from({ length: 500 }, (_, i) => `S${i}`);
const keys = symbols.map((s) => `price:${s}`);
/** Symbol i's stored bytes: the wire vector with its symbol, a mid of its own and a fresh timestamp. */
const valueFor = (symbol, i) => JSON.stringify({ ...fixture, symbol, mid: `${150 + i}.25`, timestamp: new Date().toISOString().replace('Z', '+00:00') });

const server = await startServer();
const sdk = await RedisClient.connect({ url: server.url });
const rawTimeout = process.env.BENCH_RAW_COMMAND_TIMEOUT;
const raw = createClient(rawTimeout === undefined ? { url: server.url } : { url: server.url, commandOptions: { timeout: Number(rawTimeout) } });
raw.on('error', () => undefined);
await raw.connect();

const prices = new PriceCache(sdk, { ttlSeconds: 0 });
const parseAll = (values) => values.map((v) => (v === null ? null : JSON.parse(v)));

/** Checks that a case returns what it should before timing it. */
function check(label, ok) {
  if (!ok) throw new Error(`benchmark case ${label} returned a wrong result`);
}

try {
  // Written as the Python service writes them (raw bytes), so the SDK reads foreign values.
  for (let i = 0; i < symbols.length; i++) await raw.set(keys[i], valueFor(symbols[i], i));

  const small = {
    get: { sdk: () => prices.get('S0'), raw: async () => JSON.parse(await raw.get(keys[0])) },
    'getMany(50)': { sdk: () => prices.getMany(symbols.slice(0, 50)), raw: async () => parseAll(await raw.mGet(keys.slice(0, 50))) },
  };
  const big = {
    sdk: () => prices.getMany(symbols),
    // An hour: every value passes, so the case times the check, not a miss.
    aged: () => prices.getMany(symbols, { maxAgeMs: 3_600_000 }),
    raw: async () => parseAll(await raw.mGet(keys)),
  };

  check('get', (await small.get.sdk()).mid === '150.25' && (await small.get.raw()).mid === '150.25');
  const many = await big.sdk();
  check('getMany(500)', many.size === 500 && many.get('S499').mid === '649.25' && many.get('S499').nonconforming.length === 0);
  check('getMany(500) maxAgeMs', [...(await big.aged()).values()].every((p) => p !== null));
  check('raw', (await big.raw())[499].mid === '649.25');
  prices.resetStats();

  const m = describeMachine();
  process.stdout.write(`prices: ${symbols.length} PriceData values shaped like the AAPL wire vector\n`);
  process.stdout.write(`${iterations} iterations per small case, ${bigIterations} per 500-symbol case, ${rounds} rounds, ${warmup} warm-up\n`);
  process.stdout.write(`raw client command timeout: ${rawTimeout === undefined ? 'node-redis default (5000 ms)' : `${rawTimeout} ms`}\n`);
  process.stdout.write(`node ${m.node}; ${m.redis.split(' sha')[0]}; ${m.cpu}; ${m.cores} cores\n\n`);

  const smallCases = Object.entries(small).flatMap(([op, f]) => [
    { label: `${op}|sdk`, run: f.sdk },
    { label: `${op}|raw`, run: f.raw },
  ]);
  const smallSamples = await measureInterleaved(smallCases, { rounds, iterations, warmup });
  const bigCases = Object.entries(big).map(([k, run]) => ({ label: `big|${k}`, run }));
  const bigSamples = await measureInterleaved(bigCases, { rounds, iterations: bigIterations, warmup: Math.min(warmup, 100) });
  check('no errors while timing', prices.stats().errors === 0 && prices.stats().invalid === 0);

  const s = (samples, label) => summarize(samples.get(label));
  const rows = [];
  const row = (name, a, b, baseline) => rows.push([name, micros(a.p50), micros(a.p99), baseline, micros(b.p50), micros(b.p99), `sdk/raw ${(a.p50 / b.p50).toFixed(3)}`]);
  row('get', s(smallSamples, 'get|sdk'), s(smallSamples, 'get|raw'), 'GET+JSON.parse');
  row('getMany(50)', s(smallSamples, 'getMany(50)|sdk'), s(smallSamples, 'getMany(50)|raw'), 'MGET+JSON.parse');
  row('getMany(500)', s(bigSamples, 'big|sdk'), s(bigSamples, 'big|raw'), 'MGET+JSON.parse');
  row('getMany(500), maxAgeMs', s(bigSamples, 'big|aged'), s(bigSamples, 'big|raw'), 'MGET+JSON.parse');

  const headers = ['case', 'sdk p50', 'sdk p99', 'baseline', 'base p50', 'base p99', 'ratio (p50)'];
  printTable(headers, rows);
  if (markdown) {
    process.stdout.write(`\n## PriceCache\n\n\`node bench/prices.mjs\`: ${iterations} iterations per small case and ${bigIterations} per 500-symbol case in ${rounds} interleaved rounds; `);
    process.stdout.write('values are the AAPL PriceData wire vector with a symbol, mid and timestamp of their own, written as raw bytes. ');
    process.stdout.write('The raw baseline checks nothing; PriceCache runs the parse_redis_price_json checks on every value and keeps decimals as text.\n');
    process.stdout.write(`Machine: node ${m.node}; ${m.redis.split(' sha')[0]}; ${m.cpu}; ${m.cores} cores.\n\n${markdownTable(headers, rows)}\n`);
  }
} finally {
  await sdk.close();
  await raw.close();
  await server.stop();
}
