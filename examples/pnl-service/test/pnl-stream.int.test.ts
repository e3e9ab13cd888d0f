/**
 * The P&L service's Server-Sent Events on a real Redis: a snapshot on connect, updates coalesced
 * and at most `maxMessagesPerSecond` a second, a fresh snapshot on reconnect with Last-Event-ID,
 * and a paused reader that never makes the service buffer more (its updates are dropped, then a
 * snapshot once it reads again).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventPublisher, RedisClient } from '@trading-platform/redis-client';
import { useRedisServer, waitFor } from '../../../test/harness/index.js';
import { buildPnlService } from '../src/app.js';
import type { PnlService } from '../src/app.js';
import type { SnapshotMessage, UpdateMessage } from '../src/sse.js';
import { openSse } from './sse-client.js';
import type { SseConnection } from './sse-client.js';

const redis = useRedisServer();
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(maxMessagesPerSecond: number, heartbeatMs?: number): Promise<{ service: PnlService; publisher: EventPublisher; url: string }> {
  const service = await buildPnlService({ redis: await RedisClient.connect({ url: redis.url }), maxMessagesPerSecond, ...(heartbeatMs ? { heartbeatMs } : {}) });
  cleanup.push(() => service.close());
  const address = await service.listen({ port: 0, host: '127.0.0.1' });
  const client = await RedisClient.connect({ url: redis.url });
  const publisher = new EventPublisher(client);
  cleanup.push(async () => {
    await publisher.close();
    await client.close();
  });
  return { service, publisher, url: `${address}/api/v1/pnl/stream` };
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const sse = await openSse(url, headers);
  cleanup.push(() => sse.close());
  return sse;
}

const data = <T>(sse: SseConnection, i: number): T => JSON.parse(sse.messages[i]?.data ?? 'null') as T;
const seqOf = (id: string | undefined): number => Number(id?.split('.')[1]);

describe('P&L stream (SSE) on a real Redis', () => {
  it('sends a snapshot on connect, then updates coalesced to at most maxMessagesPerSecond, latest values winning; reconnecting with Last-Event-ID gets a fresh snapshot', async () => {
    const { service, publisher, url } = await start(5);
    await publisher.publishPositionEvent({ symbol: 'AAPL', action: 'buy', qtyChange: 10, newQty: 10, price: '100', strategyId: 's1' });
    await waitFor(() => service.book.isHeld('AAPL'));
    const sse = await connect(url);
    expect(sse.statusCode).toBe(200);
    expect(sse.headers).toMatchObject({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    await waitFor(() => sse.messages.length === 1);
    expect(sse.preamble).toEqual(['retry: 1000']);
    expect(sse.messages[0]).toMatchObject({ event: 'snapshot', id: `${service.bootId}.${seqOf(sse.messages[0]?.id)}` });
    const snapshot = data<SnapshotMessage>(sse, 0);
    expect(snapshot).toMatchObject({ total_positions: 1, stale_after_ms: 10_000, last_price_at: null, positions: [{ symbol: 'AAPL', qty: '10', price_source: 'fallback' }] });
    expect(Array.isArray(snapshot.curve)).toBe(true);

    // 150 prices as fast as Redis takes them, then wait for the last one to show.
    const started = performance.now();
    let last = '';
    for (let i = 1; i <= 150; i++) {
      last = (100 + i / 100).toFixed(2);
      await publisher.publishPriceUpdate({ symbol: 'AAPL', price: last });
    }
    const final = `${Number(last)}`;
    await waitFor(() => sse.messages.some((m) => m.event === 'update' && (JSON.parse(m.data) as UpdateMessage).positions[0]?.current_price === final), { description: 'the last price on the stream' });
    const elapsedMs = performance.now() - started;
    const updates = sse.messages.filter((m) => m.event === 'update');
    // The contract's bound: 5 a second over the elapsed time, plus slack for the boundaries.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil((elapsedMs / 1000) * 5) + 2);
    expect(updates.length).toBeLessThan(150);
    const update = JSON.parse(updates.at(-1)?.data ?? '{}') as UpdateMessage;
    expect(update).toMatchObject({ removed: [], totals: { total_positions: 1, realtime_prices_available: 1, total_pl: update.point.total_pl } });
    // 10 shares bought at 100, marked at the last price, 101.50.
    expect(update.totals.total_unrealized_pl).toBe('15');
    expect(update.last_price_at).not.toBeNull();
    const seqs = sse.messages.map((m) => seqOf(m.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    // A browser reconnecting sends the last id it saw: it gets a fresh snapshot with the latest values.
    sse.close();
    const again = await connect(url, { 'last-event-id': sse.messages.at(-1)?.id ?? '' });
    await waitFor(() => again.messages.length >= 1);
    expect(again.messages[0]?.event).toBe('snapshot');
    expect(seqOf(again.messages[0]?.id)).toBeGreaterThan(seqs.at(-1) as number);
    expect(data<SnapshotMessage>(again, 0).positions[0]).toMatchObject({ current_price: final, price_source: 'real-time' });

    // A position that goes flat is listed as removed.
    await publisher.publishPositionEvent({ symbol: 'AAPL', action: 'sell', qtyChange: -10, newQty: 0, price: '101', strategyId: 's1' });
    await waitFor(() => again.messages.some((m) => m.event === 'update' && (JSON.parse(m.data) as UpdateMessage).removed.includes('AAPL')));
    expect(service.sseStats()).toMatchObject({ clients: 1, dropped: 0 });
  });

  it('keeps an idle stream open with a ": ping" comment every heartbeatMs, and ends it when the service closes', async () => {
    const { service, url } = await start(10, 100);
    const sse = await connect(url);
    await waitFor(() => sse.comments.length >= 2, { description: 'two heartbeats' });
    expect(sse.comments[0]).toBe(': ping');
    expect(sse.messages.map((m) => m.event)).toEqual(['snapshot']);
    const ended = new Promise<void>((resolve) => sse.onEnd(resolve));
    await service.close();
    await ended;
  });

  it('a paused reader does not make the service buffer more: its updates are dropped, and it gets a snapshot once it reads again', { timeout: 60_000 }, async () => {
    const { service, publisher, url } = await start(200);
    const symbols = Array.from({ length: 300 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    await Promise.all(symbols.map((symbol) => publisher.publishPositionEvent({ symbol, action: 'buy', qtyChange: 100, newQty: 100, price: '10.00', strategyId: 'slow' })));
    await waitFor(() => service.book.heldSymbols().length === symbols.length);
    const sse = await connect(url);
    await waitFor(() => sse.messages.length === 1);
    sse.pause();

    let round = 0;
    const publishRound = async (): Promise<void> => {
      round += 1;
      await Promise.all(symbols.map((symbol, i) => publisher.publishPriceUpdate({ symbol, price: (10 + ((round * 7 + i) % 500) / 100).toFixed(2) })));
    };
    await waitFor(async () => {
      await publishRound();
      return service.sseStats().dropped > 0;
    }, { timeoutMs: 40_000, intervalMs: 1, description: 'the paused client to fill its socket' });
    const [blocked] = service.sseClients();
    expect(blocked?.blocked).toBe(true);
    const bufferedAtBlock = blocked?.bufferedBytes ?? 0;
    const droppedAtBlock = service.sseStats().dropped;
    await waitFor(async () => {
      await publishRound();
      return service.sseStats().dropped >= droppedAtBlock + 20;
    }, { timeoutMs: 40_000, intervalMs: 1, description: '20 more updates dropped' });
    // Nothing more was queued for it: what waits is what was written before its socket filled up.
    expect(service.sseClients()[0]?.bufferedBytes).toBeLessThanOrEqual(bufferedAtBlock);
    expect(service.sseClients()[0]?.blocked).toBe(true);

    const before = sse.messages.length;
    sse.resume();
    await waitFor(() => sse.messages.slice(before).some((m) => m.event === 'snapshot'), { timeoutMs: 20_000, description: 'a snapshot after the drain' });
    expect(service.sseStats().resets).toBeGreaterThanOrEqual(1);
    const snapshot = JSON.parse(sse.messages.slice(before).find((m) => m.event === 'snapshot')?.data ?? '{}') as SnapshotMessage;
    expect(snapshot.total_positions).toBe(symbols.length);
  });
});
