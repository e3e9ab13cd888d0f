/**
 * Deadlines, the SDK's own (node-redis's timeouts do not cover commands already written to a
 * socket): {@link withDeadline} for one-off operations (connect, close, retries) and
 * {@link DeadlineScheduler} for the per-command hot path. Both reject with the same
 * {@link RedisTimeoutError}.
 */
import { RedisTimeoutError } from './errors.js';

/** The error of a call that missed its deadline; one text for every deadline in the SDK. */
export function deadlineError(what: string, ms: number): RedisTimeoutError {
  return new RedisTimeoutError(`${what} did not complete within ${ms} ms`, { context: { command: what, timeoutMs: ms } });
}

/**
 * Settles with `work`, or rejects with a {@link RedisTimeoutError} after `ms`. Unlike node-redis's
 * timeouts it also covers commands already written to a socket.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(deadlineError(what, ms)), ms);
  });
  // The losing promise may still reject later: keep that from becoming an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** One tracked call: rejected with a timeout unless settled by its deadline. Internal. */
export interface DeadlineEntry {
  readonly at: number;
  readonly ms: number;
  readonly what: string;
  readonly lane: Lane;
  /** Cleared once the call settles. */
  reject: ((err: Error) => void) | undefined;
  next: DeadlineEntry | undefined;
}

/** Calls with the same timeout length, in start order, so their deadlines never decrease. */
interface Lane {
  readonly ms: number;
  head: DeadlineEntry | undefined;
  tail: DeadlineEntry | undefined;
}

/**
 * The SDK's per-command deadlines without a timer per command: calls are queued in FIFO lanes by
 * timeout length, and one shared timer fires at the earliest unsettled deadline. A command
 * costs an object and two pointer moves instead of a `setTimeout`/`clearTimeout` pair and a
 * `Promise.race`. Like the timer-per-call version, it also covers commands already written to a
 * socket, because it never relies on the connection to report anything.
 */
export class DeadlineScheduler {
  readonly #lanes = new Map<number, Lane>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  /**
   * Starts tracking a call whose deadline is `at` (a `performance.now()` time) and whose
   * timeout length is `ms`; `reject` receives a {@link RedisTimeoutError} if it is still
   * unsettled then. Call {@link settle} when the call settles.
   */
  track(at: number, ms: number, what: string, reject: (err: Error) => void): DeadlineEntry {
    let lane = this.#lanes.get(ms);
    if (lane === undefined) {
      lane = { ms, head: undefined, tail: undefined };
      this.#lanes.set(ms, lane);
    }
    const entry: DeadlineEntry = { at, ms, what, lane, reject, next: undefined };
    if (lane.tail === undefined) lane.head = entry;
    else lane.tail.next = entry;
    lane.tail = entry;
    if (at < this.#timerAt) this.#schedule(at);
    return entry;
  }

  /** Marks a call settled and drops settled calls from the front of its lane. */
  settle(entry: DeadlineEntry): void {
    entry.reject = undefined;
    const lane = entry.lane;
    if (lane.head === entry) this.#drain(lane, Number.NEGATIVE_INFINITY);
  }

  /** Pops settled calls, and rejects unsettled ones whose deadline is at or before `now`. */
  #drain(lane: Lane, now: number): void {
    let head = lane.head;
    while (head !== undefined && (head.reject === undefined || head.at <= now)) {
      const reject = head.reject;
      head.reject = undefined;
      if (reject !== undefined) {
        reject(deadlineError(head.what, head.ms));
      }
      head = head.next;
    }
    lane.head = head;
    if (head === undefined) {
      lane.tail = undefined;
      this.#lanes.delete(lane.ms);
    }
  }

  #schedule(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    // Unref'd: a pending command keeps the process alive through its socket, not through this.
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(at - performance.now()))).unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const lane of [...this.#lanes.values()]) {
      this.#drain(lane, now);
      if (lane.head !== undefined) next = Math.min(next, lane.head.at);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#schedule(next);
  }
}
