/**
 * Records unhandled promise rejections for the current test file, so each file can assert
 * that no failure path of the client leaks one.
 */
import { afterAll, beforeAll, expect } from 'vitest';

/** Registers the process listener for the file and asserts, after all its tests, that none fired. */
export function expectNoUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  beforeAll(() => {
    process.on('unhandledRejection', listener);
  });
  afterAll(() => {
    process.off('unhandledRejection', listener);
    expect(seen).toEqual([]);
  });
}
