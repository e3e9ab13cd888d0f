/**
 * Shared helpers for `bench/*.mjs` scripts: a throw-away server, interleaved rounds, example bundles,
 * percentiles, tables and the machine description.
 */
export { freePort, startServer } from './server.mjs';
export { measureInterleaved } from './rounds.mjs';
export { micros, percentile, summarize } from './stats.mjs';
export { markdownTable, printTable } from './table.mjs';
export { describeMachine } from './machine.mjs';
export { bundleExamples } from './examples.mjs';
