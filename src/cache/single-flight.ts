/**
 * Single-flight: concurrent callers for the same key share one in-flight computation. The
 * entry is removed when it settles, so a failure is shared by every waiter and never cached.
 */
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  /** Runs `work` for `key` unless a run for it is in flight, in which case joins that one. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.#inFlight.get(key);
    if (existing) return existing;
    // Started on a later tick, so the entry is registered before `work` can settle or throw.
    const promise: Promise<T> = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
      });
    this.#inFlight.set(key, promise);
    return promise;
  }

  /** The run for `key` in flight now, if any: what {@link run} would join. */
  get(key: string): Promise<T> | undefined {
    return this.#inFlight.get(key);
  }
}
