/**
 * The publisher's outage buffer: a bounded FIFO of events that could not be published, oldest
 * dropped first when full, optionally mirrored to a file so it survives a process restart, and
 * its options read from the upstream `REDIS_FALLBACK_*` environment variables.
 * File writes are coalesced: a burst of changes in one tick produces one write, and changes made
 * while a write runs produce exactly one more.
 */
import { envInteger } from '../client/env.js';
import { dc } from '../diagnostics/channels.js';
import type { RedisEnv } from '../client/env.js';
import { integerOption, renamedOption } from '../internal/config.js';
import { errorMessage } from '../internal/error-text.js';
import { ConfigError } from '../internal/errors.js';
import type { Logger } from '../internal/logger.js';
import { formatBufferFile, moveAside, readBufferFile, writeBufferFileAtomic } from './buffer-file.js';
import { channelLabel } from './channel-label.js';
import type { BufferedEntry } from './buffer-file.js';

/** Options of the publisher's outage buffer. */
export interface PublishBufferOptions {
  /** Most events kept; when full, the oldest is dropped (and counted). @default 1000 */
  maxQueuedEvents?: number;
  /** @deprecated Use `maxQueuedEvents`; this alias goes in the next minor version. */
  maxSize?: number;
  /**
   * File that mirrors the buffer (JSON lines of `{channel, wire}`), written atomically after
   * every change and read back, synchronously, when a publisher is constructed. An unreadable
   * file is logged and moved aside to `<path>.corrupt-<time>`; its readable lines are kept.
   * @default undefined (memory only)
   */
  persistPath?: string;
  /**
   * Longest wait, in milliseconds, between replay attempts while events stay buffered and the
   * client stays ready (a timed-out PUBLISH on a slow server): retries back off from 100 ms up
   * to this. A replay also starts at once on every client `ready`. From 1 to 2147483647.
   * @default 5000 (upstream `REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS`: 5)
   */
  replayIntervalMs?: number;
}

/** The default of {@link PublishBufferOptions.replayIntervalMs}. Internal. */
export const DEFAULT_REPLAY_INTERVAL_MS = 5000;

/** Longest delay a Node.js timer takes (a longer one fires at once). */
const MAX_TIMER_MS = 2_147_483_647;

/** The environment variables {@link publishBufferFromEnv} reads, as the Python signal service names them. */
export const PUBLISH_BUFFER_ENV = Object.freeze({
  maxQueuedEvents: 'REDIS_FALLBACK_BUFFER_MAX_SIZE',
  persistPath: 'REDIS_FALLBACK_BUFFER_PATH',
  replayIntervalSeconds: 'REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS',
});

/**
 * Buffer options from the variables the Python services read (signal service `Settings`):
 * `REDIS_FALLBACK_BUFFER_MAX_SIZE` (most events kept, an integer >= 1; upstream default 1000),
 * `REDIS_FALLBACK_BUFFER_PATH` (the file mirroring the buffer; unset means memory only) and
 * `REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS` (whole seconds from 1 to 2147483; upstream default 5).
 * Unset or empty variables are left out, so the defaults apply. `undefined` when none is set.
 *
 * The file is this SDK's format (JSON lines), not the JSON list Python's `FallbackBuffer`
 * writes: give a TypeScript and a Python service different paths.
 *
 * @example
 * ```ts
 * const publisher = new EventPublisher(client, { buffer: publishBufferFromEnv() ?? true });
 * ```
 * @throws {ConfigError} naming the variable (`context.variable`) whose value is not valid.
 */
export function publishBufferFromEnv(env: RedisEnv = process.env): PublishBufferOptions | undefined {
  const options: PublishBufferOptions = {};
  const maxQueuedEvents = envInteger(env, PUBLISH_BUFFER_ENV.maxQueuedEvents, 1);
  if (maxQueuedEvents !== undefined) options.maxQueuedEvents = maxQueuedEvents;
  const path = env[PUBLISH_BUFFER_ENV.persistPath]?.trim();
  if (path) options.persistPath = path;
  const seconds = envInteger(env, PUBLISH_BUFFER_ENV.replayIntervalSeconds, 1, Math.floor(MAX_TIMER_MS / 1000));
  if (seconds !== undefined) options.replayIntervalMs = seconds * 1000;
  return Object.keys(options).length === 0 ? undefined : options;
}

/**
 * `options` with the environment's buffer settings over them (`EventPublisher.fromEnv`): a set
 * variable wins over the option under either of its names, the deprecated `maxSize` included.
 */
export function bufferUnderEnv(options: PublishBufferOptions | undefined, env: RedisEnv): PublishBufferOptions {
  const fromEnv = publishBufferFromEnv(env);
  const buffer = { ...options, ...fromEnv };
  if (fromEnv?.maxQueuedEvents !== undefined) delete buffer.maxSize;
  return buffer;
}

const defaults = Object.freeze({ maxQueuedEvents: 1000, replayIntervalMs: DEFAULT_REPLAY_INTERVAL_MS });

/** The key {@link PUBLISH_BUFFER_DEFAULTS} still answers under its old name. */
interface DeprecatedPublishBufferDefaults {
  /** @deprecated Use `maxQueuedEvents`; this alias goes in the next minor version. */
  readonly maxSize: typeof defaults.maxQueuedEvents;
}

/**
 * Defaults of {@link PublishBufferOptions}. The old key `maxSize` still reads (deprecated) but is
 * not enumerable, so spreading the defaults into options passes only the current name.
 */
export const PUBLISH_BUFFER_DEFAULTS = Object.freeze(
  Object.defineProperties({ ...defaults }, { maxSize: { value: defaults.maxQueuedEvents } }),
) as typeof defaults & DeprecatedPublishBufferDefaults;

/** Internal: the buffer behind `EventPublisher`'s `buffer` option. */
export class PublishBuffer {
  readonly #maxQueuedEvents: number;
  /** See {@link PublishBufferOptions.replayIntervalMs}. */
  readonly replayIntervalMs: number;
  readonly #file: string | undefined;
  readonly #log: Logger;
  #items: BufferedEntry[] = [];
  #head = 0;
  #dropped = 0;
  #dirty = false;
  #writing: Promise<void> | undefined;

  /**
   * Loads `persistPath` if given.
   *
   * @throws {ConfigError} when `maxQueuedEvents` (or its alias `maxSize`) is not a positive
   * integer, naming the one given, when `replayIntervalMs` is not an integer from 1 to
   * 2147483647, or when `persistPath` is empty.
   */
  constructor(options: PublishBufferOptions, logger: Logger) {
    const [maxQueuedEvents, name] = renamedOption(options.maxQueuedEvents, 'buffer.maxQueuedEvents', options.maxSize, 'buffer.maxSize');
    this.#maxQueuedEvents = integerOption(maxQueuedEvents, PUBLISH_BUFFER_DEFAULTS.maxQueuedEvents, name);
    this.replayIntervalMs = integerOption(options.replayIntervalMs, PUBLISH_BUFFER_DEFAULTS.replayIntervalMs, 'buffer.replayIntervalMs', { max: MAX_TIMER_MS });
    if (options.persistPath !== undefined && (typeof options.persistPath !== 'string' || options.persistPath === '')) {
      throw new ConfigError('buffer.persistPath must be a non-empty path');
    }
    this.#file = options.persistPath;
    this.#log = logger;
    if (this.#file !== undefined) this.#load(this.#file);
  }

  #load(file: string): void {
    let contents;
    try {
      contents = readBufferFile(file);
    } catch (err) {
      this.#log.error({ err: errorMessage(err), path: file }, 'could not read the persisted publish buffer; starting empty');
      return;
    }
    if (contents.badLines.length > 0) {
      let movedTo: string | undefined;
      try {
        movedTo = moveAside(file);
      } catch (err) {
        this.#log.error({ err: errorMessage(err), path: file }, 'could not move the corrupt publish buffer aside');
      }
      this.#log.error(
        { path: file, movedTo, badLines: contents.badLines.slice(0, 20), kept: contents.entries.length },
        'persisted publish buffer had unreadable lines; kept the readable entries',
      );
    }
    for (const entry of contents.entries) this.#append(entry);
    // Rewrite only when the file on disk no longer matches the buffer.
    if (contents.badLines.length > 0 || this.#dropped > 0) this.#schedulePersist();
  }

  /** Most events held (the `maxQueuedEvents` option). */
  get maxQueuedEvents(): number {
    return this.#maxQueuedEvents;
  }

  /** Events held now. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Events dropped so far because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The oldest entry, or `undefined` when empty. */
  peek(): BufferedEntry | undefined {
    return this.#items[this.#head];
  }

  /** Appends an entry, dropping (and counting) the oldest when full. */
  push(entry: BufferedEntry): void {
    this.#append(entry);
    this.#schedulePersist();
  }

  #append(entry: BufferedEntry): void {
    let dropped: BufferedEntry | undefined;
    if (this.size >= this.#maxQueuedEvents) {
      dropped = this.peek();
      this.#removeHead();
      this.#dropped += 1;
    }
    this.#items.push(entry);
    // Reported as the publisher reports every outcome (see PublishTally), with the depth after the push.
    if (dropped && dc.publishOutcome.hasSubscribers) dc.publishOutcome.publish({ channel: channelLabel(dropped.channel), outcome: 'dropped', buffered: this.size });
  }

  /** Removes the oldest entry (after it was published). */
  shift(): void {
    if (this.size === 0) return;
    this.#removeHead();
    this.#schedulePersist();
  }

  /** The entries, oldest first (a copy). */
  toArray(): BufferedEntry[] {
    return this.#items.slice(this.#head);
  }

  #removeHead(): void {
    this.#head += 1;
    // Compact now and then instead of Array#shift on every removal.
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  #schedulePersist(): void {
    if (this.#file === undefined) return;
    this.#dirty = true;
    this.#writing ??= this.#writeLoop(this.#file).finally(() => (this.#writing = undefined));
  }

  async #writeLoop(file: string): Promise<void> {
    // Let the current burst of pushes/shifts finish before the first snapshot.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#dirty) {
      this.#dirty = false;
      try {
        await writeBufferFileAtomic(file, formatBufferFile(this.toArray()));
      } catch (err) {
        this.#log.error({ err: errorMessage(err), path: file }, 'could not persist the publish buffer');
      }
    }
  }

  /** Resolves when every change so far is on disk (or its write failed and was logged). */
  async persisted(): Promise<void> {
    while (this.#writing) await this.#writing;
  }
}
