/**
 * Durable event delivery over Redis Streams: one stream per channel, appended with `XADD`
 * (trimmed with `MAXLEN ~`), consumed by consumer groups with acknowledgements, retry claims and
 * dead letters, and replayable for rebuilding state. Use it where pub/sub's at-most-once is not
 * enough (orders, positions).
 */
import type { RedisClient } from '../client/redis-client.js';
import type { AnyEvent, Channel, EventOf } from '../events/channels.js';
import { checkChannel } from '../events/channels.js';
import { componentLogger } from '../internal/logger.js';
import type { Logger } from '../internal/logger.js';
import { Consumer } from './consumer.js';
import { deadLetterKeyFor, encodeEntry, streamKeyFor } from './entry.js';
import { resolveConsumeOptions, resolveStreamOptions } from './options.js';
import type { ConsumeOptions, EventStreamOptions } from './options.js';
import { replayStream, resolveReplayOptions } from './replay.js';
import { reportedAppend } from './report.js';
import type { ReplayOptions } from './replay.js';

/**
 * Appends events to per-channel streams and consumes them with consumer groups (at-least-once).
 *
 * @example
 * ```ts
 * const stream = new EventStream(client);
 * await stream.append(new OrderEvent({ runId, strategyId: 'alpha', numOrders: 3, numAccepted: 3, numRejected: 0 }));
 *
 * const consumer = stream.consume({
 *   channels: [CHANNELS.ORDERS],
 *   group: 'risk',
 *   consumer: `risk-${process.pid}`,
 *   handler: async ({ event, eventId }) => { await applyOnce(eventId, event); },
 * });
 * process.on('SIGTERM', () => void consumer.stop());
 * ```
 */
export class EventStream {
  readonly #client: RedisClient;
  readonly #keyPrefix: string;
  readonly #maxEntries: number;
  readonly #log: Logger;

  /** @throws {ConfigError} for invalid options. */
  constructor(client: RedisClient, options: EventStreamOptions = {}) {
    const resolved = resolveStreamOptions(options);
    this.#client = client;
    this.#keyPrefix = resolved.keyPrefix;
    this.#maxEntries = resolved.maxEntries;
    this.#log = componentLogger(options.logger, 'event-stream');
  }

  /** The stream key of `channel`, e.g. `stream:signals.generated`. @throws {ValidationError} for an unknown channel. */
  streamKey(channel: Channel): string {
    return streamKeyFor(this.#keyPrefix, checkChannel(channel));
  }

  /** The dead-letter stream key of `channel`, e.g. `stream:dlq:signals.generated`. @throws {ValidationError} for an unknown channel. */
  deadLetterKey(channel: Channel): string {
    return deadLetterKeyFor(this.#keyPrefix, checkChannel(channel));
  }

  /**
   * Appends `event` to its channel's stream (`XADD key MAXLEN ~ maxEntries * event <json> event_type
   * <type> event_id <id>`) and resolves the entry id. Not retried: a retry could append twice.
   * Unlike `publish`, a Redis error rejects (the caller must know the event was not stored).
   *
   * @throws {ValidationError} before anything is sent, when `event` is not an event class instance.
   * @see https://redis.io/commands/xadd/
   */
  append(event: AnyEvent): Promise<string> {
    let fields: Record<string, string>;
    try {
      fields = encodeEntry(event);
    } catch (error) {
      return Promise.reject(error);
    }
    return reportedAppend(event.channel, this.#client.streams.add(streamKeyFor(this.#keyPrefix, event.channel), fields, { maxEntries: this.#maxEntries }));
  }

  /**
   * Starts a consumer of `options.group` reading `options.channels`. It creates missing groups
   * (`MKSTREAM`), reads with a blocking `XREADGROUP` on its own connection, hands each entry to the
   * handler one at a time, in stream order on first delivery (per stream; a batch holds up to
   * `maxBatchEntries` entries of each stream) while retried and claimed entries come after, out of order
   * (make handlers idempotent and order-tolerant), acknowledges the handled ones with one `XACK` per stream and batch, retries
   * failures through `XAUTOCLAIM` after `claimIdleMs`, and dead-letters an entry after
   * `maxDeliveries` or at once when it is not a valid event. Redis errors never escape: the
   * consumer logs them, reports them to `onError`, and backs off.
   *
   * @throws {ConfigError} for invalid options, {@link ValidationError} for an unknown channel
   * (both before anything is sent).
   */
  consume<C extends Channel>(options: ConsumeOptions<C>): Consumer<C> {
    const resolved = resolveConsumeOptions(options);
    return new Consumer<C>(
      {
        client: this.#client,
        maxEntries: this.#maxEntries,
        log: this.#log,
        streamKey: (channel) => streamKeyFor(this.#keyPrefix, channel),
        deadLetterKey: (channel) => deadLetterKeyFor(this.#keyPrefix, channel),
      },
      resolved,
    );
  }

  /**
   * The events of a channel's stream, oldest first, between `from` and `to` (inclusive), at most
   * `maxEvents`: `XRANGE` in pages of 500, each continuing after the previous page's last id.
   *
   * @example
   * for await (const position of stream.replay({ channel: CHANNELS.POSITIONS, from: '0' })) book.apply(position);
   *
   * @throws {ConfigError} for invalid options, {@link ValidationError} for an unknown channel, at
   * the call (before anything is sent).
   */
  replay<C extends Channel>(options: ReplayOptions<C>): AsyncGenerator<EventOf<C>, void, undefined> {
    const resolved = resolveReplayOptions(options);
    const key = streamKeyFor(this.#keyPrefix, checkChannel(resolved.channel));
    return replayStream(this.#client, key, resolved, this.#log);
  }
}
