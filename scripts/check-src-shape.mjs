#!/usr/bin/env node
// Fails when a file in src/ is over 350 lines or does not open with a comment saying what it is for.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX_LINES = 350;
const root = new URL('../src/', import.meta.url).pathname;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** The purpose line: `// text`, `/** text`, or the first ` * text` line of a block opened alone. */
function purposeOf(lines) {
  const first = lines[0]?.trim() ?? '';
  const inline = /^(\/\/|\/\*\*?)\s*(\S.*)$/.exec(first);
  if (inline && !/^\*\/$/.test(inline[2])) return inline[2];
  if (first === '/**' || first === '/*') return /^\*\s*(\S.*)$/.exec(lines[1]?.trim() ?? '')?.[1];
  return undefined;
}

const problems = [];
let count = 0;
for (const file of sourceFiles(root)) {
  count += 1;
  const name = relative(process.cwd(), file);
  const lines = readFileSync(file, 'utf8').split('\n');
  const length = lines.at(-1) === '' ? lines.length - 1 : lines.length;
  if (length > MAX_LINES) problems.push(`${name}: ${length} lines (at most ${MAX_LINES}); split it by job`);
  if (!purposeOf(lines)) problems.push(`${name}: must open with a one-line comment saying what the file is for`);
}

if (problems.length > 0) {
  console.error(`src shape: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`src shape: ${count} files, each under ${MAX_LINES + 1} lines and opening with its purpose`);
