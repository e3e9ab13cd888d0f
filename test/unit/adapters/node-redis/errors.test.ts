/** node-redis's errors in the SDK's classes, told apart by class (node-redis names them all 'Error'). */
import { ClientClosedError, ClientOfflineError, ErrorReply, TimeoutError } from 'redis';
import { describe, expect, it } from 'vitest';
import { nodeRedisError } from '../../../../src/adapters/node-redis/errors.js';
import {
  RedisClosedError,
  RedisCommandError,
  RedisConnectionError,
  RedisTimeoutError,
  RedisUnavailableError,
} from '../../../../src/index.js';

function socketError(code: string, message = `socket ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('nodeRedisError', () => {
  it('maps each node-redis class to its SDK class, naming the command', () => {
    const cases = [
      [new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value'), RedisCommandError],
      [new ClientOfflineError(), RedisUnavailableError],
      [new ClientClosedError(), RedisClosedError],
      [new TimeoutError(), RedisTimeoutError],
      [socketError('EPIPE'), RedisConnectionError],
    ] as const;
    for (const [err, type] of cases) {
      const mapped = nodeRedisError(err, 'GET', 'command', false);
      expect(mapped).toBeInstanceOf(type);
      expect(mapped.message).toMatch(/^GET /);
      expect(mapped.cause).toBe(err);
    }
  });

  it('an error reply while connecting (wrong password) is a connection error', () => {
    const mapped = nodeRedisError(new ErrorReply('WRONGPASS invalid username-password pair'), 'connect', 'connect', false);
    expect(mapped).toBeInstanceOf(RedisConnectionError);
    expect(mapped.message).toBe('Redis refused the connection: WRONGPASS invalid username-password pair');
  });

  it('names the likely cause of a failed connect: TLS codes, and resets with and without TLS', () => {
    expect(nodeRedisError(socketError('CERT_HAS_EXPIRED'), 'connect', 'connect', true).message).toMatch(/TLS handshake failed \(CERT_HAS_EXPIRED\)/);
    expect(nodeRedisError(socketError('ECONNRESET'), 'connect', 'connect', true).message).toMatch(/client certificate/);
    expect(nodeRedisError(socketError('ECONNRESET'), 'connect', 'connect', false).message).toMatch(/TLS-only port/);
    // node-redis wraps the socket error; the code is read from the original.
    const wrapped = Object.assign(new Error('reconnect strategy gave up'), { originalError: socketError('ERR_TLS_CERT_ALTNAME_INVALID') });
    expect(nodeRedisError(wrapped, 'connect', 'connect', true).message).toMatch(/TLS handshake failed \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    expect(nodeRedisError(socketError('ECONNREFUSED', 'connect ECONNREFUSED'), 'connect', 'connect', false).message).toBe('connect failed: connect ECONNREFUSED');
  });

  it('passes SDK errors through unchanged', () => {
    const sdk = new RedisTimeoutError('GET timed out');
    expect(nodeRedisError(sdk, 'GET', 'command', false)).toBe(sdk);
  });
});
