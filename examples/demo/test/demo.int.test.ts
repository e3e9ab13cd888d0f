import { describe, expect, it } from 'vitest';
import { ConfigError, RedisClient } from '@trading-platform/redis-client';
import { useRedisServer } from '../../../test/harness/index.js';
import { runDemo } from '../run-demo.js';

const redis = useRedisServer();

/** Every key of the server matching one of `patterns`, with its value (strings only here). */
async function keysLeft(patterns: readonly string[]): Promise<Record<string, string | null>> {
  const client = await RedisClient.connect({ url: redis.url });
  try {
    const left: Record<string, string | null> = {};
    for (const pattern of patterns) for await (const key of client.scan({ match: pattern })) left[key] = await client.get(key);
    return left;
  } finally {
    await client.close();
  }
}

describe('demo on a real Redis', () => {
  it('refuses to start, writing nothing, when a price:{symbol} key of its symbols exists, naming it and DEMO_OVERWRITE_PRICES', async () => {
    const quote = '{"symbol":"MSFT","bid":"400.00","ask":"400.10","mid":"400.05"}';
    await redis.server.cli('SET', 'price:MSFT', quote);
    try {
      const lines: string[] = [];
      const refused = runDemo({ env: { REDIS_URL: redis.url }, days: 1, print: (line) => void lines.push(line) });
      await expect(refused).rejects.toThrow(ConfigError);
      await expect(refused).rejects.toThrow(/^price:MSFT already exists on REDIS_URL: .* set DEMO_OVERWRITE_PRICES=1 to overwrite anyway$/);
      expect(lines).toEqual([]);
      expect(await keysLeft(['demo-*', 'price:*'])).toEqual({ 'price:MSFT': quote });
      await expect(runDemo({ env: { REDIS_URL: redis.url, DEMO_OVERWRITE_PRICES: 'maybe' }, days: 1 })).rejects.toThrow(/DEMO_OVERWRITE_PRICES must be true or false/);
    } finally {
      await redis.server.cli('DEL', 'price:MSFT');
    }
  });

  it('runs signal -> orders -> position events end to end, with the durable stream consumed too, and leaves no keys (DEMO_OVERWRITE_PRICES=1 over an existing quote)', async () => {
    await redis.server.cli('SET', 'price:AAPL', '{"symbol":"AAPL"}');
    const lines: string[] = [];
    const result = await runDemo({ env: { REDIS_URL: redis.url, DEMO_OVERWRITE_PRICES: '1' }, days: 3, print: (line) => void lines.push(line) });
    expect(result.redis).toBe('real');
    // The warning comes before anything is written, and names the key it overwrites.
    expect(lines[1]).toMatch(/^Warning: synthetic quotes go to the platform's own keys price:\{symbol\} \(AAPL, MSFT, .*\) and channels price\.updated\.\{symbol\}, with no prefix, and those keys are deleted at the end/);
    expect(lines[1]).toContain('DEMO_OVERWRITE_PRICES is set: price:AAPL already exists and will be overwritten.');
    expect(result.days.map((d) => d.generated)).toEqual([{ hits: 0, misses: 8, joined: 0 }, { hits: 0, misses: 8, joined: 0 }, { hits: 0, misses: 8, joined: 0 }]);
    expect(result.days.map((d) => d.refetched)).toEqual([{ hits: 8, misses: 0, joined: 0 }, { hits: 8, misses: 0, joined: 0 }, { hits: 8, misses: 0, joined: 0 }]);
    const fills = result.days.reduce((n, d) => n + d.orders.fills.length, 0);
    expect(fills).toBeGreaterThan(0);
    expect(result.events).toEqual({ 'signals.generated': 6, 'orders.executed': 3, 'positions.updated': fills });
    expect(result.durable).toEqual({ 'signals.generated': 0, 'orders.executed': 3, 'positions.updated': fills });
    expect(lines.join('\n')).toContain('events (stream consumer group): signals.generated 0, orders.executed 3');
    expect(result.positions.length).toBeGreaterThan(0);
    // The P&L service read the fills from the durable stream and ends on the book's P&L to the cent.
    expect(result.pnl.service).toBe(result.pnl.book);
    expect(lines.join('\n')).toContain(`final P&L (P&L service): ${result.pnl.book} (`);
    expect(await keysLeft(['demo-*', 'price:*'])).toEqual({});
  });
});
