import { ClientClosedError, ClientOfflineError, ErrorReply, TimeoutError } from 'redis';
import {
  RedisClosedError,
  RedisCommandError,
  RedisConnectionError,
  RedisSdkError,
  RedisTimeoutError,
  RedisUnavailableError,
} from '../internal/errors.js';

/**
 * Turns whatever a backend threw into the SDK's own error classes. node-redis errors all have
 * `name === 'Error'`, so they are told apart with `instanceof`.
 */
export function toSdkError(err: unknown, command: string, phase: 'command' | 'connect' = 'command', tls = false): RedisSdkError {
  if (err instanceof RedisSdkError) return err;
  const context = { command };
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ErrorReply || isReplyLike(err)) {
    if (phase === 'connect') return new RedisConnectionError(`Redis refused the connection: ${message}`, { cause: err, context });
    return new RedisCommandError(`${command} failed: ${message}`, { cause: err, context });
  }
  if (err instanceof ClientOfflineError) {
    return new RedisUnavailableError(`${command} refused: Redis is not connected`, { cause: err, context });
  }
  if (err instanceof ClientClosedError) {
    return new RedisClosedError(`${command} refused: the client is closed`, { cause: err, context });
  }
  if (err instanceof TimeoutError) {
    return new RedisTimeoutError(`${command} timed out: ${message}`, { cause: err, context });
  }
  if (phase === 'connect') return new RedisConnectionError(`${command} failed: ${connectReason(err, message, tls)}`, { cause: err, context });
  return new RedisConnectionError(`${command} failed on the connection: ${message}`, { cause: err, context });
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
function connectReason(err: unknown, message: string, tls: boolean): string {
  const root = err instanceof Error && 'originalError' in err ? err.originalError : err;
  const code = root instanceof Error && 'code' in root && typeof root.code === 'string' ? root.code : '';
  if (TLS_CODES.test(code)) return `TLS handshake failed (${code}): ${message}`;
  if (code === 'ECONNRESET' && tls) {
    return `${message} (the server reset the TLS handshake: it may require a client certificate (tls.cert and tls.key) or refuse this TLS version)`;
  }
  if (code === 'ECONNRESET') return `${message} (the server reset the connection during the handshake; a TLS-only port does this to plain-text clients: use rediss:// or the tls option)`;
  return message;
}

/** ioredis-mock and some node-redis paths reply with plain errors whose message starts with a Redis error code. */
function isReplyLike(err: unknown): boolean {
  return err instanceof Error && err.constructor === Error && /^(ERR|WRONGTYPE|NOPERM|NOAUTH|WRONGPASS|CROSSSLOT|BUSYGROUP|NOGROUP|MOVED|ASK|READONLY|NOSCRIPT|EXECABORT) /.test(err.message);
}
