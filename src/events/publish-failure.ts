/**
 * Which failed PUBLISH is worth keeping for a replay. A connection-level failure (connection
 * lost, not connected, client closed) or a timeout says nothing about the event: it may succeed
 * later. A Redis error reply (`RedisCommandError`: NOPERM, a wrong command...) is final and would
 * fail again on every replay, so the event is dropped instead, except for the replies Redis
 * sends while it is briefly unable to serve (loading, busy script, failover in a cluster).
 */
import {
  RedisClosedError,
  RedisCommandError,
  RedisConnectionError,
  RedisSdkError,
  RedisTimeoutError,
  RedisUnavailableError,
} from '../errors.js';

/** Error replies that mean "not now" rather than "never". */
const TRANSIENT_REPLY = /(?:^|: )(?:LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN)\b/;

/**
 * Whether a PUBLISH that failed with `err` may be buffered and replayed: anything but an SDK
 * error that is final (a command error other than a transient reply, or a programmer error).
 * Errors that are not the SDK's (a custom `PublisherClient`) are assumed to be transient.
 * A timeout counts as transient although the PUBLISH may have reached Redis: a replay may then
 * deliver the event twice (subscribers can tell by `eventId`).
 */
export function isRetryablePublishError(err: unknown): boolean {
  if (!(err instanceof RedisSdkError)) return true;
  if (err instanceof RedisCommandError) return TRANSIENT_REPLY.test(err.message);
  return (
    err instanceof RedisConnectionError ||
    err instanceof RedisUnavailableError ||
    err instanceof RedisTimeoutError ||
    err instanceof RedisClosedError
  );
}

/**
 * Internal: delays of the retry a publisher schedules when events stay buffered while the
 * client is ready (a timeout on a slow server: no `ready` event will come to replay them).
 * Doubles from `baseDelayMs` after each failed replay, up to `maxDelayMs`.
 */
export const PUBLISH_RETRY = Object.freeze({ baseDelayMs: 100, maxDelayMs: 5000 });

/** Internal: one pending, unref'd retry at a time, with capped exponential backoff. */
export class RetryTimer {
  readonly #run: () => void;
  #timer: NodeJS.Timeout | undefined;
  #delay: number = PUBLISH_RETRY.baseDelayMs;

  constructor(run: () => void) {
    this.#run = run;
  }

  /** Schedules a run after the current delay (no-op when one is pending), then doubles the delay. */
  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, this.#delay);
    this.#timer.unref();
    this.#delay = Math.min(this.#delay * 2, PUBLISH_RETRY.maxDelayMs);
  }

  /** Back to the base delay (after a replay emptied the buffer). */
  reset(): void {
    this.#delay = PUBLISH_RETRY.baseDelayMs;
  }

  /** Cancels a pending run. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
