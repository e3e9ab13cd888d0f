import { RedisTimeoutError } from '../errors.js';

/**
 * Settles with `work`, or rejects with a {@link RedisTimeoutError} after `ms`. The SDK's own
 * deadline: unlike node-redis's timeouts it also covers commands already written to a socket.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new RedisTimeoutError(`${what} did not complete within ${ms} ms`, { context: { command: what, timeoutMs: ms } }));
    }, ms);
  });
  // The losing promise may still reject later: keep that from becoming an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(Math.random() * (ceiling + 1));
}

/** Resolves after `ms`, without keeping the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
