import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/internal/error-text.js';
import { RedisTimeoutError } from '../../../src/internal/errors.js';

describe('errorMessage', () => {
  it("gives an error's message, with its name when asked", () => {
    const error = new RedisTimeoutError('GET did not complete within 5 ms');
    expect(errorMessage(error)).toBe('GET did not complete within 5 ms');
    expect(errorMessage(error, true)).toBe('RedisTimeoutError: GET did not complete within 5 ms');
  });

  it('describes thrown non-errors', () => {
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ code: 1 })).toBe('{"code":1}');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(10n)).toBe('10');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).toBe('[object Object]');
  });
});
