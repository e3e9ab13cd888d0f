/** Catching what a call throws, for tests that inspect the error itself. */
import { expect } from 'vitest';

/** The error `fn` throws, asserted to be a `type`; fails the test when `fn` returns. */
export function thrownBy<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}
