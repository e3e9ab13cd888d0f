/**
 * A process that closes its RedisClient but not the FeatureCache (with a local tier) made from
 * it exits on its own: the cache's tracking connection closes with the client.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));

/** The program under test: everything a service does, except closing the cache. */
const PROGRAM = `
const { RedisClient, FeatureCache } = await import(process.env.SDK_DIST);
const client = await RedisClient.connect({ url: process.env.REDIS_URL });
const cache = new FeatureCache(client, { prefix: 'exit-test-' + process.pid, local: true });
await cache.ready();
await cache.set('AAPL', '2025-01-17', { a: 1 });
if ((await cache.get('AAPL', '2025-01-17'))?.a !== 1) throw new Error('read back failed');
if (!cache.localTierLive) throw new Error('local tier not live');
await cache.invalidate('AAPL', '2025-01-17');
await client.close();
console.log('closed');
`;

/** Runs the program; resolves its exit code and output, or `'still running'` after `limitMs`. */
function run(limitMs: number): Promise<{ code: number | null; output: string } | 'still running'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROGRAM], {
      env: { ...process.env, SDK_DIST: DIST, REDIS_URL: inject('redisUrl') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('still running');
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('closing the client lets the process exit', () => {
  it('with a FeatureCache local tier left open, the process exits after client.close()', { timeout: 40_000 }, async () => {
    expect(existsSync(DIST), 'run npm run build first').toBe(true);
    // A liveness bound, not a timing claim: a process held open by a socket never exits.
    const result = await run(30_000);
    expect(result).not.toBe('still running');
    if (result === 'still running') return;
    expect(result.output).toContain('closed');
    expect(result.code).toBe(0);
  });
});
