import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, EventSubscriber, PriceCache, PriceUpdateEvent } from '@trading-platform/redis-client';
import type { RedisClient } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import { waitFor } from '../../../test/harness/index.js';
import { embeddedClient, loadShared, tradingDay, unreachableClient } from '../../lib/test/fixtures.js';
import { feedOptionsFromEnv } from '../src/config.js';
import { closingQuotes, startFeed } from '../src/feed.js';
import type { FeedClock } from '../src/feed.js';
import { intradayPath } from '../src/path.js';

/** A clock whose sleeps advance virtual time at once: every tick comes exactly on time, as fast as the CPU goes. */
function virtualClock(startMs = Date.now(), stepMs?: number): FeedClock {
  let now = startMs;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += stepMs ?? ms;
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An embedded server with a client for the feed and a subscriber collecting every price update, per symbol in arrival order. */
async function setUp(): Promise<{ redis: RedisClient; received: Map<string, PriceUpdateEvent[]>; count: () => number }> {
  const server = createEmbeddedServer();
  const [redis, listener] = await Promise.all([embeddedClient(server), embeddedClient(server)]);
  const subscriber = new EventSubscriber(listener);
  const received = new Map<string, PriceUpdateEvent[]>();
  let count = 0;
  await subscriber.onPattern(PriceUpdateEvent.pattern, (event) => {
    count += 1;
    const list = received.get(event.symbol) ?? [];
    list.push(event);
    received.set(event.symbol, list);
  });
  cleanups.push(async () => {
    await subscriber.close();
    await Promise.all([redis.close(), listener.close()]);
  });
  return { redis, received, count: () => count };
}

describe('startFeed', () => {
  it('quotes every step of every day, in order, with the path as mid and bid < mid < ask; the close ends in price:{symbol}', async () => {
    const { marketData } = await loadShared();
    const { redis, received, count } = await setUp();
    const days = [tradingDay(marketData, 0), tradingDay(marketData, 1)];
    const closes: string[] = [];
    const feed = startFeed({ redis, marketData, symbols: ['AAPL', 'MSFT'], days, ratePerSymbol: 5, dayMs: 2000, seed: 3, clock: virtualClock(), onClose: (date) => void closes.push(date) });
    expect(feed.stepsPerDay).toBe(10);
    await feed.done;
    expect(closes).toEqual(days);
    expect(feed.stats()).toMatchObject({ quotes: 40, skipped: 0, failed: 0, daysClosed: 2, date: null });
    await waitFor(() => count() === 40, { description: '40 price updates' });
    for (const symbol of ['AAPL', 'MSFT']) {
      const expected = days.flatMap((date) => {
        const bar = marketData.barsUpTo(symbol, date).at(-1);
        if (bar === undefined) throw new Error('no bar');
        return intradayPath(symbol, bar, { seed: 3, steps: 10 }).midCents.map((c) => (c / 100).toFixed(2));
      });
      const events = received.get(symbol) ?? [];
      expect(events.map((e) => e.price)).toEqual(expected);
      for (const e of events) {
        expect(e.channel).toBe(`price.updated.${symbol}`);
        expect(Number(e.bid)).toBeLessThan(Number(e.price));
        expect(Number(e.ask)).toBeGreaterThan(Number(e.price));
        expect([e.bidPrice, e.askPrice]).toEqual([e.bid, e.ask]);
      }
      const cached = await new PriceCache(redis).get(symbol);
      expect(cached?.mid).toBe((marketData.closeOn(symbol, days[1] as string) as number).toFixed(2));
      expect(cached?.nonconforming).toEqual([]);
    }
  });

  it('sends the same quotes for the same seed (timestamps and event ids aside)', async () => {
    const { marketData } = await loadShared();
    const runOnce = async (seed: number): Promise<string[]> => {
      const { redis, received, count } = await setUp();
      const feed = startFeed({ redis, marketData, symbols: ['NVDA', 'XOM', 'JPM'], days: [tradingDay(marketData, 5)], ratePerSymbol: 10, dayMs: 1500, seed, clock: virtualClock() });
      await feed.done;
      await waitFor(() => count() === 45, { description: '45 price updates' });
      return [...received.entries()].sort().flatMap(([, events]) => events.map((e) => `${e.symbol} ${e.bid} ${e.price} ${e.ask} ${String(e.bidSize)} ${String(e.askSize)}`));
    };
    const first = await runOnce(11);
    expect(await runOnce(11)).toEqual(first);
    expect(await runOnce(12)).not.toEqual(first);
  });

  it('spreads the symbols over each step: a tick sends only the quotes due, none twice', async () => {
    const { marketData } = await loadShared();
    const { redis } = await setUp();
    const symbols = ['AAPL', 'MSFT', 'GOOGL', 'AMZN'];
    const feed = startFeed({ redis, marketData, symbols, days: [tradingDay(marketData)], ratePerSymbol: 5, dayMs: 2000, clock: virtualClock() });
    await feed.done;
    // 200 ms per step, 50 ms ticks, phases 0/50/100/150 ms: one symbol per tick.
    expect(feed.stats()).toMatchObject({ quotes: 40, batches: 40, skipped: 0 });
  });

  it('when ticks come late, sends each symbol its latest step only, counts the skipped ones, and still ends on the close', async () => {
    const { marketData } = await loadShared();
    const { redis, received, count } = await setUp();
    const date = tradingDay(marketData, 2);
    // Every sleep takes 1 s instead of 50 ms: five steps pass between ticks.
    const feed = startFeed({ redis, marketData, symbols: ['AAPL'], days: [date], ratePerSymbol: 5, dayMs: 10_000, clock: virtualClock(Date.now(), 1000) });
    await feed.done;
    const { quotes, skipped } = feed.stats();
    expect(quotes + skipped).toBe(50);
    expect(skipped).toBeGreaterThan(0);
    await waitFor(() => count() === quotes, { description: `${quotes} updates` });
    expect(received.get('AAPL')?.at(-1)?.price).toBe((marketData.closeOn('AAPL', date) as number).toFixed(2));
  });

  it('loops back to the first day when asked, and stops when told (done resolves, nothing more is sent)', async () => {
    const { marketData } = await loadShared();
    const { redis, count } = await setUp();
    const closes: string[] = [];
    const days = [tradingDay(marketData, 0), tradingDay(marketData, 1)];
    const control: { stop?: () => Promise<void> } = {};
    const feed = startFeed({
      redis, marketData, symbols: ['AAPL'], days, ratePerSymbol: 5, dayMs: 1000, loop: true, clock: virtualClock(),
      onClose: async (date) => {
        closes.push(date);
        if (closes.length === 5) await control.stop?.();
      },
    });
    control.stop = () => feed.stop();
    await feed.done;
    expect(closes).toEqual([days[0], days[1], days[0], days[1], days[0]]);
    const sent = feed.stats().quotes;
    expect(sent).toBe(25);
    await waitFor(() => count() === sent, { description: 'every update' });
    await feed.stop();
  });

  it('stops when onClose rejects, and done rejects with its error', async () => {
    const { marketData } = await loadShared();
    const { redis } = await setUp();
    const feed = startFeed({ redis, marketData, symbols: ['AAPL'], days: [tradingDay(marketData, 0), tradingDay(marketData, 1)], ratePerSymbol: 5, dayMs: 1000, clock: virtualClock(), onClose: () => Promise.reject(new Error('orchestrator down')) });
    await expect(feed.done).rejects.toThrow('orchestrator down');
    expect(feed.stats()).toMatchObject({ daysClosed: 1, quotes: 5 });
  });

  it('refuses bad options with a ConfigError naming them, before sending anything', async () => {
    const { marketData } = await loadShared();
    const redis = await embeddedClient();
    cleanups.push(() => redis.close());
    const base = { redis, marketData, symbols: ['AAPL'], days: [tradingDay(marketData)] };
    expect(() => startFeed({ ...base, symbols: ['NOPE'] })).toThrow(/no bar for NOPE on/);
    expect(() => startFeed({ ...base, symbols: [] })).toThrow(ConfigError);
    expect(() => startFeed({ ...base, days: [] })).toThrow(/days must name at least one trading day/);
    expect(() => startFeed({ ...base, ratePerSymbol: 0 })).toThrow(/ratePerSymbol must be a number > 0, got 0/);
    expect(() => startFeed({ ...base, dayMs: Number.NaN })).toThrow(/dayMs must be a number > 0/);
    expect(() => startFeed({ ...base, spreadBps: -1 })).toThrow(/spreadBps must be a number >= 0/);
    expect(() => startFeed({ ...base, seed: 1.5 })).toThrow(/seed must be an integer/);
  });
});

describe('closingQuotes', () => {
  it('quotes each symbol at its close of the day', async () => {
    const { marketData } = await loadShared();
    const date = tradingDay(marketData, 3);
    const quotes = closingQuotes(marketData, ['AAPL', 'XOM'], date, { timestamp: new Date(0) });
    expect(quotes.map((q) => [q.symbol, q.mid])).toEqual(['AAPL', 'XOM'].map((s) => [s, (marketData.closeOn(s, date) as number).toFixed(2)]));
    expect(() => closingQuotes(marketData, ['NOPE'], date)).toThrow(ConfigError);
  });
});

describe('feedOptionsFromEnv', () => {
  it('reads the variables and names the one that is wrong', async () => {
    const { marketData } = await loadShared();
    const days = marketData.tradingDays();
    const options = feedOptionsFromEnv({ SYMBOLS: 'aapl,msft', START_DATE: days[10], FEED_RATE_PER_SYMBOL: '20', FEED_DAY_SECONDS: '30', FEED_SEED: '9' }, marketData);
    expect(options).toMatchObject({ symbols: ['AAPL', 'MSFT'], ratePerSymbol: 20, dayMs: 30_000, seed: 9, loop: true, spreadBps: 2, priceTtlSeconds: 300 });
    expect(options.days?.[0]).toBe(days[10]);
    expect(feedOptionsFromEnv({}, marketData)).toMatchObject({ symbols: marketData.symbols(), ratePerSymbol: 5, dayMs: 60_000 });
    expect(() => feedOptionsFromEnv({ SYMBOLS: 'AAPL,ZZZZ' }, marketData)).toThrow(/SYMBOLS: ZZZZ is not in the market data/);
    expect(() => feedOptionsFromEnv({ START_DATE: '2024-01-06' }, marketData)).toThrow(/START_DATE 2024-01-06 is not a trading day/);
    expect(() => feedOptionsFromEnv({ FEED_RATE_PER_SYMBOL: '-1' }, marketData)).toThrow(/FEED_RATE_PER_SYMBOL must be a number > 0/);
    expect(() => feedOptionsFromEnv({ FEED_SEED: 'x' }, marketData)).toThrow(/FEED_SEED must be an integer/);
  });
});

describe('startFeed without Redis', () => {
  it('counts every write and publish that failed and keeps going to the close', async () => {
    const { marketData } = await loadShared();
    const redis = await unreachableClient();
    cleanups.push(() => redis.close());
    const feed = startFeed({ redis, marketData, symbols: ['AAPL'], days: [tradingDay(marketData)], ratePerSymbol: 5, dayMs: 800, clock: virtualClock() });
    await feed.done;
    // Four quotes, each a failed SET and a failed PUBLISH.
    expect(feed.stats()).toMatchObject({ quotes: 4, failed: 8, daysClosed: 1 });
  });
});
