/**
 * Parse cost of valid events: what a subscriber or stream consumer pays per message, the
 * `parseEventForChannel(channel, text)` call, on the wire vectors of test/fixtures/wire/events/valid
 * (Python's bytes) and on events the SDK itself wrote; then, for the record, the lenient path on the
 * nonconforming vectors (measured build only). No Redis: CPU only.
 *
 * Made for before/after comparisons of the parser: BENCH_SDK_ENTRY is the build measured (default
 * the built package, `../dist/index.js`; `npx tsup` first) and BENCH_BASELINE_ENTRY a second build
 * measured in the same rounds. Each round times every build on the whole message set, in a
 * rotating order; the ratio is the median of the per-round ratios (SDK / baseline), which cancels
 * most of the drift of a shared machine.
 *
 * Env: BENCH_ROUNDS (default 41), BENCH_PASSES (passes over the message set per build and round,
 * default 2000).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL, URL } from 'node:url';
import { describeMachine, printTable } from './lib/index.mjs';

/** Imports a build that exports `parseEventForChannel` and the event classes, or exits. */
async function load(entry) {
  if (!existsSync(entry)) {
    process.stderr.write(`${entry.pathname} is missing: run \`npx tsup\` first\n`);
    process.exit(1);
  }
  const mod = await import(entry.href);
  if (!mod.parseEventForChannel || !mod.SignalEvent || !mod.OrderEvent || !mod.PositionEvent) {
    process.stderr.write(`${entry.pathname} does not export parseEventForChannel and the event classes\n`);
    process.exit(1);
  }
  return mod;
}

const entries = { SDK: process.env.BENCH_SDK_ENTRY ? pathToFileURL(process.env.BENCH_SDK_ENTRY) : new URL('../dist/index.js', import.meta.url) };
if (process.env.BENCH_BASELINE_ENTRY) entries.baseline = pathToFileURL(process.env.BENCH_BASELINE_ENTRY);
const builds = {};
for (const [label, entry] of Object.entries(entries)) builds[label] = await load(entry);

const rounds = Number(process.env.BENCH_ROUNDS ?? 41);
const passes = Number(process.env.BENCH_PASSES ?? 2000);

/** The messages a build parses: [channel, text] pairs. */
function messages(sdk) {
  const dir = new URL('../test/fixtures/wire/events/valid/', import.meta.url);
  const python = readdirSync(dir)
    .filter((file) => /^(signal|order|position)-event\./.test(file))
    .map((file) => readFileSync(new URL(file, dir), 'utf8').trim())
    .map((text) => [JSON.parse(text).event_type, text]);
  const own = [
    new sdk.SignalEvent({ strategyId: 'alpha_baseline', symbols: ['AAPL', 'MSFT', 'GOOGL'], numSignals: 3, asOfDate: '2025-01-17' }),
    new sdk.OrderEvent({ runId: '550e8400-e29b-41d4-a716-446655440000', strategyId: 'alpha_baseline', numOrders: 5, numAccepted: 3, numRejected: 2 }),
    new sdk.PositionEvent({ symbol: 'AAPL', action: 'buy', qtyChange: 100, newQty: 100, price: '150.25', strategyId: 'alpha_baseline' }),
  ].map((event) => [event.channel, event.toWire()]);
  return { python, own };
}

/** Nanoseconds per message of `passes` passes over `set`; keeps a result alive so nothing is elided. */
let sink = 0;
function time(sdk, set) {
  const start = process.hrtime.bigint();
  for (let pass = 0; pass < passes; pass++) {
    for (const [channel, text] of set) sink += sdk.parseEventForChannel(channel, text).timestamp.length;
  }
  return Number(process.hrtime.bigint() - start) / (passes * set.length);
}

const sets = Object.fromEntries(Object.entries(builds).map(([label, sdk]) => [label, messages(sdk)]));
const cases = ['python', 'own'];
const samples = {};
for (const label of Object.keys(builds)) for (const c of cases) samples[`${label}:${c}`] = [];
for (const [label, sdk] of Object.entries(builds)) for (const c of cases) time(sdk, sets[label][c]); // warm-up
const ratios = Object.fromEntries(cases.map((c) => [c, []]));
for (let round = 0; round < rounds; round++) {
  const labels = Object.keys(builds);
  const order = round % 2 === 0 ? labels : [...labels].reverse();
  const perRound = {};
  for (const label of order) {
    for (const c of cases) {
      const ns = time(builds[label], sets[label][c]);
      samples[`${label}:${c}`].push(ns);
      perRound[`${label}:${c}`] = ns;
    }
  }
  if (builds.baseline) for (const c of cases) ratios[c].push(perRound[`SDK:${c}`] / perRound[`baseline:${c}`]);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

console.log(describeMachine());
console.log(`\nparseEventForChannel on valid events: ${rounds} rounds x ${passes} passes (sink ${sink % 10})\n`);
const rows = [];
for (const c of cases) {
  const row = [c === 'python' ? `Python vectors (${sets.SDK.python.length})` : `SDK-written (${sets.SDK.own.length})`];
  for (const label of Object.keys(builds)) row.push(`${median(samples[`${label}:${c}`]).toFixed(0)} ns`);
  if (builds.baseline) {
    const sorted = [...ratios[c]].sort((a, b) => a - b);
    row.push(`${median(ratios[c]).toFixed(3)} (p10 ${sorted[Math.floor(sorted.length * 0.1)].toFixed(3)}, p90 ${sorted[Math.floor(sorted.length * 0.9)].toFixed(3)})`);
  }
  rows.push(row);
}
printTable(['messages', ...Object.keys(builds).map((label) => `${label} per message`), ...(builds.baseline ? ['SDK / baseline'] : [])], rows);

// The lenient path, for the record: the nonconforming vectors (the Python models accept them, an
// older build refuses them), parsed by the measured build only.
const nonconformingDir = new URL('../test/fixtures/wire/events/nonconforming/', import.meta.url);
if (existsSync(nonconformingDir)) {
  const set = readdirSync(nonconformingDir).map((file) => [file.split('.').slice(0, 2).join('.'), readFileSync(new URL(file, nonconformingDir), 'utf8').trim()]);
  const times = [];
  for (let round = 0; round < 11; round++) times.push(time(builds.SDK, set));
  console.log(`\nSDK, nonconforming vectors (${set.length}, lenient path): ${median(times).toFixed(0)} ns per message`);
}
