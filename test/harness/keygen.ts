import { randomBytes } from 'node:crypto';

/** Unique key namespace for one test; see {@link keygen}. */
export interface KeyGen {
  /** Unique, colon-free prefix (usable as a feature-cache prefix or stream/channel stem). */
  readonly prefix: string;
  /** `${prefix}:${name}`, or `${prefix}:${n}` with a counter when no name is given. */
  key(name?: string): string;
  /** Glob matching every key made by `key()` (for SCAN-based cleanup). */
  readonly pattern: string;
}

let sequence = 0;

/**
 * Gives a test its own key namespace so tests sharing a server never see each other's keys.
 * The prefix contains no `:`, `{` or `}`, so it neither splits key parsing nor pins a cluster slot.
 *
 * @example
 * const keys = keygen('cache');
 * await client.set(keys.key('a'), '1'); // "cache-4242-1-9f3a1c:a"
 */
export function keygen(base = 'test'): KeyGen {
  sequence += 1;
  const prefix = `${base}-${process.pid}-${sequence}-${randomBytes(3).toString('hex')}`;
  let counter = 0;
  return {
    prefix,
    pattern: `${prefix}:*`,
    key(name?: string): string {
      counter += 1;
      return `${prefix}:${name ?? String(counter)}`;
    },
  };
}
