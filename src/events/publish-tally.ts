/**
 * What an `EventPublisher` counts, logs and reports of each event's fate, in one place: its
 * `stats()` counters, the outage and refusal log lines, the upstream per-publish line, and the
 * `trading-platform:publisher:outcome` messages, so the counters and the channel never drift.
 */
import { dc } from '../diagnostics/channels.js';
import type { PublishOutcome } from '../diagnostics/payloads.js';
import { errorMessage } from '../internal/error-text.js';
import type { Logger } from '../internal/logger.js';
import { isRetryablePublishError } from '../internal/retryable.js';
import type { AnyEvent, Channel } from './channels.js';
import { channelLabel } from './channel-label.js';
import type { PublishBuffer } from './publish-buffer.js';
import { isHighFrequencyChannel, type PublisherStats } from './publisher-types.js';

/** The counters and reports of one publisher. Internal. */
export class PublishTally {
  readonly #log: Logger;
  readonly #buffer: PublishBuffer | undefined;
  /** A failure was logged and nothing was published since: the next success logs the recovery. */
  #outage = false;
  #published = 0;
  #failed = 0;
  #rejected = 0;
  #replayed = 0;
  #streamFailed = 0;

  constructor(log: Logger, buffer: PublishBuffer | undefined) {
    this.#log = log;
    this.#buffer = buffer;
  }

  /** A live publish Redis acknowledged. Called on the hot path: no message is built here (see {@link report}). */
  published(): void {
    this.#published += 1;
    if (this.#outage) this.#recovered();
  }

  /**
   * A PUBLISH attempt failed (live or replayed). Returns whether it may be retried: an error
   * reply (`RedisCommandError`) is final, counted and logged as a refusal. `drop` (a replay's)
   * takes a refused event out of the buffer before anything is reported, so the reports carry the
   * depth it left behind.
   */
  failed(err: unknown, channel: Channel, drop?: () => void): boolean {
    const retryable = isRetryablePublishError(err);
    if (!retryable) drop?.();
    this.#failed += 1;
    this.report(channel, 'failed');
    if (!retryable) {
      this.#rejected += 1;
      this.#log.warn({ err: errorMessage(err), channel }, 'publish rejected by Redis; event dropped');
      this.report(channel, 'rejected');
      return false;
    }
    if (!this.#outage) {
      this.#outage = true;
      this.#log.warn({ err: errorMessage(err), channel, buffering: this.#buffer !== undefined }, 'publish failed');
    }
    return true;
  }

  /** A replay published a buffered event. */
  replayed(channel: Channel): void {
    this.#replayed += 1;
    if (this.#outage) this.#recovered();
    this.report(channel, 'replayed');
  }

  /** An append to the publisher's stream sink failed. */
  streamFailed(err: unknown, event: AnyEvent): void {
    this.#streamFailed += 1;
    this.#log.warn({ err: errorMessage(err), channel: event.channel, eventId: event.eventId }, 'stream append failed');
    this.report(event.channel, 'stream_failed');
  }

  /** Publishes `outcome` on `trading-platform:publisher:outcome` when it has subscribers. */
  report(channel: Channel, outcome: PublishOutcome): void {
    if (dc.publishOutcome.hasSubscribers) dc.publishOutcome.publish({ channel: channelLabel(channel), outcome, buffered: this.#buffer?.size ?? 0 });
  }

  /** Upstream's line for each publish: `debug` on high-frequency channels, `info` elsewhere. */
  logPublished(channel: Channel, eventType: string, subscribers: number): void {
    const log = isHighFrequencyChannel(channel) ? this.#log.debug : this.#log.info;
    log.call(this.#log, { channel, eventType, subscribers }, `Published ${eventType} to '${channel}' (${subscribers} subscribers)`);
  }

  #recovered(): void {
    this.#outage = false;
    this.#log.info({}, 'publishing recovered');
  }

  /** See `EventPublisher.stats`. */
  stats(): PublisherStats {
    return {
      published: this.#published,
      failed: this.#failed,
      rejected: this.#rejected,
      buffered: this.#buffer?.size ?? 0,
      dropped: this.#buffer?.dropped ?? 0,
      replayed: this.#replayed,
      streamFailed: this.#streamFailed,
    };
  }
}
