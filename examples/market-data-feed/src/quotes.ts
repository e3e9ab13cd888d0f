/**
 * Quotes and how they leave the feed: a bid/ask around each path point, in decimal strings,
 * written to `price:{symbol}` through `PriceCache` and published as a `PriceUpdateEvent` on
 * `price.updated.{symbol}`, a whole batch at a time.
 */
import { EventPublisher, PriceCache, PriceUpdateEvent } from '@trading-platform/redis-client';
import type { Logger, RedisClient } from '@trading-platform/redis-client';

/** One quote, prices as decimal strings (never floats on the wire). */
export interface Quote {
  symbol: string;
  bid: string;
  ask: string;
  /** `(bid + ask) / 2`, exactly: the path's price. */
  mid: string;
  bidSize: number;
  askSize: number;
  timestamp: Date;
}

/** Whole cents as a decimal string with two places: `15025` -> `"150.25"`. */
export function centsToDecimal(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents - whole * 100).padStart(2, '0')}`;
}

/**
 * The quote around a mid price: half the spread on each side, at least one cent, so
 * `bid < mid < ask` and the mid is exactly the path's price.
 */
export function quoteAt(symbol: string, midCents: number, spreadBps: number, sizes: { bid: number; ask: number }, timestamp: Date): Quote {
  const half = Math.max(1, Math.round((midCents * spreadBps) / 20_000));
  return {
    symbol,
    bid: centsToDecimal(Math.max(0, midCents - half)),
    ask: centsToDecimal(midCents + half),
    mid: centsToDecimal(midCents),
    bidSize: sizes.bid,
    askSize: sizes.ask,
    timestamp,
  };
}

/** What one {@link QuoteWriter.write} did. */
export interface WriteResult {
  /** `price:{symbol}` keys written. */
  written: number;
  /** Events Redis accepted (whatever the number of receivers). */
  published: number;
  /** Writes or publishes that failed (Redis down or slow: counted, not thrown). */
  failed: number;
}

/** Options of {@link QuoteWriter}. */
export interface QuoteWriterOptions {
  /** TTL of `price:{symbol}`. @default 300 (upstream's) */
  priceTtlSeconds?: number;
  /** Exchange code written with each quote. @default null */
  exchange?: string | null;
  logger?: Logger;
}

/**
 * Writes batches of quotes as the Python market-data service does for each quote (`SETEX
 * price:{symbol}` then `PUBLISH price.updated.{symbol}`), but a batch at a time: every command of
 * the batch is issued in the same tick, so the client sends them as one pipeline and the batch
 * costs one round trip, not one per quote.
 */
export class QuoteWriter {
  readonly #prices: PriceCache;
  readonly #publisher: EventPublisher;
  readonly #exchange: string | null;

  constructor(redis: RedisClient, options: QuoteWriterOptions = {}) {
    const logger = options.logger ? { logger: options.logger } : {};
    this.#prices = new PriceCache(redis, { ttlSeconds: options.priceTtlSeconds ?? 300, ...logger });
    // No outage buffer: a quote replayed after an outage would be stale; the next tick supersedes it.
    this.#publisher = new EventPublisher(redis, logger);
    this.#exchange = options.exchange ?? null;
  }

  /** Writes and publishes every quote; resolves when Redis answered them all. Never rejects for a Redis failure. */
  async write(quotes: readonly Quote[]): Promise<WriteResult> {
    const sets: Array<Promise<boolean>> = [];
    const publishes: Array<Promise<number | null>> = [];
    for (const q of quotes) {
      const timestamp = q.timestamp;
      sets.push(this.#prices.set({ symbol: q.symbol, bid: q.bid, ask: q.ask, mid: q.mid, bidSize: q.bidSize, askSize: q.askSize, timestamp, exchange: this.#exchange }));
      const event = new PriceUpdateEvent({
        symbol: q.symbol,
        price: q.mid,
        timestamp,
        bid: q.bid,
        ask: q.ask,
        bidPrice: q.bid,
        askPrice: q.ask,
        bidSize: q.bidSize,
        askSize: q.askSize,
        exchange: this.#exchange,
      });
      publishes.push(this.#publisher.publishPriceUpdate(event).catch(() => null));
    }
    const [written, published] = await Promise.all([Promise.all(sets), Promise.all(publishes)]);
    const ok = written.filter(Boolean).length;
    const sent = published.filter((n) => n !== null).length;
    return { written: ok, published: sent, failed: quotes.length - ok + (quotes.length - sent) };
  }

  /** Waits for publishes in flight and detaches the publisher (the client stays open: you own it). */
  async close(): Promise<void> {
    await this.#publisher.close();
  }
}
