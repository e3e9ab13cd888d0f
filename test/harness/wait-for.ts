/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. @default 10000 */
  timeoutMs?: number;
  /** Pause between attempts. @default 50 */
  intervalMs?: number;
  /** Describes the awaited condition in the timeout error. @default 'condition' */
  description?: string;
}

/**
 * Polls `predicate` until it returns a truthy value (which is returned) or the timeout elapses.
 * A predicate that throws counts as "not yet"; its last error is attached to the timeout error
 * as `cause` and quoted in the message, so a failing wait explains itself.
 *
 * @example
 * await waitFor(async () => (await server.cli('GET', 'k')) === 'v', { timeoutMs: 5000 });
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const description = options.description ?? 'condition';
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      const value = await predicate();
      if (value !== undefined && value !== null && value !== false && value !== 0 && value !== '') {
        return value as NonNullable<T>;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(
        `waitFor: ${description} not met within ${timeoutMs} ms (${attempts} attempts)${detail}`,
        lastError === undefined ? undefined : { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
