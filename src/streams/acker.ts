/**
 * Acknowledgements of one consumer. Each batch's `XACK` goes out on the command connection without
 * being awaited, so the next read proceeds on the reader meanwhile (one round trip saved per
 * batch). A failed `XACK` keeps its ids in a backlog that is sent again before the next read; if
 * that never succeeds the entries are claimed and delivered again (at-least-once).
 */
import type { RedisClient } from '../client/redis-client.js';
import type { ConsumerErrorStage, ConsumerStats } from './delivery.js';
import { reportDelivery } from './report.js';

/** Sends, tracks and retries the XACKs of one consumer. Internal. */
export class Acker {
  readonly #client: RedisClient;
  readonly #group: string;
  readonly #stats: ConsumerStats;
  readonly #report: (error: unknown, stage: ConsumerErrorStage) => void;
  /** The channel of a stream key, for diagnostics. */
  readonly #channelOf: (key: string) => string;
  /** Stream key -> ids handled but not acknowledged (their XACK failed). */
  readonly #backlog = new Map<string, string[]>();
  #sending = 0;
  #inFlight: Promise<void> = Promise.resolve();

  constructor(
    client: RedisClient,
    group: string,
    stats: ConsumerStats,
    report: (error: unknown, stage: ConsumerErrorStage) => void,
    channelOf: (key: string) => string,
  ) {
    this.#client = client;
    this.#group = group;
    this.#stats = stats;
    this.#report = report;
    this.#channelOf = channelOf;
  }

  /** Handled entries not yet acknowledged: XACKs on their way plus the backlog. */
  get unacknowledged(): number {
    let n = this.#sending;
    for (const ids of this.#backlog.values()) n += ids.length;
    return n;
  }

  /** Sends `XACK key group ids...` without waiting for it; see {@link settle}. */
  send(key: string, ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.#sending += ids.length;
    const current = this.#ack(key, ids).finally(() => (this.#sending -= ids.length));
    this.#inFlight = Promise.all([this.#inFlight, current]).then(() => undefined);
  }

  /** Waits for every XACK sent so far; failed ones are in the backlog by then. Never rejects. */
  settle(): Promise<void> {
    return this.#inFlight;
  }

  /** Sends the backlog again. Rejects with the Redis error if that fails (the backlog stays). */
  async flush(): Promise<void> {
    for (const [key, ids] of [...this.#backlog]) {
      const acked = await this.#client.streams.ack(key, this.#group, ids);
      this.#acked(key, acked);
      this.#backlog.delete(key);
    }
  }

  async #ack(key: string, ids: readonly string[]): Promise<void> {
    try {
      // Add after the await: `acked += await ...` would let concurrent XACKs overwrite each other.
      const acked = await this.#client.streams.ack(key, this.#group, ids);
      this.#acked(key, acked);
    } catch (error) {
      const backlog = this.#backlog.get(key) ?? [];
      backlog.push(...ids);
      this.#backlog.set(key, backlog);
      this.#report(error, 'ack');
    }
  }

  #acked(key: string, count: number): void {
    this.#stats.acked += count;
    reportDelivery(this.#channelOf(key), this.#group, 'acked', count);
  }
}
