/**
 * `EventPublisher`: validated, typed publishing of platform events with the Python publisher's
 * contract (receiver count, or `null` when Redis failed; each publish logged as upstream does),
 * an optional outage buffer replayed in order when the client is ready again (configurable from
 * the environment), and an optional durable stream fed by the same call.
 */
import { dc, traced, tracedFully, traceRejected, traceResolved, traceThrew } from '../diagnostics/channels.js';
import type { PublishContext } from '../diagnostics/payloads.js';
import { trackLive, type LivePublisher } from '../diagnostics/live.js';
import { RedisClosedError } from '../internal/errors.js';
import type { RedisEnv } from '../client/env.js';
import { componentLogger, silentLogger } from '../internal/logger.js';
import type { Logger } from '../internal/logger.js';
import { channelLabel } from './channel-label.js';
import { CHANNELS } from './channels.js';
import type { AnyEvent, Channel, EventOf, InitOf } from './channels.js';
import { assertEventForChannel, eventForChannel } from './event-input.js';
import type { OrderEvent } from './order-event.js';
import type { PositionEvent } from './position-event.js';
import { PriceUpdateEvent } from './price-update-event.js';
import type { PriceUpdateEventInit } from './schemas.js';
import { InFlight } from './in-flight.js';
import { bufferUnderEnv, DEFAULT_REPLAY_INTERVAL_MS, PublishBuffer } from './publish-buffer.js';
import { PublishTally } from './publish-tally.js';
import { RetryTimer } from '../internal/backoff.js';
import type { EventPublisherEnvOptions, EventPublisherOptions, EventStreamSink, PublisherClient, PublisherStats } from './publisher-types.js';
import type { SignalEvent } from './signal-event.js';

export { HIGH_FREQUENCY_CHANNEL_PREFIXES } from './publisher-types.js';
export type { EventPublisherEnvOptions, EventPublisherOptions, EventStreamSink, PublisherClient, PublisherStats } from './publisher-types.js';

/**
 * Delays of the retry a publisher schedules when events stay buffered while the client is ready
 * (a timeout on a slow server: no `ready` event will come to replay them). Doubles from
 * `baseDelayMs` after each failed replay, up to `maxDelayMs` (the buffer's `replayIntervalMs`,
 * when given). Internal.
 */
export const PUBLISH_RETRY = Object.freeze({ baseDelayMs: 100, maxDelayMs: DEFAULT_REPLAY_INTERVAL_MS });

/**
 * Publishes typed events. Every event is checked before anything is sent: it must be an
 * instance of the class carried on the channel, with that `event_type`; its cached wire JSON is
 * what goes out.
 *
 * Ordering with a buffer: while the buffer holds events, new events are appended behind them
 * (their call resolves `null`: not published yet) and a replay is started if the client is
 * ready, so no event overtakes a buffered one. Replays run one PUBLISH at a time, oldest first,
 * start on every client `ready` and stop at the first failure. Events left in the buffer while the
 * client stays ready (a timed-out PUBLISH on a slow server) are retried by an unref'd timer with
 * capped exponential backoff, so they never wait for traffic that may not come. Events already in flight when a
 * failure happens join the buffer in the order their failures are reported.
 *
 * The persisted buffer (`buffer.persistPath`) is read synchronously by the constructor.
 *
 * Logging follows upstream `EventPublisher.publish`: each published event is logged as
 * `Published <event_type> to '<channel>' (<n> subscribers)`, at `info` on the business channels
 * and at `debug` on the high-frequency ones ({@link HIGH_FREQUENCY_CHANNEL_PREFIXES}). Replayed
 * events are summed up in one `info` line per replay. Nothing is formatted without a logger.
 *
 * @example
 * const publisher = new EventPublisher(client, { buffer: { persistPath: './events.buffer' } });
 * const receivers = await publisher.publishSignalEvent({
 *   strategyId: 'alpha_baseline', symbols: ['AAPL'], numSignals: 1, asOfDate: '2025-01-17',
 * }); // number of subscribers, or null (Redis failed; buffered)
 */
export class EventPublisher {
  readonly #client: PublisherClient;
  readonly #log: Logger;
  readonly #buffer: PublishBuffer | undefined;
  readonly #stream: EventStreamSink | undefined;
  readonly #onReady = (): void => void this.flush();
  /** Replays a buffer left behind while the client stays ready (no `ready` event will come). */
  readonly #retry: RetryTimer;
  /** Whether a logger was given: without one, publishes skip formatting their log line. */
  readonly #logsPublishes: boolean;
  /** Counts, logs and reports each event's fate. */
  readonly #tally: PublishTally;
  /** Counts a live publish that Redis acknowledged; one function for every call, not a closure each. */
  readonly #onPublished = (receivers: number): number => {
    this.#tally.published();
    this.#inFlight.end();
    return receivers;
  };
  /** Leaves the live-object registry (with a buffer, the publisher reports its depth at scrape time). */
  readonly #untrack: (() => void) | undefined;
  /** Live PUBLISHes and stream appends not settled yet; `close()` waits for them. */
  readonly #inFlight = new InFlight();
  /** True from the start of a replay to the synchronous step that ends it. */
  #replaying = false;
  #draining: Promise<number> = Promise.resolve(0);
  #closed = false;

  /**
   * @throws {ConfigError} for invalid buffer options.
   */
  constructor(client: PublisherClient, options: EventPublisherOptions = {}) {
    this.#client = client;
    this.#log = componentLogger(options.logger, 'event-publisher');
    this.#logsPublishes = this.#log !== silentLogger;
    this.#stream = options.stream;
    const buffer = options.buffer === true ? {} : options.buffer === false ? undefined : options.buffer;
    this.#buffer = buffer === undefined ? undefined : new PublishBuffer(buffer, this.#log);
    this.#tally = new PublishTally(this.#log, this.#buffer);
    this.#untrack = this.#buffer ? trackLive(this, EventPublisher.#live) : undefined;
    const interval = this.#buffer?.replayIntervalMs ?? PUBLISH_RETRY.maxDelayMs;
    this.#retry = new RetryTimer(this.#onReady, Math.min(PUBLISH_RETRY.baseDelayMs, interval), interval);
    if (this.#buffer) {
      client.on('ready', this.#onReady);
      if (this.#buffer.size > 0 && client.isReady) void this.flush();
    }
  }

  /**
   * A publisher with an outage buffer, configured by the upstream variables
   * `REDIS_FALLBACK_BUFFER_MAX_SIZE`, `REDIS_FALLBACK_BUFFER_PATH` and
   * `REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS` (see `publishBufferFromEnv`) over `options.buffer`
   * and the defaults: it always buffers, as the Python signal service does.
   *
   * @example
   * ```ts
   * const publisher = EventPublisher.fromEnv(client); // process.env
   * ```
   * @throws {ConfigError} naming the variable (or option) with a bad value.
   */
  static fromEnv(client: PublisherClient, env: RedisEnv = process.env, options: EventPublisherEnvOptions = {}): EventPublisher {
    return new EventPublisher(client, { ...options, buffer: bufferUnderEnv(options.buffer, env) });
  }

  /**
   * Publishes `event` on `channel`. Resolves the number of receivers, or `null` when Redis
   * failed (the event is buffered when a buffer is configured) or the event was queued behind
   * buffered events.
   *
   * @throws {ValidationError} (as a rejection, nothing sent) when `event` is not an instance of
   * the channel's class or carries another `event_type`.
   * @throws {RedisClosedError} after {@link close}.
   * @see https://redis.io/commands/publish/
   */
  publish<C extends Channel>(channel: C, event: EventOf<C>): Promise<number | null> {
    // Not an async function: the hot path is one check and the client's promise mapped once.
    // Refusals still reject (never throw), as they did from an async function.
    if (this.#closed) return Promise.reject(closedError());
    let checked: EventOf<C>;
    try {
      checked = assertEventForChannel(channel, event);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return this.#send(channel, checked);
  }

  /** Publishes a {@link SignalEvent}, given as an instance or as a camelCase init (validated here). */
  async publishSignalEvent(event: SignalEvent | InitOf<'signals.generated'>): Promise<number | null> {
    return this.#publishInput(CHANNELS.SIGNALS, event);
  }

  /** Publishes an {@link OrderEvent}, given as an instance or as a camelCase init (validated here). */
  async publishOrderEvent(event: OrderEvent | InitOf<'orders.executed'>): Promise<number | null> {
    return this.#publishInput(CHANNELS.ORDERS, event);
  }

  /** Publishes a {@link PositionEvent}, given as an instance or as a camelCase init (validated here). */
  async publishPositionEvent(event: PositionEvent | InitOf<'positions.updated'>): Promise<number | null> {
    return this.#publishInput(CHANNELS.POSITIONS, event);
  }

  /** Publishes a {@link PriceUpdateEvent} on `price.updated.{symbol}`, given as an instance or as a camelCase init (validated here). */
  async publishPriceUpdate(event: PriceUpdateEvent | PriceUpdateEventInit): Promise<number | null> {
    if (this.#closed) throw closedError();
    const built = event instanceof PriceUpdateEvent ? event : new PriceUpdateEvent(event);
    return this.publish(built.channel, built);
  }

  #publishInput<C extends Channel>(channel: C, input: EventOf<C> | InitOf<C>): Promise<number | null> {
    if (this.#closed) throw closedError();
    return this.#send(channel, eventForChannel(channel, input));
  }

  #send(channel: Channel, event: AnyEvent): Promise<number | null> {
    const wire = event.toWire();
    const sent =
      this.#buffer && (this.#buffer.size > 0 || this.#replaying)
        ? Promise.resolve(this.#enqueue(channel, wire))
        : this.#publishLive(channel, wire, event.eventType);
    if (!this.#stream) return sent;
    return Promise.all([sent, this.#appendToStream(this.#stream, event)]).then(firstOfPair);
  }

  #publishLive(channel: Channel, wire: string, eventType: string): Promise<number | null> {
    if (traced(dc.publish) || dc.publishOutcome.hasSubscribers) return this.#publishObserved(channel, wire, eventType);
    let reply: Promise<number>;
    try {
      reply = this.#client.publish(channel, wire);
    } catch (err) {
      return Promise.resolve(this.#publishFailed(err, channel, wire));
    }
    this.#inFlight.begin();
    const onPublished = this.#logsPublishes
      ? (receivers: number): number => {
          this.#tally.logPublished(channel, eventType, receivers);
          return this.#onPublished(receivers);
        }
      : this.#onPublished;
    return reply.then(onPublished, (err: unknown) => this.#liveFailed(err, channel, wire));
  }

  /**
   * {@link #publishLive} while someone listens: the PUBLISH traced on `publisher:publish` (its end
   * published from these handlers, no promise added) and its outcome reported.
   */
  #publishObserved(channel: Channel, wire: string, eventType: string): Promise<number | null> {
    const tc = dc.publish;
    let trace: PublishContext | undefined = traced(tc) ? { channel: channelLabel(channel), startedAt: performance.now() } : undefined;
    let reply: Promise<number>;
    try {
      if (trace !== undefined && tracedFully(tc)) {
        const context = trace;
        trace = undefined;
        reply = tc.tracePromise(() => this.#client.publish(channel, wire), context);
      } else reply = this.#client.publish(channel, wire);
    } catch (err) {
      if (trace !== undefined) traceThrew(tc, trace, err);
      return Promise.resolve(this.#publishFailed(err, channel, wire));
    }
    this.#inFlight.begin();
    return reply.then(
      (receivers) => {
        if (trace !== undefined) traceResolved(tc, trace, receivers);
        if (this.#logsPublishes) this.#tally.logPublished(channel, eventType, receivers);
        this.#onPublished(receivers);
        this.#tally.report(channel, 'published');
        return receivers;
      },
      (err: unknown) => {
        if (trace !== undefined) traceRejected(tc, trace, err);
        return this.#liveFailed(err, channel, wire);
      },
    );
  }

  /** A live PUBLISH failed: buffered (when asked) before it counts as settled, as close() persists once the last send settled. */
  #liveFailed(err: unknown, channel: Channel, wire: string): null {
    const result = this.#publishFailed(err, channel, wire);
    this.#inFlight.end();
    return result;
  }

  #publishFailed(err: unknown, channel: Channel, wire: string): null {
    if (!this.#tally.failed(err, channel) || !this.#buffer) return null;
    this.#buffer.push({ channel, wire });
    this.#tally.report(channel, 'buffered');
    this.#retryLater();
    return null;
  }

  /** Schedules a replay when the client is ready; when it is not, its `ready` event replays. */
  #retryLater(): void {
    if (!this.#closed && this.#client.isReady) this.#retry.schedule();
  }

  #enqueue(channel: Channel, wire: string): null {
    this.#buffer?.push({ channel, wire });
    this.#tally.report(channel, 'buffered');
    if (!this.#replaying && this.#client.isReady) void this.flush();
    return null;
  }

  async #appendToStream(stream: EventStreamSink, event: AnyEvent): Promise<void> {
    this.#inFlight.begin();
    try {
      await stream.append(event);
    } catch (err) {
      this.#tally.streamFailed(err, event);
    } finally {
      this.#inFlight.end();
    }
  }

  /**
   * Replays buffered events now, oldest first, one at a time, stopping at the first
   * connection-level failure (an event Redis refuses is dropped and counted in `rejected`).
   * Resolves how many this replay published; joins a replay already running. Never rejects.
   */
  flush(): Promise<number> {
    if (this.#replaying) return this.#draining;
    if (!this.#buffer || this.#buffer.size === 0 || this.#closed) return Promise.resolve(0);
    this.#draining = this.#drain(this.#buffer);
    return this.#draining;
  }

  async #drain(buffer: PublishBuffer): Promise<number> {
    this.#replaying = true;
    let count = 0;
    for (let entry = buffer.peek(); entry && !this.#closed; entry = buffer.peek()) {
      try {
        await this.#client.publish(entry.channel, entry.wire);
      } catch (err) {
        // A refusal is final (it would block every later event forever): the entry leaves before it is reported.
        const drop = (): void => {
          if (buffer.peek() === entry) buffer.shift();
        };
        if (this.#tally.failed(err, entry.channel, drop)) break;
        continue;
      }
      // A full buffer may have dropped the head while it was in flight: never shift another entry.
      if (buffer.peek() === entry) buffer.shift();
      count += 1;
      this.#tally.replayed(entry.channel);
    }
    // Reset in the same synchronous step as the last check, so a publish never sees a finished drain.
    this.#replaying = false;
    if (count > 0) this.#retry.reset();
    if (buffer.size > 0) this.#retryLater();
    if (count > 0) this.#log.info({ replayed: count, remaining: buffer.size }, 'replayed buffered events');
    return count;
  }

  /** Counters since creation. */
  stats(): PublisherStats {
    return this.#tally.stats();
  }

  static #live(publisher: EventPublisher): LivePublisher | undefined {
    const buffer = publisher.#buffer;
    return buffer && { kind: 'publisher', bufferedEvents: buffer.size, maxQueuedEvents: buffer.maxQueuedEvents };
  }

  /**
   * Refuses later publishes, stops replaying, detaches from the client (which stays open: you
   * own it), waits for the publishes and stream appends already in flight (a failed one is
   * buffered) and, with a `persistPath`, resolves once the buffer is on disk. Idempotent.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#untrack?.();
    this.#retry.cancel();
    this.#client.off('ready', this.#onReady);
    await this.#inFlight.idle();
    await this.#draining;
    await this.#buffer?.persisted();
  }
}

function closedError(): RedisClosedError {
  return new RedisClosedError('publish refused: the EventPublisher is closed');
}

function firstOfPair<T>(pair: readonly [T, unknown]): T {
  return pair[0];
}
