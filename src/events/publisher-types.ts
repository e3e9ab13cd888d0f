/** Public types of `EventPublisher` (the client slice it needs, its options, its counters) and its channel log levels. */
import type { Logger } from '../internal/logger.js';
import type { AnyEvent } from './channels.js';
import type { PublishBufferOptions } from './publish-buffer.js';

/** The slice of `RedisClient` a publisher uses; a `RedisClient` satisfies it. */
export interface PublisherClient {
  publish(channel: string, message: string): Promise<number>;
  readonly isReady: boolean;
  on(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

/** A durable sink every published event is also appended to (an `EventStream` fits). */
export interface EventStreamSink {
  /** Appends the event; resolves its stream entry id. */
  append(event: AnyEvent): Promise<string>;
}

/** Options of {@link EventPublisher}. */
export interface EventPublisherOptions {
  /**
   * Keep events that fail to publish for a connection-level reason (connection lost or not
   * ready, client closed, timeout) and replay them, in order, when the client is ready again.
   * An event Redis refuses (`RedisCommandError`, e.g. NOPERM) is never buffered: it is logged,
   * counted in `stats().rejected` and dropped. A timed-out PUBLISH may have reached Redis, so a
   * replay can deliver it twice (subscribers can dedupe by `eventId`). `true` uses the defaults.
   * @default undefined (no buffer: failed events are lost)
   */
  buffer?: PublishBufferOptions | boolean;
  /** Receives warnings (outages, stream failures) and errors (buffer file problems). @default silent */
  logger?: Logger;
  /**
   * Also append every published event here. The append is independent of the PUBLISH: it runs
   * even when the PUBLISH fails or is buffered, and a failed append is only logged and counted in
   * `stats().streamFailed`. It is not buffered, not retried and does not change what `publish`
   * resolves. When the durable copy must not be lost, watch `streamFailed` or call
   * `EventStream.append` yourself and handle its rejection. @default undefined
   */
  stream?: EventStreamSink;
}

/** Options of `EventPublisher.fromEnv`: the publisher's options, whose buffer the environment completes. */
export type EventPublisherEnvOptions = Omit<EventPublisherOptions, 'buffer'> & {
  /** Buffer options under the environment's (a variable that is set wins). @default {} */
  buffer?: PublishBufferOptions;
};

/**
 * Channel prefixes whose publishes are logged at `debug` rather than `info`, as upstream
 * `EventPublisher.HIGH_FREQUENCY_CHANNEL_PREFIXES`: price updates (`price.updated.AAPL`) and
 * order-book levels (`level2.AAPL`).
 */
export const HIGH_FREQUENCY_CHANNEL_PREFIXES: readonly string[] = Object.freeze(['price.updated.', 'level2.']);

/** Whether `channel` starts with one of {@link HIGH_FREQUENCY_CHANNEL_PREFIXES}. */
export function isHighFrequencyChannel(channel: string): boolean {
  for (const prefix of HIGH_FREQUENCY_CHANNEL_PREFIXES) if (channel.startsWith(prefix)) return true;
  return false;
}

/** Counters of an {@link EventPublisher} since it was created. */
export interface PublisherStats {
  /** Events published by `publish` calls (replays are counted in `replayed`). */
  published: number;
  /** PUBLISH attempts that failed, live or replayed (rejections included). */
  failed: number;
  /** Events Redis refused with an error reply (e.g. NOPERM), live or replayed: dropped, never buffered. */
  rejected: number;
  /** Events waiting in the buffer now. */
  buffered: number;
  /** Events dropped because the buffer was full (oldest first). */
  dropped: number;
  /** Buffered events published by a replay. */
  replayed: number;
  /** Stream appends that failed. */
  streamFailed: number;
}
