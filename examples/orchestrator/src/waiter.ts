/**
 * Waiting for conditions that events make true: callers `notify()` after each event and
 * `until()` resolves as soon as its predicate holds, or rejects after a bounded time.
 */

interface Pending {
  check: () => boolean;
  resolve: () => void;
}

/** A set of conditions re-checked on every {@link notify}. */
export class Waiter {
  readonly #pending = new Set<Pending>();

  /** Re-checks every pending condition. Call after each state change. */
  notify(): void {
    for (const entry of this.#pending) {
      if (entry.check()) {
        this.#pending.delete(entry);
        entry.resolve();
      }
    }
  }

  /**
   * Resolves once `check()` is true (at once if it already is).
   * @throws Error naming `description` when it is still false after `timeoutMs`.
   */
  until(check: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const entry: Pending = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#pending.delete(entry);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      this.#pending.add(entry);
    });
  }
}
