/**
 * `Orchestrator`: the paper-trading loop. It listens on the three channels; on
 * `signals.generated` it fetches the day's signals from the signal service (features now come
 * from the cache) and sends their target weights to the gateway; its own book follows the
 * `positions.updated` fills and is marked to market at each day's closes.
 */
import { CHANNELS, EventSubscriber } from '@trading-platform/redis-client';
import type { Channel, Consumer, EventStream, OrderEvent, PositionEvent, RedisClient, SignalEvent } from '@trading-platform/redis-client';
import { postJson } from '../../lib/http.js';
import type { OrderResponse } from '../../execution-gateway/src/app.js';
import type { SignalResponse } from '../../signal-service/src/app.js';
import type { MarketData } from '../../shared/index.js';
import { PaperBook } from './book.js';
import type { Mark } from './book.js';
import { Waiter } from './waiter.js';

/** Where the orchestrator also reads the durable copies of order and position events. */
export interface DurableSource {
  stream: EventStream;
  group: string;
  consumer: string;
}

/** Options of {@link Orchestrator.start}. */
export interface OrchestratorOptions {
  /** Redis client; the subscriber opens its own connection from it. */
  redis: RedisClient;
  /** Base URL of the signal service, e.g. `http://127.0.0.1:8000`. */
  signalServiceUrl: string;
  /** Base URL of the execution gateway. */
  gatewayUrl: string;
  marketData: MarketData;
  /** Notional capital the target weights apply to. */
  capital: number;
  /** Consume the order and position streams with a consumer group too (real Redis only). */
  durable?: DurableSource;
  /** Receives one line per thing worth showing. @default ignore */
  print?: (line: string) => void;
  /** Bound on each wait for events. @default 10000 */
  timeoutMs?: number;
}

/** How the signal service got a request's features: cache hits, computed misses, joined computations. */
export type CacheUse = SignalResponse['metadata']['cache'];

/** What one trading day did. */
export interface DayReport {
  date: string;
  /** Cache use of the scheduled generation. */
  generated: CacheUse;
  /** Cache use of the orchestrator's fetch of the same signals after the event. */
  refetched: CacheUse;
  orders: OrderResponse;
  mark: Mark;
}

interface Day {
  handled: boolean;
  resolve: (value: { refetched: SignalResponse; orders: OrderResponse }) => void;
  reject: (error: unknown) => void;
}

type Counts = Record<Channel, number>;
const zero = (): Counts => ({ [CHANNELS.SIGNALS]: 0, [CHANNELS.ORDERS]: 0, [CHANNELS.POSITIONS]: 0 });

/** The paper-trading loop; create with {@link Orchestrator.start}. */
export class Orchestrator {
  readonly #options: OrchestratorOptions;
  readonly #print: (line: string) => void;
  readonly #timeoutMs: number;
  readonly #subscriber: EventSubscriber;
  readonly #book: PaperBook;
  readonly #waiter = new Waiter();
  readonly #days = new Map<string, Day>();
  readonly #seen = zero();
  readonly #durableSeen = zero();
  #consumer: Consumer | undefined;
  #applied = 0;

  private constructor(options: OrchestratorOptions) {
    this.#options = options;
    this.#print = options.print ?? (() => undefined);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#subscriber = new EventSubscriber(options.redis);
    this.#book = new PaperBook(options.capital, options.marketData);
  }

  /** Subscribes to the three channels (and starts the stream consumer); resolves when listening. */
  static async start(options: OrchestratorOptions): Promise<Orchestrator> {
    const orchestrator = new Orchestrator(options);
    await orchestrator.#listen();
    return orchestrator;
  }

  async #listen(): Promise<void> {
    this.#subscriber.onError((error, context) => this.#print(`handler error on ${context.channel}: ${String(error)}`));
    await this.#subscriber.on(CHANNELS.SIGNALS, (event) => this.#onSignals(event));
    await this.#subscriber.on(CHANNELS.ORDERS, (event) => this.#onOrders(event));
    await this.#subscriber.on(CHANNELS.POSITIONS, (event) => this.#onPosition(event));
    const durable = this.#options.durable;
    if (durable) {
      this.#consumer = durable.stream.consume({
        channels: [CHANNELS.ORDERS, CHANNELS.POSITIONS],
        group: durable.group,
        consumer: durable.consumer,
        startId: '$',
        blockMs: 500,
        handler: ({ channel }) => {
          this.#durableSeen[channel] += 1;
          this.#waiter.notify();
        },
      });
      await this.#consumer.ready();
    }
  }

  #onSignals(event: SignalEvent): void {
    this.#seen[CHANNELS.SIGNALS] += 1;
    const day = this.#days.get(event.asOfDate);
    const echo = day === undefined || day.handled;
    this.#print(`  [${CHANNELS.SIGNALS}] ${event.strategyId} ${event.asOfDate}: ${event.numSignals} signals${echo ? ' (already handled: ignored)' : ''}`);
    if (echo) return;
    day.handled = true;
    this.#trade(event).then(day.resolve, day.reject);
  }

  async #trade(event: SignalEvent): Promise<{ refetched: SignalResponse; orders: OrderResponse }> {
    const { signalServiceUrl, gatewayUrl, capital } = this.#options;
    const refetched = await postJson<SignalResponse>(`${signalServiceUrl}/api/v1/signals/generate`, {
      symbols: event.symbols,
      as_of_date: event.asOfDate,
    });
    const before = this.#applied;
    const orders = await postJson<OrderResponse>(`${gatewayUrl}/api/v1/orders`, {
      strategy_id: event.strategyId,
      capital,
      signals: refetched.signals,
      metadata: refetched.metadata,
    });
    const expected = before + orders.fills.length;
    await this.#waiter.until(() => this.#applied >= expected, `${orders.fills.length} position events`, this.#timeoutMs);
    return { refetched, orders };
  }

  #onOrders(event: OrderEvent): void {
    this.#seen[CHANNELS.ORDERS] += 1;
    this.#print(`  [${CHANNELS.ORDERS}] run ${event.runId.slice(0, 8)}: ${event.numOrders} orders, ${event.numAccepted} accepted, ${event.numRejected} rejected`);
  }

  #onPosition(event: PositionEvent): void {
    this.#seen[CHANNELS.POSITIONS] += 1;
    if (this.#book.apply(event)) this.#applied += 1;
    const qty = event.qtyChange > 0 ? `+${event.qtyChange}` : String(event.qtyChange);
    this.#print(`  [${CHANNELS.POSITIONS}] ${event.symbol.padEnd(5)} ${event.action.padEnd(4)} ${qty.padStart(6)} @ ${event.price} -> ${event.newQty}`);
    this.#waiter.notify();
  }

  /**
   * One trading day: asks the signal service for signals (which publishes `signals.generated`),
   * waits until the event was handled (signals re-fetched, orders filled, fills received), and
   * marks the book at the day's closes.
   */
  async runDay(symbols: readonly string[], date: string): Promise<DayReport> {
    const handled = new Promise<{ refetched: SignalResponse; orders: OrderResponse }>((resolve, reject) => {
      this.#days.set(date, { handled: false, resolve, reject });
    });
    const generated = await postJson<SignalResponse>(`${this.#options.signalServiceUrl}/api/v1/signals/generate`, {
      symbols,
      as_of_date: date,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${CHANNELS.SIGNALS} event handled for ${date} within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    const { refetched, orders } = await Promise.race([handled, timeout]).finally(() => clearTimeout(timer));
    return { date, generated: generated.metadata.cache, refetched: refetched.metadata.cache, orders, mark: this.#book.mark(date) };
  }

  /** Events received per channel over pub/sub. */
  eventCounts(): Readonly<Counts> {
    return { ...this.#seen };
  }

  /** Entries consumed per channel from the durable streams, or `null` without a durable source. */
  durableCounts(): Readonly<Counts> | null {
    return this.#consumer ? { ...this.#durableSeen } : null;
  }

  /** Waits until the stream consumer has caught up with the order and position events seen. */
  async settleDurable(): Promise<void> {
    if (!this.#consumer) return;
    await this.#waiter.until(
      () => this.#durableSeen[CHANNELS.ORDERS] >= this.#seen[CHANNELS.ORDERS] && this.#durableSeen[CHANNELS.POSITIONS] >= this.#seen[CHANNELS.POSITIONS],
      'the stream consumer to catch up',
      this.#timeoutMs,
    );
  }

  /** The book built from position events. */
  get book(): PaperBook {
    return this.#book;
  }

  /** Stops the stream consumer and the subscriber. */
  async stop(): Promise<void> {
    await this.#consumer?.stop();
    await this.#subscriber.close();
  }
}
