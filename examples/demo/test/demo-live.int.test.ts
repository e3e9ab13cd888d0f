import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient } from '@trading-platform/redis-client';
import { useRedisServer, waitFor } from '../../../test/harness/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const redis = useRedisServer();

interface Row {
  symbol: string;
  qty: string;
  price_source: string;
  last_price_update: string | null;
}
interface Realtime {
  positions: Row[];
  total_positions: number;
  realtime_prices_available: number;
  total_pl: string;
}

/** The built `demo-live.js` as `npm run demo:live` runs it, its output collected. */
function startDemo(env: NodeJS.ProcessEnv): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.REDIS_URL;
  const child = spawn(process.execPath, ['.tmp/examples-build/demo-live.js'], { cwd: ROOT, env: { ...base, PORT: '0', DEMO_DAY_SECONDS: '2', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => void (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function realtime(url: string): Promise<Realtime> {
  const response = await fetch(`${url}api/v1/positions/pnl/realtime`);
  expect(response.status).toBe(200);
  return (await response.json()) as Realtime;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm run demo:live', () => {
  beforeAll(async () => {
    expect(existsSync(`${ROOT}dist/index.js`), 'run npm run build first').toBe(true);
    await promisify(execFile)('npx', ['tsup', '--config', 'examples/tsup.config.ts', '--silent'], { cwd: ROOT });
  }, 120_000);

  for (const redisKind of ['embedded', 'real'] as const) {
    it(`prints the dashboard URL, serves positions marked by streaming prices, trades at each close and exits 0 on Ctrl-C (${redisKind} Redis)`, async () => {
      const demo = startDemo(redisKind === 'real' ? { REDIS_URL: redis.url } : {});
      running.push(demo.child);
      const url = await waitFor(() => /Dashboard: (http:\/\/\S+\/)/.exec(demo.stdout())?.[1], { timeoutMs: 60_000, description: `the dashboard URL; output so far: ${demo.stdout()}${demo.stderr()}` });
      expect(demo.stdout()).toContain(redisKind === 'real' ? 'Redis: real server (REDIS_URL)' : 'Redis: embedded in-memory server');
      if (redisKind === 'real') expect(demo.stdout()).toMatch(/^Warning: synthetic quotes go to the platform's own keys price:\{symbol\} \(AAPL, .*\) and channels price\.updated\.\{symbol\}/m);
      else expect(demo.stdout()).not.toContain('Warning');

      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      // The first day is traded before the URL is printed: positions are there at once, marked at real-time prices.
      const first = await realtime(url);
      expect(first.total_positions).toBeGreaterThan(0);
      expect(first.realtime_prices_available).toBe(first.total_positions);
      for (const row of first.positions) expect(row.price_source).toBe('real-time');

      // Prices stream intraday: a held symbol's mark gets a newer timestamp.
      const symbol = first.positions[0]?.symbol as string;
      const before = first.positions[0]?.last_price_update as string;
      await waitFor(async () => (await realtime(url)).positions.find((r) => r.symbol === symbol && r.last_price_update !== null && r.last_price_update > before), { timeoutMs: 30_000, description: `a newer price for ${symbol}` });
      // At the close of the streamed day the orchestrator trades it.
      await waitFor(() => demo.stdout().includes('\nDay 2 '), { timeoutMs: 60_000, description: 'day 2 traded' });
      expect(demo.stdout()).toMatch(/Day 2 \d{4}-\d\d-\d\d: \d+ fills?; total P&L at the close: book [+-][\d,]+\.\d\d, P&L service [+-][\d,]+\.\d\d/);

      demo.child.kill('SIGINT');
      expect(await demo.exited).toBe(0);
      expect(demo.stdout()).toContain('SIGINT received');
      expect(demo.stdout()).toContain('Stopped cleanly.');
      expect(demo.stdout()).not.toContain('failed');
      expect(demo.stderr()).toBe('');
      if (redisKind === 'real') {
        const client = await RedisClient.connect({ url: redis.url });
        try {
          const left: string[] = [];
          for await (const key of client.scan({ match: 'demo-live-*' })) left.push(key);
          for await (const key of client.scan({ match: 'price:*' })) left.push(key);
          expect(left).toEqual([]);
        } finally {
          await client.close();
        }
      }
    }, 120_000);
  }

  it('refuses to start on a real Redis where a price:{symbol} key of its symbols exists: exit 1, the key named, nothing written', async () => {
    const quote = '{"symbol":"AAPL","bid":"190.00","ask":"190.02","mid":"190.01"}';
    await redis.server.cli('SET', 'price:AAPL', quote);
    try {
      const demo = startDemo({ REDIS_URL: redis.url });
      running.push(demo.child);
      expect(await demo.exited).toBe(1);
      expect(demo.stderr()).toBe(
        'demo:live failed to start: price:AAPL already exists on REDIS_URL: the demo would overwrite it with synthetic quotes and delete the price: keys it wrote at the end. ' +
          'Run the demo on a Redis of its own, or set DEMO_OVERWRITE_PRICES=1 to overwrite anyway\n',
      );
      expect(demo.stdout()).not.toContain('Dashboard');
      expect(await redis.server.cli('GET', 'price:AAPL')).toBe(quote);
      const client = await RedisClient.connect({ url: redis.url });
      try {
        const keys: string[] = [];
        for await (const key of client.scan({ match: '*' })) keys.push(key);
        expect(keys).toEqual(['price:AAPL']);
      } finally {
        await client.close();
      }
    } finally {
      await redis.server.cli('DEL', 'price:AAPL');
    }
  }, 60_000);
});
