/**
 * `EventSubscriber`: typed consumption of platform events over a dedicated pub/sub connection,
 * with invalid messages and handler failures reported instead of stopping delivery.
 */
import { dc } from '../diagnostics/channels.js';
import type { SubscriberOutcome } from '../diagnostics/payloads.js';
import { errorMessage } from '../internal/error-text.js';
import { integerOption, renamedOption } from '../internal/config.js';
import { ConfigError, RedisClosedError, ValidationError } from '../internal/errors.js';
import { componentLogger } from '../internal/logger.js';
import type { Logger } from '../internal/logger.js';
import type { RedisClient } from '../client/redis-client.js';
import { BoundedQueue } from './bounded-queue.js';
import { channelLabel, patternLabel } from './channel-label.js';
import type { EventIterator } from './bounded-queue.js';
import { checkChannel, isChannel } from './channels.js';
import type { AnyEvent, Channel, EventOf, EventOfPattern } from './channels.js';
import { parseEvent, parseEventForChannel } from './parse.js';
import { REGISTRY } from './registry.js';
import { SUBSCRIBER_DEFAULTS } from './subscriber-types.js';
import type {
  EventHandler,
  SubscriberStreamOptions,
  EventSubscriberOptions,
  HandlerErrorHandler,
  InvalidMessageHandler,
  MessageMeta,
  SubscriberStats,
  Unsubscribe,
} from './subscriber-types.js';

type Kind = 'channel' | 'pattern';
type AnyHandler = EventHandler<AnyEvent>;
interface Subscription {
  readonly handlers: Set<AnyHandler>;
  readonly active: Promise<void>;
}


/**
 * Subscribes to platform events. It opens its own connection (`client.duplicate()`) on the first
 * subscription; node-redis subscribes it again after every reconnect. That connection keeps the
 * client's idle PING, so a quiet channel is not mistaken for a dead link by `socketTimeoutMs`
 * while a half-open one still is (PING is allowed in subscribed mode, RESP3 and RESP2 alike). Messages are
 * parsed once into event class instances; a message that is not a valid event goes to
 * {@link onInvalid} handlers, and a handler that throws or rejects goes to {@link onError}
 * handlers (logged when there are none). Either way delivery continues. Handlers are called as
 * messages arrive and are not awaited: use {@link stream} for one-at-a-time consumption.
 * Pub/sub is at-most-once: events published while the connection is down are not received.
 *
 * @example
 * const subscriber = new EventSubscriber(client);
 * await subscriber.on('orders.executed', (order) => {
 *   if (order.numRejected > 0) alert(order.runId);
 * });
 */
export class EventSubscriber {
  readonly #client: RedisClient;
  readonly #log: Logger;
  readonly #maxQueuedEvents: number;
  readonly #tables: Record<Kind, Map<string, Subscription>> = { channel: new Map(), pattern: new Map() };
  readonly #invalidHandlers = new Set<InvalidMessageHandler>();
  readonly #errorHandlers = new Set<HandlerErrorHandler>();
  readonly #streams = new Set<{ close(): Promise<void> }>();
  #connection: Promise<RedisClient> | undefined;
  #ops: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #stats: SubscriberStats = { received: 0, invalid: 0, handlerErrors: 0, dropped: 0 };

  /** @throws {ConfigError} when `maxQueuedEvents` (or its alias `queueSize`) is not a positive integer, naming the one given. */
  constructor(client: RedisClient, options: EventSubscriberOptions = {}) {
    this.#client = client;
    this.#log = componentLogger(options.logger, 'event-subscriber');
    const [maxQueuedEvents, name] = renamedOption(options.maxQueuedEvents, 'maxQueuedEvents', options.queueSize, 'queueSize');
    this.#maxQueuedEvents = integerOption(maxQueuedEvents, SUBSCRIBER_DEFAULTS.maxQueuedEvents, name);
  }

  /**
   * Calls `handler` with each valid event published on `channel`, as an instance of that
   * channel's class. Resolves once Redis confirmed the subscription.
   *
   * @returns a function that removes this handler (and unsubscribes after the last one).
   * @throws {ValidationError} for an unknown channel; {@link RedisConnectionError} or another
   * SDK error when the connection or the SUBSCRIBE fails; {@link RedisClosedError} after close.
   * @see https://redis.io/commands/subscribe/
   */
  async on<C extends Channel>(channel: C, handler: EventHandler<EventOf<C>>): Promise<Unsubscribe> {
    return this.#add('channel', checkChannel(channel), handler as AnyHandler);
  }

  /**
   * Calls `handler` with each valid event on channels matching the glob `pattern`. The pattern of
   * a channel family (`PriceUpdateEvent.pattern`, `price.updated.*`) delivers that family's class,
   * typed: every message is read as one, whatever channel matched. Any other pattern delivers
   * `AnyEvent`: on a platform channel the message is read as that channel's class, elsewhere its
   * class is chosen by `event_type`.
   *
   * @example
   * await subscriber.onPattern(PriceUpdateEvent.pattern, (quote, meta) => console.log(meta.channel, quote.price));
   * @see https://redis.io/commands/psubscribe/
   */
  async onPattern<P extends string>(pattern: P, handler: EventHandler<EventOfPattern<P>>): Promise<Unsubscribe> {
    if (typeof pattern !== 'string' || pattern === '') throw new ConfigError('pattern must be a non-empty string');
    return this.#add('pattern', pattern, handler as AnyHandler);
  }

  /** Receives every message that is not JSON or not a valid event. Returns a remover. */
  onInvalid(handler: InvalidMessageHandler): () => void {
    this.#invalidHandlers.add(handler);
    return () => void this.#invalidHandlers.delete(handler);
  }

  /** Receives errors thrown or rejected by event handlers. Returns a remover. */
  onError(handler: HandlerErrorHandler): () => void {
    this.#errorHandlers.add(handler);
    return () => void this.#errorHandlers.delete(handler);
  }

  /**
   * The events of `channel` as an async iterator with a bounded queue (when full, the oldest
   * waiting event is dropped and counted). Resolves once subscribed; ends on `close()` or `break`.
   *
   * @throws {ConfigError} (as a rejection) when `maxQueuedEvents` (or its alias `maxQueue`) is not
   * a positive integer, naming the one given.
   *
   * @example
   * for await (const order of await subscriber.stream('orders.executed', { maxQueuedEvents: 100 })) handle(order);
   */
  async stream<C extends Channel>(channel: C, options: SubscriberStreamOptions = {}): Promise<EventIterator<EventOf<C>>> {
    const [value, name] = renamedOption(options.maxQueuedEvents, 'maxQueuedEvents', options.maxQueue, 'maxQueue');
    const maxQueuedEvents = integerOption(value, this.#maxQueuedEvents, name);
    const queue = new BoundedQueue<EventOf<C>>(maxQueuedEvents, () => {
      this.#stats.dropped += 1;
      this.#note('channel', channel, 'dropped');
    });
    const unsubscribe = await this.on(channel, (event) => queue.push(event));
    this.#streams.add(queue);
    queue.setOnClose(async () => {
      this.#streams.delete(queue);
      await unsubscribe();
    });
    // close() may have run while SUBSCRIBE was in flight.
    if (this.#closed) await queue.close();
    return queue;
  }

  async #add(kind: Kind, key: string, handler: AnyHandler): Promise<Unsubscribe> {
    if (this.#closed) throw new RedisClosedError('subscribe refused: the EventSubscriber is closed');
    const table = this.#tables[kind];
    let sub = table.get(key);
    if (!sub) {
      sub = { handlers: new Set(), active: this.#serial(() => this.#subscribe(kind, key)) };
      table.set(key, sub);
    }
    sub.handlers.add(handler);
    try {
      await sub.active;
    } catch (err) {
      sub.handlers.delete(handler);
      if (sub.handlers.size === 0 && table.get(key) === sub) table.delete(key);
      throw err;
    }
    let removed = false;
    return async () => {
      if (removed) return;
      removed = true;
      await this.#remove(kind, key, sub, handler);
    };
  }

  async #remove(kind: Kind, key: string, sub: Subscription, handler: AnyHandler): Promise<void> {
    sub.handlers.delete(handler);
    const table = this.#tables[kind];
    if (sub.handlers.size > 0 || table.get(key) !== sub || this.#closed) return;
    table.delete(key);
    try {
      await this.#serial(async () => {
        const connection = await this.#connect();
        await (kind === 'channel' ? connection.unsubscribe([key]) : connection.punsubscribe([key]));
      });
    } catch (err) {
      this.#log.warn({ err: errorMessage(err), [kind]: key }, 'unsubscribe failed');
    }
  }

  /** Runs subscription commands one after another, so SUBSCRIBE and UNSUBSCRIBE never reorder. */
  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#ops.then(op, op);
    this.#ops = run.catch(() => undefined);
    return run;
  }

  async #subscribe(kind: Kind, key: string): Promise<void> {
    const connection = await this.#connect();
    if (kind === 'channel') await connection.subscribe([key], (raw, channel) => this.#dispatch(kind, key, raw, { channel }));
    else await connection.psubscribe([key], (raw, channel) => this.#dispatch(kind, key, raw, { channel, pattern: key }));
  }

  #connect(): Promise<RedisClient> {
    this.#connection ??= this.#client
      .duplicate({ component: 'subscriber' })
      .connect()
      .catch((err: unknown) => {
        this.#connection = undefined;
        throw err;
      });
    return this.#connection;
  }

  #dispatch(kind: Kind, key: string, raw: string, meta: MessageMeta): void {
    this.#stats.received += 1;
    this.#note(kind, key, 'received');
    const sub = this.#tables[kind].get(key);
    if (!sub || sub.handlers.size === 0) return;
    let event: AnyEvent;
    try {
      const family = kind === 'pattern' ? REGISTRY.byFamilyPattern(key) : undefined;
      if (family !== undefined) event = family.event.fromJSON(raw, meta.channel);
      else event = isChannel(meta.channel) ? parseEventForChannel(meta.channel, raw) : parseEvent(raw);
    } catch (err) {
      this.#reportInvalid(raw, meta, err);
      this.#note(kind, key, 'invalid');
      return;
    }
    for (const handler of [...sub.handlers]) this.#invoke(handler, event, meta, kind, key);
  }

  /** Reports a message's outcome on `trading-platform:subscriber:message`, labelled by its subscription. */
  #note(kind: Kind, key: string, outcome: SubscriberOutcome): void {
    if (dc.subscriberMessage.hasSubscribers) dc.subscriberMessage.publish({ channel: kind === 'channel' ? channelLabel(key) : patternLabel(key), outcome });
  }

  #invoke(handler: AnyHandler, event: AnyEvent, meta: MessageMeta, kind: Kind, key: string): void {
    try {
      const result = handler(event, meta);
      if (result !== undefined && typeof result.then === 'function') {
        result.then(undefined, (err: unknown) => this.#reportHandlerError(err, event, meta, kind, key));
      }
    } catch (err) {
      this.#reportHandlerError(err, event, meta, kind, key);
    }
  }

  #reportInvalid(raw: string, meta: MessageMeta, err: unknown): void {
    this.#stats.invalid += 1;
    const error = err instanceof ValidationError ? err : new ValidationError('event', [{ path: '', message: errorMessage(err, true) }], { cause: err });
    if (this.#invalidHandlers.size === 0) {
      this.#log.warn({ ...meta, err: error.message }, 'invalid event message dropped');
      return;
    }
    const message = { ...meta, raw, error, issues: error.issues };
    for (const handler of [...this.#invalidHandlers]) {
      try {
        handler(message);
      } catch (handlerErr) {
        this.#log.error({ ...meta, err: errorMessage(handlerErr) }, 'onInvalid handler threw');
      }
    }
  }

  #reportHandlerError(err: unknown, event: AnyEvent, meta: MessageMeta, kind: Kind, key: string): void {
    this.#stats.handlerErrors += 1;
    this.#note(kind, key, 'handler_error');
    if (this.#errorHandlers.size === 0) {
      this.#log.error({ ...meta, eventId: event.eventId, err: errorMessage(err) }, 'event handler failed');
      return;
    }
    for (const handler of [...this.#errorHandlers]) {
      try {
        handler(err, { ...meta, event });
      } catch (handlerErr) {
        this.#log.error({ ...meta, err: errorMessage(handlerErr) }, 'onError handler threw');
      }
    }
  }

  /** Counters since creation. */
  stats(): SubscriberStats {
    return { ...this.#stats };
  }

  /** Ends every stream, unsubscribes everything and closes the dedicated connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#streams].map((queue) => queue.close()));
    const channels = [...this.#tables.channel.keys()];
    const patterns = [...this.#tables.pattern.keys()];
    this.#tables.channel.clear();
    this.#tables.pattern.clear();
    await this.#ops;
    const connection = await this.#connection?.catch(() => undefined);
    if (!connection) return;
    try {
      if (connection.isReady && channels.length > 0) await connection.unsubscribe(channels);
      if (connection.isReady && patterns.length > 0) await connection.punsubscribe(patterns);
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, 'unsubscribe on close failed');
    }
    await connection.close();
  }

  /** `await using subscriber = ...` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
