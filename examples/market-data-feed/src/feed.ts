/**
 * `startFeed`: replays the daily bars as intraday quotes at a configurable rate per symbol,
 * day after day, writing `price:{symbol}` and publishing `price.updated.{symbol}` in one batch
 * per tick. A slow Redis never queues work: a late tick sends each symbol's latest step only.
 */
import { ConfigError } from '@trading-platform/redis-client';
import type { Logger, RedisClient } from '@trading-platform/redis-client';
import type { MarketData } from '../../shared/index.js';
import { intradayPath, MIN_STEPS_PER_DAY, toCents } from './path.js';
import type { DayPath } from './path.js';
import { quoteAt, QuoteWriter } from './quotes.js';
import type { Quote } from './quotes.js';

/** Where the feed reads the time and waits: the system clock by default, a virtual one in tests. */
export interface FeedClock {
  /** Milliseconds since the epoch; also the timestamp of every quote. */
  now(): number;
  /** Resolves after `ms` (or at once when `signal` aborts). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The system clock: `Date.now()` and an abortable `setTimeout`. */
export const systemClock: FeedClock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
});

/** Options of {@link startFeed}. Defaults are in {@link FEED_DEFAULTS}. */
export interface FeedOptions {
  /** Where quotes go (real or embedded). The feed never closes it. */
  redis: RedisClient;
  /** The daily bars replayed. */
  marketData: MarketData;
  /** Symbols quoted; each needs a bar on every day replayed. */
  symbols: readonly string[];
  /** Trading days replayed, in order. @default every trading day of `marketData` */
  days?: readonly string[];
  /** Quotes per second per symbol. @default 5 */
  ratePerSymbol?: number;
  /** Wall-clock length of one trading day. @default 60000 */
  dayMs?: number;
  /** Bid/ask spread in basis points of the mid (at least one cent each side). @default 2 */
  spreadBps?: number;
  /** Seed of the intraday paths. @default 1 */
  seed?: number;
  /** After the last day, start again from the first. @default false */
  loop?: boolean;
  /**
   * Called when every symbol has quoted a day's close, with that date; the next day starts when
   * it resolves (the close stays the latest quote meanwhile). A rejection stops the feed and
   * rejects {@link Feed.done}. `stop()` does not wait for a call in progress (so a call may stop
   * the feed itself). @default none
   */
  onClose?: (date: string) => void | Promise<void>;
  /** TTL of `price:{symbol}`. @default 300 */
  priceTtlSeconds?: number;
  /** Exchange code written with each quote. @default null */
  exchange?: string | null;
  /** Where the feed reads the time and waits. @default systemClock */
  clock?: FeedClock;
  logger?: Logger;
}

/** The defaults of {@link FeedOptions}. */
export const FEED_DEFAULTS = Object.freeze({ ratePerSymbol: 5, dayMs: 60_000, spreadBps: 2, seed: 1, loop: false, priceTtlSeconds: 300 });

/** Counters of a running feed. */
export interface FeedStats {
  /** Quotes sent (each one `SET` and one `PUBLISH`). */
  quotes: number;
  /** `price:{symbol}` writes Redis acknowledged. */
  written: number;
  /** `PUBLISH`es Redis accepted (whatever the number of receivers). */
  published: number;
  /** Path steps never sent because a tick came late (each symbol sends its latest step only). */
  skipped: number;
  /** Writes and publishes Redis failed: `(quotes - written) + (quotes - published)`. */
  failed: number;
  /** Ticks run: each looks for the quotes that fell due (a tick with none sends no batch). */
  ticks: number;
  /** Batches sent. */
  batches: number;
  /**
   * How late the last tick started after the boundary it slept to, in milliseconds (0 for a day's
   * first tick): a busy CPU or a slow Redis shows here before steps are skipped.
   */
  lastTickLagMs: number;
  /** Days whose close every symbol has quoted. */
  daysClosed: number;
  /** The day being replayed, or `null` when finished. */
  date: string | null;
}

/** A running feed. */
export interface Feed {
  /** Steps per symbol per day: `dayMs * ratePerSymbol / 1000`, at least 4. */
  readonly stepsPerDay: number;
  /** Counters so far. */
  stats(): FeedStats;
  /** Resolves when the last day closed (never with `loop`) or after `stop()`; rejects when `onClose` did. */
  readonly done: Promise<void>;
  /** Stops after the batch in flight (never mid-batch) and waits for it; idempotent. */
  stop(): Promise<void>;
}

/**
 * The quote of each symbol at its close on `date` (mid = the close, sizes of one round lot): what
 * a consumer's last mark of the day should be. The finite demo sends these after each day.
 * @throws ConfigError when a symbol has no bar on `date`.
 */
export function closingQuotes(marketData: MarketData, symbols: readonly string[], date: string, options: { spreadBps?: number; timestamp?: Date } = {}): Quote[] {
  const timestamp = options.timestamp ?? new Date();
  return symbols.map((symbol) => {
    const close = marketData.closeOn(symbol, date);
    if (close === undefined) throw new ConfigError(`no bar for ${symbol} on ${date}`, { context: { symbol, date } });
    return quoteAt(symbol, toCents(close), options.spreadBps ?? FEED_DEFAULTS.spreadBps, { bid: 100, ask: 100 }, timestamp);
  });
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a number > 0, got ${String(value)}`, { context: { option: name } });
  return value;
}

/** Checks the options and returns the trading days to replay. @throws ConfigError */
function checkedDays(options: FeedOptions): readonly string[] {
  const days = options.days ?? options.marketData.tradingDays();
  if (days.length === 0) throw new ConfigError('days must name at least one trading day', { context: { option: 'days' } });
  if (options.symbols.length === 0) throw new ConfigError('symbols must name at least one symbol', { context: { option: 'symbols' } });
  for (const symbol of options.symbols) {
    for (const date of days) {
      if (options.marketData.closeOn(symbol, date) === undefined) {
        throw new ConfigError(`no bar for ${symbol} on ${date}: every symbol needs a bar on every day replayed`, { context: { option: 'symbols', symbol, date } });
      }
    }
  }
  return days;
}

/**
 * Starts replaying: symbol `i` of `n` quotes its step `k` of the day at `dayStart + (k + i/n) *
 * 1000/ratePerSymbol` ms, so the load spreads evenly over each second; every quote due at a tick
 * goes out in one batch. Step 0 is the open, the last step the close.
 *
 * @example
 * const feed = startFeed({ redis, marketData, symbols: ['AAPL', 'MSFT'], ratePerSymbol: 5, dayMs: 20_000 });
 * // ... later
 * await feed.stop();
 * @throws ConfigError for an invalid option (before anything is sent).
 */
export function startFeed(options: FeedOptions): Feed {
  const days = checkedDays(options);
  const rate = positive('ratePerSymbol', options.ratePerSymbol ?? FEED_DEFAULTS.ratePerSymbol);
  const dayMs = positive('dayMs', options.dayMs ?? FEED_DEFAULTS.dayMs);
  const spreadBps = options.spreadBps ?? FEED_DEFAULTS.spreadBps;
  if (!Number.isFinite(spreadBps) || spreadBps < 0) throw new ConfigError(`spreadBps must be a number >= 0, got ${String(spreadBps)}`, { context: { option: 'spreadBps' } });
  const seed = options.seed ?? FEED_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) throw new ConfigError(`seed must be an integer, got ${String(seed)}`, { context: { option: 'seed' } });
  const stepMs = 1000 / rate;
  const stepsPerDay = Math.max(MIN_STEPS_PER_DAY, Math.round(dayMs / stepMs));
  const clock = options.clock ?? systemClock;
  const writer = new QuoteWriter(options.redis, {
    priceTtlSeconds: options.priceTtlSeconds ?? FEED_DEFAULTS.priceTtlSeconds,
    exchange: options.exchange ?? null,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const symbols = [...options.symbols];
  const stats: FeedStats = { quotes: 0, written: 0, published: 0, skipped: 0, failed: 0, ticks: 0, batches: 0, lastTickLagMs: 0, daysClosed: 0, date: null };
  const abort = new AbortController();
  const stopped = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  // Ticks come at most every 50 ms, and often enough that each symbol's steps all go out.
  const tickMs = Math.min(50, stepMs);

  async function playDay(date: string): Promise<void> {
    const paths: DayPath[] = symbols.map((symbol) => {
      const bar = options.marketData.barsUpTo(symbol, date).at(-1);
      if (bar?.date !== date) throw new ConfigError(`no bar for ${symbol} on ${date}`, { context: { symbol, date } });
      return intradayPath(symbol, bar, { seed, steps: stepsPerDay });
    });
    const phases = symbols.map((_, i) => (i / symbols.length) * stepMs);
    const sent = new Array<number>(symbols.length).fill(-1);
    const last = stepsPerDay - 1;
    const start = clock.now();
    let closed = 0;
    /** When the current tick was due: the boundary the loop last slept to (the day's first tick is due at its start). */
    let boundary = start;
    while (!abort.signal.aborted) {
      const now = clock.now();
      stats.ticks += 1;
      stats.lastTickLagMs = Math.max(0, now - boundary);
      const timestamp = new Date(now);
      const batch: Quote[] = [];
      for (let i = 0; i < symbols.length; i += 1) {
        const due = Math.min(last, Math.floor((now - start - (phases[i] as number)) / stepMs));
        const from = sent[i] as number;
        if (due <= from) continue;
        stats.skipped += due - from - 1;
        sent[i] = due;
        if (due === last) closed += 1;
        const path = paths[i] as DayPath;
        batch.push(quoteAt(path.symbol, path.midCents[due] as number, spreadBps, { bid: path.bidSizes[due] as number, ask: path.askSizes[due] as number }, timestamp));
      }
      if (batch.length > 0) {
        const result = await writer.write(batch);
        stats.quotes += batch.length;
        stats.written += result.written;
        stats.published += result.published;
        stats.failed += result.failed;
        stats.batches += 1;
      }
      if (closed === symbols.length) return;
      // Sleep to the next tick boundary; a batch that overran boundaries skips them (no backlog).
      const after = clock.now();
      let next = start + (Math.floor((after - start) / tickMs) + 1) * tickMs;
      if (next <= after) next += tickMs;
      boundary = next;
      await clock.sleep(next - after, abort.signal);
    }
  }

  async function run(): Promise<void> {
    try {
      for (let index = 0; !abort.signal.aborted; ) {
        const date = days[index] as string;
        stats.date = date;
        await playDay(date);
        if (abort.signal.aborted) break;
        stats.daysClosed += 1;
        // Not awaited past a stop(): onClose may itself call stop() (and wait for done).
        if (options.onClose) await Promise.race([options.onClose(date), stopped]);
        index += 1;
        if (index >= days.length) {
          if (!(options.loop ?? FEED_DEFAULTS.loop)) break;
          index = 0;
        }
      }
    } finally {
      stats.date = null;
      await writer.close();
    }
  }

  const done = run();
  // `done` is the caller's to await; a rejection is theirs too, never an unhandled one here.
  done.catch(() => undefined);
  return {
    stepsPerDay,
    stats: () => ({ ...stats }),
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}
