/** `RedisClient.streams`: the stream commands (XADD, XREADGROUP, XACK...) under the client's deadlines and error mapping. */
import { renamedOption } from '../internal/config.js';
import type { Backend } from './backend.js';
import type { AutoClaimResult, PendingEntry, StreamBatch, StreamEntry } from './types.js';

/** Options of {@link StreamCommands.add}. */
export interface AddOptions {
  /** Trim the stream to about this many entries (`MAXLEN ~`). */
  maxEntries?: number;
  /** @deprecated Use `maxEntries`; this alias goes in the next minor version. */
  maxLen?: number;
}

/** Runs one backend operation under the client's deadline, retry and error mapping. */
export type Executor = <T>(command: string, fn: (backend: Backend) => Promise<T>, idempotent: boolean, timeoutMs?: number) => Promise<T>;

/** Options of {@link StreamCommands.readGroup}. */
export interface ReadGroupOptions {
  /** Most entries per stream. */
  count: number;
  /** Block up to this long for new entries (`BLOCK`); omit to return at once. */
  blockMs?: number;
}

/**
 * Redis Streams commands, reached as `client.streams`, each under the client's deadline. A
 * blocking read's deadline is extended by its `blockMs`. Appends are not retried (a retry
 * could write an entry twice).
 */
export interface StreamCommands {
  /**
   * `XADD key [MAXLEN ~ n] * field value...`; resolves the entry id. `maxEntries` trims the
   * stream to about that many entries. @see https://redis.io/commands/xadd/
   * @throws ConfigError when `maxEntries` and its deprecated alias `maxLen` disagree.
   */
  add(key: string, fields: Record<string, string>, options?: AddOptions): Promise<string>;

  /** `XGROUP CREATE key group id MKSTREAM`; `false` when the group already exists. */
  createGroup(key: string, group: string, startId?: string): Promise<boolean>;

  /**
   * `XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] STREAMS keys... ids...`.
   * Use a dedicated connection when blocking. @see https://redis.io/commands/xreadgroup/
   */
  readGroup(
    group: string,
    consumer: string,
    streams: ReadonlyArray<{ key: string; id: string }>,
    options: ReadGroupOptions,
  ): Promise<StreamBatch[]>;

  /** `XACK key group ids...`; resolves how many were acknowledged. */
  ack(key: string, group: string, ids: readonly string[]): Promise<number>;

  /** `XAUTOCLAIM key group consumer min-idle start COUNT n`. */
  autoClaim(key: string, group: string, consumer: string, minIdleMs: number, start?: string, count?: number): Promise<AutoClaimResult>;

  /** `XPENDING key group start end count [consumer]` (extended form, with delivery counts). */
  pending(key: string, group: string, options?: { start?: string; end?: string; count?: number; consumer?: string }): Promise<PendingEntry[]>;

  /** `XRANGE key start end COUNT n`. */
  range(key: string, start?: string, end?: string, count?: number): Promise<StreamEntry[]>;

  /** `XLEN key`. */
  length(key: string): Promise<number>;
}

/** {@link StreamCommands} over a client's executor. Internal: `RedisClient` builds it. */
export class ClientStreamCommands implements StreamCommands {
  readonly #exec: Executor;
  readonly #commandTimeoutMs: number;

  constructor(exec: Executor, commandTimeoutMs: number) {
    this.#exec = exec;
    this.#commandTimeoutMs = commandTimeoutMs;
  }

  add(key: string, fields: Record<string, string>, options: AddOptions = {}): Promise<string> {
    let maxEntries = options.maxEntries;
    // The deprecated alias is read only when given, keeping the append path free of extra work.
    if (options.maxLen !== undefined) {
      try {
        [maxEntries] = renamedOption(maxEntries, 'maxEntries', options.maxLen, 'maxLen');
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#exec('XADD', (b) => b.xadd(key, fields, maxEntries), false);
  }


  createGroup(key: string, group: string, startId = '0'): Promise<boolean> {
    return this.#exec('XGROUP', (b) => b.xgroupCreate(key, group, startId), true);
  }

  readGroup(
    group: string,
    consumer: string,
    streams: ReadonlyArray<{ key: string; id: string }>,
    options: ReadGroupOptions,
  ): Promise<StreamBatch[]> {
    const timeoutMs = this.#commandTimeoutMs + (options.blockMs ?? 0);
    return this.#exec('XREADGROUP', (b) => b.xreadgroup(group, consumer, streams, options.count, options.blockMs), false, timeoutMs);
  }

  ack(key: string, group: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    return this.#exec('XACK', (b) => b.xack(key, group, ids), true);
  }

  autoClaim(key: string, group: string, consumer: string, minIdleMs: number, start = '0-0', count = 100): Promise<AutoClaimResult> {
    return this.#exec('XAUTOCLAIM', (b) => b.xautoclaim(key, group, consumer, minIdleMs, start, count), false);
  }

  pending(key: string, group: string, options: { start?: string; end?: string; count?: number; consumer?: string } = {}): Promise<PendingEntry[]> {
    const { start = '-', end = '+', count = 100, consumer } = options;
    return this.#exec('XPENDING', (b) => b.xpending(key, group, start, end, count, consumer), true);
  }

  range(key: string, start = '-', end = '+', count = 100): Promise<StreamEntry[]> {
    return this.#exec('XRANGE', (b) => b.xrange(key, start, end, count), true);
  }

  length(key: string): Promise<number> {
    return this.#exec('XLEN', (b) => b.xlen(key), true);
  }
}
