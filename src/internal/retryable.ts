/**
 * Which failures are worth trying again, one home for both questions the SDK asks: may an
 * idempotent command be retried now ({@link isRetryable}), and may a failed PUBLISH be kept
 * for a replay later ({@link isRetryablePublishError}).
 */
import {
  RedisClosedError,
  RedisCommandError,
  RedisConnectionError,
  RedisSdkError,
  RedisTimeoutError,
  RedisUnavailableError,
} from './errors.js';

/** Errors after which an idempotent command may be tried again within its deadline. */
export function isRetryable(err: RedisSdkError): boolean {
  return err instanceof RedisConnectionError || err instanceof RedisUnavailableError;
}

/** Error replies that mean "not now" rather than "never". */
const TRANSIENT_REPLY = /(?:^|: )(?:LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN)\b/;

/**
 * Whether a PUBLISH that failed with `err` may be buffered and replayed. A connection-level
 * failure (connection lost, not connected, client closed) or a timeout says nothing about the
 * event: it may succeed later. A Redis error reply (`RedisCommandError`: NOPERM, a wrong
 * command...) is final and would fail again on every replay, except for the replies Redis sends
 * while it is briefly unable to serve (loading, busy script, failover in a cluster). Errors that
 * are not the SDK's (a custom `PublisherClient`) are assumed to be transient. A timeout counts
 * as transient although the PUBLISH may have reached Redis: a replay may then deliver the event
 * twice (subscribers can tell by `eventId`).
 */
export function isRetryablePublishError(err: unknown): boolean {
  if (!(err instanceof RedisSdkError)) return true;
  if (err instanceof RedisCommandError) return TRANSIENT_REPLY.test(err.message);
  return isRetryable(err) || err instanceof RedisTimeoutError || err instanceof RedisClosedError;
}
