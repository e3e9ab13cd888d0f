/**
 * Writes the committed SYNTHETIC data set. Run from the repository root:
 * `npx tsup examples/shared/market-data/cli.ts --no-config --format esm --out-dir .tmp/market-data && node .tmp/market-data/cli.js [out.csv]`
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_GENERATE_OPTIONS, generateMarketData, toCsv } from './generate.js';

const target = process.argv[2] ?? 'examples/shared/market-data/ohlcv.csv';
const rows = generateMarketData(DEFAULT_GENERATE_OPTIONS);
writeFileSync(target, toCsv(rows));
console.log(`wrote ${rows.length} SYNTHETIC rows to ${target}`);
