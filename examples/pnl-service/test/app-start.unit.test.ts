/** A P&L service whose start-up fails after the feeds started (the page cannot be served) leaves nothing running. */
import { hasSubscribers } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DIAGNOSTICS_CHANNELS, EventPublisher } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import { buildPnlService } from '../src/app.js';

vi.mock('@fastify/static', () => ({ default: () => Promise.reject(new Error('cannot serve the page')) }));

afterEach(() => {
  vi.restoreAllMocks();
});

const anyChannelListened = (): boolean => Object.values(DIAGNOSTICS_CHANNELS).some((name) => hasSubscribers(name) || hasSubscribers(`tracing:${name}:asyncEnd`));

describe('P&L service start-up failure', () => {
  it('stops the feeds, the curve sampler, the SDK metrics and Redis when registering the page fails', async () => {
    const server = createEmbeddedServer();
    const redis = await server.createClient().connect();
    const other = await server.createClient().connect();
    const publisher = new EventPublisher(other);
    expect(anyChannelListened()).toBe(false);
    const started = vi.spyOn(globalThis, 'setInterval');
    const cleared = vi.spyOn(globalThis, 'clearInterval');

    await expect(buildPnlService({ redis })).rejects.toThrow('cannot serve the page');

    // The feeds had subscribed to prices: nobody receives one now.
    expect(await publisher.publishPriceUpdate({ symbol: 'AAPL', price: '1' })).toBe(0);
    expect(redis.status).toBe('closed');
    expect(anyChannelListened()).toBe(false);
    const intervals = started.mock.results.map((r) => r.value as unknown);
    expect(intervals.length).toBeGreaterThan(0);
    for (const interval of intervals) expect(cleared.mock.calls.map(([handle]) => handle as unknown)).toContain(interval);
    await publisher.close();
    await other.close();
  });
});
