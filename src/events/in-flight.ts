/**
 * A count of operations in flight with a way to wait until there are none, so a `close()` can
 * let what already started finish (and record its outcome) before it tidies up. One counter and
 * at most one pending promise: nothing is allocated per operation.
 */

/** Internal: tracks the publisher's live sends. */
export class InFlight {
  #count = 0;
  #idle: Promise<void> | undefined;
  #resolveIdle: (() => void) | undefined;

  /** Records that an operation started. */
  begin(): void {
    this.#count += 1;
  }

  /** Records that an operation ended; wakes {@link idle} waiters when it was the last one. */
  end(): void {
    this.#count -= 1;
    if (this.#count > 0 || !this.#resolveIdle) return;
    const resolve = this.#resolveIdle;
    this.#idle = undefined;
    this.#resolveIdle = undefined;
    resolve();
  }

  /** Resolves once no operation is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    this.#idle ??= new Promise<void>((resolve) => (this.#resolveIdle = resolve));
    return this.#idle;
  }
}
