/**
 * FeatureCache vs raw node-redis, 158-feature Alpha158 vectors from the AAPL wire fixture
 * (scaled slightly per symbol, so no two symbols store the same bytes),
 * sequential awaits, interleaved rounds against a throw-away redis-server. Imports the BUILT
 * package (`npx tsup` first). Cases and targets (at p50):
 *
 * - JSON codec `get`, `getMany` of 5 and 50 vs raw GET/MGET + JSON.parse: SDK/raw <= 1.10.
 *   Plain JSON.parse cannot read Python's NaN/Infinity tokens, so these use the fixture with its
 *   non-finite values replaced by 0 (both sides read the same bytes).
 * - f64 codec `getMany` of 500 vs raw MGET + JSON.parse of the same vectors as JSON: >= 4x faster;
 *   vs raw MGET of the same f64 bytes with no decoding at all: SDK/raw <= 1.5.
 * - Also measured, same rounds: `getMatrix` of the same 500 (rows of one Float64Array) against
 *   the undecoded MGET (<= 1.5), and the floor of any `Record<string, number>` result: the raw
 *   MGET plus building the 500 plain objects with a constructor generated for the 158 names,
 *   reading the doubles in place and checking nothing. No decoder that returns such objects can
 *   beat that floor, so it shows how much of the getMany ratio is the result type itself.
 * - Local-tier hit vs raw GET + JSON.parse: >= 20x faster.
 *
 * Env: BENCH_ITERATIONS (small cases, per case, default 20000), BENCH_BIG_ITERATIONS
 * (500-symbol cases, default 1000), BENCH_ROUNDS (default 10), BENCH_WARMUP (default 1000),
 * BENCH_RAW_COMMAND_TIMEOUT (the raw client's node-redis `commandOptions.timeout` in ms, 0 = none;
 * unset = node-redis's default of 5000 ms, which arms one AbortSignal timer per command, while the
 * SDK's own connections turn it off and enforce their own deadlines).
 * Prints a Markdown section for bench/RESULTS.md with `--markdown`.
 */
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { createClient, RESP_TYPES } from 'redis';
import { describeMachine, markdownTable, measureInterleaved, micros, printTable, startServer, summarize } from './lib/index.mjs';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  process.stderr.write('bench/feature-cache.mjs needs the built package: run `npx tsup` first\n');
  process.exit(1);
}
const { FeatureCache, RedisClient, decodeFeatures } = await import(dist.href);

const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const bigIterations = Number(process.env.BENCH_BIG_ITERATIONS ?? 1_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 1_000);
const markdown = process.argv.includes('--markdown');
const DATE = '2025-01-17';

const fixture = readFileSync(new URL('../test/fixtures/wire/features/AAPL-2025-01-17.python-json.txt', import.meta.url));
const decoded = decodeFeatures(fixture);
if (!decoded.ok) throw new Error(`fixture did not decode: ${decoded.reason}`);
const full = decoded.features;
const finite = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, Number.isFinite(v) ? v : 0]));
const replaced = Object.keys(full).filter((k) => !Number.isFinite(full[k]));
/**
 * Symbol i's vector: the fixture with every finite value scaled by 1 + i * 2^-20, so each symbol
 * stores different bytes (as real data would) while NaN and the infinities stay where they are.
 */
const vectorFor = (base, i) => Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Number.isFinite(v) ? v * (1 + i * 2 ** -20) : v]));

const server = await startServer();
const sdk = await RedisClient.connect({ url: server.url });
const rawTimeout = process.env.BENCH_RAW_COMMAND_TIMEOUT;
const raw = createClient(rawTimeout === undefined ? { url: server.url } : { url: server.url, commandOptions: { timeout: Number(rawTimeout) } });
raw.on('error', () => undefined);
await raw.connect();
const rawBuffers = raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });

const jsonCache = new FeatureCache(sdk, { prefix: 'bj', codec: 'json', ttlSeconds: 0 });
const f64Cache = new FeatureCache(sdk, { prefix: 'bf', codec: 'f64', ttlSeconds: 0 });
const localCache = new FeatureCache(sdk, { prefix: 'bj', codec: 'json', ttlSeconds: 0, local: { maxEntries: 1000 } });

const symbols = Array.from({ length: 500 }, (_, i) => `S${i}`);
const jsonKeys = symbols.map((s) => jsonCache.key(s, DATE));
const f64Keys = symbols.map((s) => f64Cache.key(s, DATE));
const parseAll = (values) => values.map((v) => (v === null ? null : JSON.parse(v)));

/** Checks that a case returns what it should before timing it. */
function check(label, ok) {
  if (!ok) throw new Error(`benchmark case ${label} returned a wrong result`);
}

try {
  if (!(await jsonCache.setMany(DATE, symbols.map((s, i) => [s, vectorFor(finite, i)])))) throw new Error('setMany json failed');
  if (!(await f64Cache.setMany(DATE, symbols.map((s, i) => [s, vectorFor(full, i)])))) throw new Error('setMany f64 failed');
  for (let i = 0; i < 1000 && !localCache.localTierLive; i++) await new Promise((r) => setTimeout(r, 5));
  if (!localCache.localTierLive) throw new Error('local tier did not become live');
  await localCache.get('S0', DATE);

  const small = {
    get: { sdk: () => jsonCache.get('S0', DATE), raw: async () => JSON.parse(await raw.get(jsonKeys[0])) },
    'getMany(5)': { sdk: () => jsonCache.getMany(symbols.slice(0, 5), DATE), raw: async () => parseAll(await raw.mGet(jsonKeys.slice(0, 5))) },
    'getMany(50)': { sdk: () => jsonCache.getMany(symbols.slice(0, 50), DATE), raw: async () => parseAll(await raw.mGet(jsonKeys.slice(0, 50))) },
    'local hit': { sdk: () => localCache.get('S0', DATE), raw: async () => JSON.parse(await raw.get(jsonKeys[0])) },
  };
  const names = Object.keys(full);
  const valuesOffset = Math.ceil((16 + Buffer.byteLength(names.join('\n'))) / 8) * 8;
  // The floor's object builder: one `this[name] = view.getFloat64(...)` per name, no checks.
  const Plain = new Function('d', 'o', names.map((n, i) => `this[${JSON.stringify(n)}] = d.getFloat64(o + ${i * 8}, true);`).join('\n'));
  Plain.prototype = Object.prototype;
  // One DataView per reply buffer (the replies are slices of a few socket chunks), as the SDK does.
  const plainObjects = (values) => {
    let buffer;
    let view;
    return values.map((b) => {
      if (b.buffer !== buffer) view = new DataView((buffer = b.buffer));
      return new Plain(view, b.byteOffset + valuesOffset);
    });
  };
  const big = {
    sdk: () => f64Cache.getMany(symbols, DATE),
    matrix: () => f64Cache.getMatrix(symbols, DATE),
    json: async () => parseAll(await raw.mGet(jsonKeys)),
    bytes: () => rawBuffers.mGet(f64Keys),
    objects: async () => plainObjects(await rawBuffers.mGet(f64Keys)),
  };

  check('get', (await small.get.sdk()).KMID === finite.KMID && (await small.get.raw()).KMID === finite.KMID);
  const many = await small['getMany(50)'].sdk();
  check('getMany(50)', many.size === 50 && many.get('S49').KMID === vectorFor(finite, 49).KMID);
  check('getMany(500) f64', Number.isNaN((await big.sdk()).get('S499').CORR60));
  check('raw bytes', (await big.bytes()).every((b) => Buffer.isBuffer(b) && b[0] === 0));
  const matrix = await big.matrix();
  check('getMatrix(500) f64', matrix.found.every(Boolean) && Number.isNaN(matrix.row('S499')[names.indexOf('CORR60')]) && matrix.row('S0')[0] === full[names[0]] && matrix.row('S499')[0] === vectorFor(full, 499)[names[0]]);
  check('floor objects', Object.is((await big.objects())[499].KMID, vectorFor(full, 499).KMID));
  localCache.resetStats();
  await small['local hit'].sdk();
  check('local hit', localCache.stats().localHits === 1);

  const m = describeMachine();
  process.stdout.write(`feature-cache: 158 features; non-finite ${replaced.join(', ')} replaced by 0 for the JSON cases\n`);
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

  const s = (samples, label) => summarize(samples.get(label));
  const rows = [];
  let misses = 0;
  const row = (name, sdkStats, rawStats, rawName, ratio, target, ok) => {
    if (!ok) misses++;
    rows.push([name, micros(sdkStats.p50), micros(sdkStats.p99), rawName, micros(rawStats.p50), micros(rawStats.p99), ratio, target, ok ? 'ok' : 'MISSED']);
  };
  for (const op of ['get', 'getMany(5)', 'getMany(50)']) {
    const a = s(smallSamples, `${op}|sdk`);
    const b = s(smallSamples, `${op}|raw`);
    const r = a.p50 / b.p50;
    row(`json ${op}`, a, b, op === 'get' ? 'GET+JSON.parse' : 'MGET+JSON.parse', `sdk/raw ${r.toFixed(3)}`, '<= 1.10', r <= 1.1);
  }
  const f = s(bigSamples, 'big|sdk');
  const mx = s(bigSamples, 'big|matrix');
  const j = s(bigSamples, 'big|json');
  const n = s(bigSamples, 'big|bytes');
  const o = s(bigSamples, 'big|objects');
  row('f64 getMany(500)', f, j, 'MGET+JSON.parse', `raw/sdk ${(j.p50 / f.p50).toFixed(2)}x`, '>= 4x', j.p50 / f.p50 >= 4);
  row('f64 getMany(500)', f, n, 'MGET bytes, no decode', `sdk/raw ${(f.p50 / n.p50).toFixed(3)}`, '<= 1.5', f.p50 / n.p50 <= 1.5);
  row('f64 getMatrix(500)', mx, n, 'MGET bytes, no decode', `sdk/raw ${(mx.p50 / n.p50).toFixed(3)}`, '<= 1.5', mx.p50 / n.p50 <= 1.5);
  rows.push(['floor: MGET + plain objects, no checks', micros(o.p50), micros(o.p99), 'MGET bytes, no decode', micros(n.p50), micros(n.p99), `raw/raw ${(o.p50 / n.p50).toFixed(3)}`, '(info)', '']);
  const l = s(smallSamples, 'local hit|sdk');
  const lr = s(smallSamples, 'local hit|raw');
  row('local-tier hit', l, lr, 'GET+JSON.parse', `raw/sdk ${(lr.p50 / l.p50).toFixed(1)}x`, '>= 20x', lr.p50 / l.p50 >= 20);

  const headers = ['case', 'sdk p50', 'sdk p99', 'baseline', 'base p50', 'base p99', 'ratio (p50)', 'target', ''];
  printTable(headers, rows);
  process.stdout.write(`\n${misses === 0 ? 'all targets met' : `${misses} target(s) missed`}\n`);
  if (markdown) {
    process.stdout.write(`\n## FeatureCache\n\n\`node bench/feature-cache.mjs\`: ${iterations} iterations per small case and ${bigIterations} per 500-symbol case in ${rounds} interleaved rounds; `);
    process.stdout.write(`158-feature vectors from the AAPL fixture (${replaced.join(', ')} set to 0 for the JSON cases, since JSON.parse rejects NaN/Infinity tokens; the f64 vectors keep them).\n`);
    process.stdout.write('The floor row is raw node-redis plus plain objects built with no checks: the least any decoder returning `Record<string, number>` objects can cost.\n');
    process.stdout.write(`Machine: node ${m.node}; ${m.redis.split(' sha')[0]}; ${m.cpu}; ${m.cores} cores.\n\n${markdownTable(headers, rows)}\n`);
  }
} finally {
  await localCache.close();
  await sdk.close();
  await raw.close();
  await server.stop();
}
