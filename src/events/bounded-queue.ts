/**
 * A bounded, single-consumer async queue exposed as an async iterator: the push side never
 * waits (pub/sub cannot be slowed down), so when `maxQueuedItems` items already wait for the
 * consumer, the oldest item is dropped and counted.
 */

/** An async iterator over events with a bounded queue; `close()` or `break` ends it. */
export interface EventIterator<T> extends AsyncIterableIterator<T> {
  /** Ends the iteration (pending `next()` calls resolve `done`; queued items are discarded). */
  close(): Promise<void>;
  /** Items dropped because the queue was full (the oldest go first). */
  readonly dropped: number;
  /** Items waiting to be read. */
  readonly size: number;
}

/** Internal: the queue behind `EventSubscriber.stream()`. */
export class BoundedQueue<T> implements EventIterator<T> {
  readonly #maxQueuedItems: number;
  readonly #onDrop: () => void;
  #items: T[] = [];
  #head = 0;
  #waiters: Array<(result: IteratorResult<T, undefined>) => void> = [];
  #dropped = 0;
  #closed = false;
  #onClose: (() => Promise<void>) | undefined;

  constructor(maxQueuedItems: number, onDrop: () => void = () => undefined) {
    this.#maxQueuedItems = maxQueuedItems;
    this.#onDrop = onDrop;
  }

  /** Sets what `close()` runs once (e.g. unsubscribing the feeding handler). */
  setOnClose(onClose: () => Promise<void>): void {
    this.#onClose = onClose;
  }

  get dropped(): number {
    return this.#dropped;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Hands `value` to a waiting reader, or queues it (dropping the oldest when full). */
  push(value: T): void {
    if (this.#closed) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter({ done: false, value });
      return;
    }
    if (this.size >= this.#maxQueuedItems) {
      this.#head += 1;
      this.#dropped += 1;
      this.#onDrop();
    }
    this.#items.push(value);
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.size > 0) {
      const value = this.#items[this.#head] as T;
      this.#head += 1;
      if (this.#head === this.#items.length) {
        this.#items = [];
        this.#head = 0;
      } else if (this.#head >= 1024) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    await this.close();
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#items = [];
    this.#head = 0;
    for (const waiter of this.#waiters.splice(0)) waiter({ done: true, value: undefined });
    await this.#onClose?.();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
