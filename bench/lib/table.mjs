/** Plain-text and Markdown tables for benchmark output. */
import process from 'node:process';

/**
 * Prints a padded table to stdout.
 * @param {string[]} headers column titles
 * @param {string[][]} rows cells, already formatted
 */
export function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  process.stdout.write(`${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

/**
 * The same table as GitHub Markdown, for bench/RESULTS.md.
 * @param {string[]} headers column titles
 * @param {string[][]} rows cells
 */
export function markdownTable(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
