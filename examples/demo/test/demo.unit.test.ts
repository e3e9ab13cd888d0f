import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../run-demo.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('demo on the embedded Redis', () => {
  it('runs the paper loop in-process: all misses first, all hits on the re-run, every fill seen as an event', async () => {
    const lines: string[] = [];
    const result = await runDemo({ env: {}, days: 3, print: (line) => void lines.push(line) });
    expect(result.redis).toBe('embedded');
    expect(result.days).toHaveLength(3);
    for (const day of result.days) {
      expect(day.generated).toEqual({ hits: 0, misses: 8, joined: 0 });
      expect(day.refetched).toEqual({ hits: 8, misses: 0, joined: 0 });
    }
    const fills = result.days.reduce((n, d) => n + d.orders.fills.length, 0);
    expect(fills).toBeGreaterThan(0);
    expect(result.events).toEqual({ 'signals.generated': 6, 'orders.executed': 3, 'positions.updated': fills });
    expect(result.durable).toBeNull();
    const output = lines.join('\n');
    expect(output).toContain('signals (scheduled run):        cache 0 hits / 8 misses / 0 joined');
    expect(output).toContain('signals (re-run after event):   cache 8 hits / 0 misses / 0 joined');
    expect(output).toContain('feature cache: 24 hits, 24 misses, 0 joined');
    expect(output).toMatch(/final P&L: [+-][\d,]+\.\d\d/);
    // The P&L service, fed only by events and quotes, ends on the book's P&L to the cent.
    expect(result.pnl.service).toBe(result.pnl.book);
    expect(output).toContain(`final P&L: ${result.pnl.book}\n`);
    expect(output).toContain(`final P&L (P&L service): ${result.pnl.book} (`);
  });

  it('runs from the build (npm run build:examples) as a child process and exits 0', async () => {
    expect(existsSync(`${ROOT}dist/index.js`), 'run npm run build first').toBe(true);
    await run('npx', ['tsup', '--config', 'examples/tsup.config.ts', '--silent'], { cwd: ROOT });
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.REDIS_URL;
    const { stdout } = await run(process.execPath, ['.tmp/examples-build/demo.js'], { cwd: ROOT, env });
    expect(stdout).toContain('Redis: embedded in-memory server');
    expect(stdout).toContain('Day 10 ');
    expect(stdout.match(/cache 0 hits \/ 8 misses \/ 0 joined/g)).toHaveLength(10);
    expect(stdout.match(/cache 8 hits \/ 0 misses \/ 0 joined/g)).toHaveLength(10);
    expect(stdout).toContain('[orders.executed]');
    expect(stdout).toContain('[positions.updated]');
    const book = /final P&L: ([+-][\d,]+\.\d\d)\n/.exec(stdout)?.[1];
    expect(book).toBeDefined();
    expect(stdout).toContain(`final P&L (P&L service): ${book ?? ''} (realized `);
  }, 120_000);
});
