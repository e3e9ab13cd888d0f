/**
 * What feeds the P&L book from Redis: fills from the durable positions stream (replayed at
 * start-up, then a consumer group) or from pub/sub, and marks from `price.updated.*` (pattern
 * subscription) and `price:{symbol}` (`PriceCache`, at start-up and for a newly held symbol).
 */
import { CHANNELS, ENTRY_FIELDS, EventSubscriber, PositionEvent, PriceCache, PriceUpdateEvent } from '@trading-platform/redis-client';
import type { Consumer, ConsumerStats, EventStream, Logger, PriceCacheOptions, RedisClient } from '@trading-platform/redis-client';
import { fillFromEvent } from './book.js';
import type { PnlBook } from './book.js';

/** Where positions come from durably: a consumer group on the positions stream. */
export interface DurableSource {
  /** The stream the gateway appends `positions.updated` to (same Redis as the service's client). */
  stream: EventStream;
  /**
   * This instance's group: one group per P&L service instance. Consumers of one group split its
   * entries, so instances sharing a group would each miss the others' fills.
   */
  group: string;
  /** Its consumer in the group: a name that stays the same across restarts (not a process id), so the group's pending entries stay its own. */
  consumer: string;
}

/** What {@link Feeds.start} needs. */
export interface FeedsOptions {
  redis: RedisClient;
  book: PnlBook;
  durable?: DurableSource | undefined;
  priceCache?: PriceCacheOptions | undefined;
  log: Logger;
  /** Block of the consumer's reads; short so `close()` is quick. @default 1000 */
  blockMs?: number | undefined;
}

/** Entries read per `XRANGE` page of the start-up replay. */
const REPLAY_PAGE_ENTRIES = 500;

/** The running subscriptions and consumer that feed a book. */
export class Feeds {
  readonly #options: FeedsOptions;
  readonly #subscriber: EventSubscriber;
  readonly #prices: PriceCache;
  readonly #asked = new Set<string>();
  #consumer: Consumer<typeof CHANNELS.POSITIONS> | undefined;
  #replayed = 0;
  #invalidFills = 0;
  #unsubscribe: (() => void) | undefined;

  private constructor(options: FeedsOptions) {
    this.#options = options;
    this.#subscriber = new EventSubscriber(options.redis, { logger: options.log });
    this.#prices = new PriceCache(options.redis, { logger: options.log, ...options.priceCache });
  }

  /**
   * Subscribes to prices first (so none is missed while positions load), then loads positions:
   * with a durable source, replays the whole positions stream (each fill keyed by its entry id)
   * and starts the group's consumer, whose deliveries at or before the replay's last entry the
   * book skips; otherwise subscribes to `positions.updated`. Then marks the held symbols from
   * `price:{symbol}` in one read, and from then on each newly held symbol with one read.
   */
  static async start(options: FeedsOptions): Promise<Feeds> {
    const feeds = new Feeds(options);
    try {
      await feeds.#startPrices();
      await feeds.#startPositions();
      // Only now: the replay's symbols are read in one batch, not one read per symbol as they appear.
      const marking = feeds.#markFromCache(options.book.heldSymbols());
      feeds.#markNewlyHeld();
      await marking;
    } catch (error) {
      await feeds.stop();
      throw error;
    }
    return feeds;
  }

  /** `stream` or `pubsub`. */
  get source(): 'stream' | 'pubsub' {
    return this.#options.durable ? 'stream' : 'pubsub';
  }

  /** Fills read by the start-up replay of the stream. */
  get replayed(): number {
    return this.#replayed;
  }

  /** Fills the book refused (unusable price or quantities), logged at warn. */
  get invalidFills(): number {
    return this.#invalidFills;
  }

  /** The stream consumer's counters, or `null` on pub/sub. */
  consumerStats(): ConsumerStats | null {
    return this.#consumer?.stats() ?? null;
  }

  /** Stops the consumer (its batch in progress is acknowledged) and the subscriptions. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#consumer?.stop();
    await this.#subscriber.close();
  }

  async #startPrices(): Promise<void> {
    const { book, log } = this.#options;
    this.#subscriber.onError((error, context) => log.warn({ err: String(error), channel: context.channel }, 'price or fill handler failed'));
    await this.#subscriber.onPattern(PriceUpdateEvent.pattern, (quote) => void book.applyPrice(quote.symbol, quote.price, quote.date.getTime()));
  }

  /** A symbol that becomes held without a mark yet: its cached price, once. */
  #markNewlyHeld(): void {
    const book = this.#options.book;
    this.#unsubscribe = book.onChange((change) => {
      if (change.kind !== 'fill' || book.mark(change.symbol) !== undefined || this.#asked.has(change.symbol)) return;
      this.#markFromCache([change.symbol]).catch((error: unknown) => this.#options.log.warn({ err: String(error) }, 'cached price read failed'));
    });
  }

  async #startPositions(): Promise<void> {
    const durable = this.#options.durable;
    if (durable === undefined) {
      await this.#subscriber.on(CHANNELS.POSITIONS, (event) => this.#apply(event));
      return;
    }
    await this.#replay(durable.stream.streamKey(CHANNELS.POSITIONS));
    this.#consumer = durable.stream.consume({
      channels: [CHANNELS.POSITIONS],
      group: durable.group,
      consumer: durable.consumer,
      // A new group starts at the stream's beginning: entries the replay read are skipped, none after it is missed.
      startId: '0',
      blockMs: this.#options.blockMs ?? 1000,
      handler: ({ event, streamId }) => this.#apply(event, streamId),
      onError: (error, stage) => this.#options.log.warn({ err: String(error), stage }, 'positions stream consumer error'),
    });
    await this.#consumer.ready();
  }

  /** Reads the positions stream from its first entry to its last, in pages, into the book. */
  async #replay(key: string): Promise<void> {
    const { redis, log } = this.#options;
    let start = '-';
    for (;;) {
      const entries = await redis.streams.range(key, start, '+', REPLAY_PAGE_ENTRIES);
      for (const entry of entries) {
        let event: PositionEvent;
        try {
          event = PositionEvent.fromJSON(entry.fields[ENTRY_FIELDS.EVENT] ?? '');
        } catch (error) {
          log.warn({ key, id: entry.id, err: String(error) }, 'replay skipped an entry that is not a position event');
          continue;
        }
        this.#apply(event, entry.id);
        this.#replayed += 1;
      }
      const last = entries.at(-1);
      if (last === undefined || entries.length < REPLAY_PAGE_ENTRIES) return;
      start = `(${last.id}`;
    }
  }

  #apply(event: PositionEvent, streamId?: string): void {
    try {
      this.#options.book.applyFill(fillFromEvent(event, streamId));
    } catch (error) {
      // Never retried: the same entry would fail the same way.
      this.#invalidFills += 1;
      this.#options.log.warn({ err: String(error), symbol: event.symbol, streamId }, 'fill refused by the book');
    }
  }

  async #markFromCache(symbols: readonly string[]): Promise<void> {
    const valid = symbols.filter((symbol) => {
      this.#asked.add(symbol);
      try {
        this.#prices.key(symbol);
        return true;
      } catch {
        return false;
      }
    });
    if (valid.length === 0) return;
    const now = Date.now();
    const cached = await this.#prices.getMany(valid);
    for (const [symbol, price] of cached) {
      // A stored quote is as fresh as its own timestamp, not as the moment it was read.
      if (price !== null) this.#options.book.applyPrice(symbol, price.mid, price.timestampMs, Math.min(now, price.timestampMs));
    }
  }
}
