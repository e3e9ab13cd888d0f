/**
 * Retry claims for one consumer: `XAUTOCLAIM` takes over entries of its group that stayed pending
 * (unacknowledged) for `claimIdleMs`, whoever held them, and `XPENDING` tells how many times each
 * was delivered. Each stream is walked with its own cursor, one page per pass.
 */
import type { RedisClient } from '../client/redis-client.js';
import type { Logger } from '../internal/logger.js';
import { PENDING_SCAN_LIMIT } from './options.js';
import type { BatchItem } from './processor.js';

/** Claimed entries of one stream, with delivery counts. */
export interface ClaimedPage {
  key: string;
  items: BatchItem[];
  /** Whether the stream has more idle entries after this page. */
  more: boolean;
}

/** Claims idle pending entries for `consumer`, stream by stream. Internal. */
export class Claimer {
  readonly #client: RedisClient;
  readonly #group: string;
  readonly #consumer: string;
  readonly #minIdleMs: number;
  readonly #count: number;
  readonly #log: Logger;
  readonly #cursors = new Map<string, string>();

  constructor(client: RedisClient, group: string, consumer: string, minIdleMs: number, count: number, log: Logger) {
    this.#client = client;
    this.#group = group;
    this.#consumer = consumer;
    this.#minIdleMs = minIdleMs;
    this.#count = count;
    this.#log = log;
  }

  /**
   * Claims one page of idle entries of `key`. Entries that left this consumer's pending list
   * between the claim and the count look-up (taken or acknowledged elsewhere) are skipped.
   */
  async claim(key: string): Promise<ClaimedPage> {
    const start = this.#cursors.get(key) ?? '0-0';
    const { streams } = this.#client;
    const result = await streams.autoClaim(key, this.#group, this.#consumer, this.#minIdleMs, start, this.#count);
    this.#cursors.set(key, result.nextId);
    if (result.deletedIds.length > 0) {
      this.#log.warn({ key, ids: result.deletedIds }, 'pending entries were trimmed from the stream before being processed');
    }
    const more = result.nextId !== '0-0';
    const first = result.entries[0];
    const last = result.entries[result.entries.length - 1];
    if (!first || !last) return { key, items: [], more };
    const pending = await streams.pending(key, this.#group, {
      start: first.id,
      end: last.id,
      count: PENDING_SCAN_LIMIT,
      consumer: this.#consumer,
    });
    const deliveries = new Map(pending.map((p) => [p.id, p.deliveries]));
    const items: BatchItem[] = [];
    for (const entry of result.entries) {
      const count = deliveries.get(entry.id);
      if (count !== undefined) items.push({ id: entry.id, fields: entry.fields, deliveryCount: count });
    }
    return { key, items, more };
  }

  /** Removes from `failed` the ids no longer in this consumer's pending list of `key`. */
  async prune(key: string, failed: Set<string>): Promise<void> {
    if (failed.size === 0) return;
    const ids = [...failed].sort(compareIds);
    const pending = await this.#client.streams.pending(key, this.#group, {
      start: ids[0] ?? '-',
      end: ids[ids.length - 1] ?? '+',
      count: PENDING_SCAN_LIMIT,
      consumer: this.#consumer,
    });
    const mine = new Set(pending.map((p) => p.id));
    for (const id of ids) if (!mine.has(id)) failed.delete(id);
  }
}

/** Orders stream ids (`ms-seq`) numerically. */
export function compareIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}
