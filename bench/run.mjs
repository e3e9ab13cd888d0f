/**
 * Runs every benchmark script in bench/ (every `*.mjs` except this one), one after another,
 * so they never compete for the CPU. Pass names to run a subset: `node bench/run.mjs client`.
 * Exits non-zero if any script fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';
import process from 'node:process';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = new Set(process.argv.slice(2).map((n) => n.replace(/\.mjs$/, '')));
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .filter((f) => only.size === 0 || only.has(f.replace(/\.mjs$/, '')))
  .sort();

if (scripts.length === 0) {
  process.stderr.write(`no benchmark scripts matched in ${dir}\n`);
  process.exit(1);
}
const failed = [];
for (const script of scripts) {
  process.stdout.write(`\n=== ${script} ===\n`);
  const result = spawnSync(process.execPath, [`${dir}${script}`], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) failed.push(`${script} (${result.signal ?? `exit ${result.status}`})`);
}
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exit(1);
}
