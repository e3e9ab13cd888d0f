/** The error mapping both adapters share: reply-shaped errors are replies, the rest connection failures. */
import { describe, expect, it } from 'vitest';
import { fallbackError, isReplyLike } from '../../../src/adapters/error-replies.js';
import { RedisCommandError, RedisConnectionError } from '../../../src/index.js';

describe('error-replies', () => {
  it('recognises plain errors whose text opens with a Redis error code, and nothing else', () => {
    expect(isReplyLike(new Error('ERR unknown command'))).toBe(true);
    expect(isReplyLike(new Error('NOGROUP No such key'))).toBe(true);
    expect(isReplyLike(new Error('ERRNO something'))).toBe(false);
    expect(isReplyLike(new TypeError('ERR looks like one'))).toBe(false);
    expect(isReplyLike('ERR a string')).toBe(false);
  });

  it('fallbackError: replies are command errors (connection errors while connecting), the rest failed on the connection', () => {
    expect(fallbackError(new Error('ERR nope'), 'XACK', 'command')).toBeInstanceOf(RedisCommandError);
    expect(fallbackError(new Error('NOAUTH Authentication required.'), 'connect', 'connect')).toBeInstanceOf(RedisConnectionError);
    const dropped = fallbackError(new Error('socket closed'), 'GET', 'command');
    expect(dropped).toBeInstanceOf(RedisConnectionError);
    expect(dropped.message).toBe('GET failed on the connection: socket closed');
    expect(fallbackError('weird', 'GET', 'connect', 'why').message).toBe('GET failed: why');
  });
});
