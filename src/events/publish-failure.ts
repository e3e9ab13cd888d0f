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
