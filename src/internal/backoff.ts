/**
 * Backoff, one formula for the whole SDK: exponential growth from a base delay, capped. Command
 * retries, reconnects and consumer restarts draw a full-jitter delay below that ceiling
 * ({@link backoffDelay}); the publisher's replay timer waits the ceiling itself ({@link RetryTimer}).
 */

/** The capped exponential ceiling of attempt `attempt` (0-based): `min(max, base * 2^attempt)`. */
export function backoffCeiling(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 30));
}

/** Exponential backoff with full jitter: a random delay in `[0, backoffCeiling(attempt)]`. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.floor(Math.random() * (backoffCeiling(attempt, baseDelayMs, maxDelayMs) + 1));
}

/** Resolves after `ms`, without keeping the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * One pending, unref'd run at a time, each scheduled after the backoff ceiling of the runs
 * scheduled since the last {@link reset}: `base`, `2 * base`, ... up to `max`.
 */
export class RetryTimer {
  readonly #run: () => void;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;

  constructor(run: () => void, baseDelayMs: number, maxDelayMs: number) {
    this.#run = run;
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = maxDelayMs;
  }

  /** Schedules a run after the current delay (no-op when one is pending), then doubles the delay. */
  schedule(): void {
    if (this.#timer) return;
    const delay = backoffCeiling(this.#attempt, this.#baseDelayMs, this.#maxDelayMs);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, delay);
    this.#timer.unref();
    this.#attempt += 1;
  }

  /** Back to the base delay (after a replay made progress). */
  reset(): void {
    this.#attempt = 0;
  }

  /** Cancels a pending run. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
