import { describe, expect, it } from 'vitest';
import { RedisClient } from '@trading-platform/redis-client';
import { useRedisServer } from '../../../test/harness/index.js';
import { runDemo } from '../run-demo.js';

const redis = useRedisServer();

describe('demo on a real Redis', () => {
  it('runs signal -> orders -> position events end to end, with the durable stream consumed too, and leaves no keys', async () => {
    const lines: string[] = [];
    const result = await runDemo({ env: { REDIS_URL: redis.url }, days: 3, print: (line) => void lines.push(line) });
    expect(result.redis).toBe('real');
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
    const client = await RedisClient.connect({ url: redis.url });
    try {
      const left: string[] = [];
      for await (const key of client.scan({ match: 'demo-*' })) left.push(key);
      for await (const key of client.scan({ match: 'price:*' })) left.push(key);
      expect(left).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
