/**
 * Error mapping both adapters share: an error reply from Redis (or a library error that carries
 * one as its message) becomes a `RedisCommandError` (a `RedisConnectionError` while connecting:
 * wrong password, NOPERM on HELLO...); anything else is a connection failure.
 */
import type { ErrorPhase } from '../client/backend.js';
import { errorMessage } from '../internal/error-text.js';
import { RedisCommandError, RedisConnectionError, RedisSdkError } from '../internal/errors.js';

/** Redis error codes that open an error reply (`ERR ...`, `WRONGPASS ...`). */
const REPLY_CODE = /^(ERR|WRONGTYPE|NOPERM|NOAUTH|WRONGPASS|CROSSSLOT|BUSYGROUP|NOGROUP|MOVED|ASK|READONLY|NOSCRIPT|EXECABORT) /;

/** Whether `err` is a plain `Error` whose message is a Redis error reply. */
export function isReplyLike(err: unknown): boolean {
  return err instanceof Error && err.constructor === Error && REPLY_CODE.test(err.message);
}

/** An error reply as the SDK reports it, depending on the phase. */
export function replyError(err: unknown, command: string, phase: ErrorPhase): RedisSdkError {
  const context = { command };
  const message = errorMessage(err);
  if (phase === 'connect') return new RedisConnectionError(`Redis refused the connection: ${message}`, { cause: err, context });
  return new RedisCommandError(`${command} failed: ${message}`, { cause: err, context });
}

/**
 * The fallback of every adapter's mapping: SDK errors pass through, reply-like errors are
 * replies, anything else failed on the connection (`reason` explains a failed connect).
 */
export function fallbackError(err: unknown, command: string, phase: ErrorPhase, reason = errorMessage(err)): RedisSdkError {
  if (err instanceof RedisSdkError) return err;
  if (isReplyLike(err)) return replyError(err, command, phase);
  const context = { command };
  if (phase === 'connect') return new RedisConnectionError(`${command} failed: ${reason}`, { cause: err, context });
  return new RedisConnectionError(`${command} failed on the connection: ${reason}`, { cause: err, context });
}
