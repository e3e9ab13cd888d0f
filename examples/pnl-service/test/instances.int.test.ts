/**
 * Two P&L services (the built `npm run example:pnl-service`, as separate processes) on one Redis
 * with their default names: each has its own consumer group, so each gets every fill.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventStream, PositionEvent, RedisClient } from '@trading-platform/redis-client';
import { findFreePort, keygen, useRedisServer, waitFor } from '../../../test/harness/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const redis = useRedisServer();
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** The built service on `port`, with the test's Redis and stream prefix and no group or consumer set. */
async function startService(port: number, streamPrefix: string): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redis.url, PORT: String(port), HOST: '127.0.0.1', STREAM_PREFIX: streamPrefix };
  delete env.PNL_GROUP;
  delete env.PNL_CONSUMER;
  const child = spawn(process.execPath, ['.tmp/examples-build/pnl-service.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  running.push(child);
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => err.includes('listening on') || child.exitCode !== null, { timeoutMs: 30_000, description: `the service on port ${port} to listen` });
  expect(child.exitCode, err).toBeNull();
  return { child, exited };
}

async function heldCount(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/positions/pnl/realtime`);
  return ((await response.json()) as { total_positions: number }).total_positions;
}

describe('P&L service instances', () => {
  beforeAll(async () => {
    expect(existsSync(`${ROOT}dist/index.js`), 'run npm run build first').toBe(true);
    await promisify(execFile)('npx', ['tsup', '--config', 'examples/tsup.config.ts', '--silent'], { cwd: ROOT });
  }, 120_000);

  it('two instances started with the default names each get every fill appended while they run', async () => {
    const streamPrefix = `${keygen('pnl-instances').prefix}:stream:`;
    const first = await findFreePort();
    const second = await findFreePort({ exclude: new Set([first]) });
    const services = [await startService(first, streamPrefix), await startService(second, streamPrefix)];

    const client = await RedisClient.connect({ url: redis.url });
    try {
      const stream = new EventStream(client, { keyPrefix: streamPrefix });
      const symbols = Array.from({ length: 12 }, (_, i) => `INS${String(i).padStart(2, '0')}`);
      for (const symbol of symbols) await stream.append(new PositionEvent({ symbol, action: 'buy', qtyChange: 1, newQty: 1, price: '10', strategyId: 's1' }));
      for (const port of [first, second]) {
        await waitFor(async () => (await heldCount(port)) === symbols.length, { description: `the service on port ${port} to hold all ${symbols.length} symbols` });
      }
    } finally {
      await client.close();
    }
    for (const { child, exited } of services) {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
