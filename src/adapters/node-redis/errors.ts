/**
 * node-redis's errors in the SDK's classes. node-redis error classes all have
 * `name === 'Error'`, so they are told apart with `instanceof`; a failed connect names its
 * likely cause (TLS, a TLS-only port, a refused client certificate).
 */
import { ClientClosedError, ClientOfflineError, ErrorReply, TimeoutError } from 'redis';
import type { ErrorPhase } from '../../client/backend.js';
import { errorMessage } from '../../internal/error-text.js';
import { RedisClosedError, RedisSdkError, RedisTimeoutError, RedisUnavailableError } from '../../internal/errors.js';
import { fallbackError, replyError } from '../error-replies.js';

/** Maps what node-redis threw; `tls` says whether the connection uses TLS (for connect hints). */
export function nodeRedisError(err: unknown, command: string, phase: ErrorPhase, tls: boolean): RedisSdkError {
  if (err instanceof RedisSdkError) return err;
  const context = { command };
  if (err instanceof ErrorReply) return replyError(err, command, phase);
  if (err instanceof ClientOfflineError) return new RedisUnavailableError(`${command} refused: Redis is not connected`, { cause: err, context });
  if (err instanceof ClientClosedError) return new RedisClosedError(`${command} refused: the client is closed`, { cause: err, context });
  if (err instanceof TimeoutError) return new RedisTimeoutError(`${command} timed out: ${errorMessage(err)}`, { cause: err, context });
  return fallbackError(err, command, phase, phase === 'connect' ? connectReason(err, tls) : undefined);
}

/** Node's codes for certificate and TLS handshake failures. */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH)/;

/**
 * Names the cause of a failed connect: TLS failures say so, and a reset during the handshake
 * hints at the usual culprit: for a plain-text client, a TLS-only port; for a TLS client, a
 * server that refused the client certificate (with TLS 1.3 the server may reset before the
 * client reads its alert). node-redis wraps the socket error in a `ReconnectStrategyError`
 * whose `originalError` carries the code.
 */
function connectReason(err: unknown, tls: boolean): string {
  const message = errorMessage(err);
  const root = err instanceof Error && 'originalError' in err ? err.originalError : err;
  const code = root instanceof Error && 'code' in root && typeof root.code === 'string' ? root.code : '';
  if (TLS_CODES.test(code)) return `TLS handshake failed (${code}): ${message}`;
  if (code === 'ECONNRESET' && tls) {
    return `${message} (the server reset the TLS handshake: it may require a client certificate (tls.cert and tls.key) or refuse this TLS version)`;
  }
  if (code === 'ECONNRESET') return `${message} (the server reset the connection during the handshake; a TLS-only port does this to plain-text clients: use rediss:// or the tls option)`;
  return message;
}
