/**
 * Reading a channel's stream history in order, for rebuilding state: `XRANGE` in pages, each
 * page continuing after the last id seen (exclusive `(id` start, Redis >= 6.2).
 */
import type { RedisClient } from '../client/redis-client.js';
import { ConfigError } from '../internal/errors.js';
import type { Channel, EventOf } from '../events/channels.js';
import type { Logger } from '../internal/logger.js';
import { errorMessage } from '../internal/error-text.js';
import { decodeEntry } from './entry.js';

/** Entries fetched per `XRANGE`. */
export const REPLAY_PAGE_SIZE = 500;

/** Options of {@link EventStream.replay}. */
export interface ReplayOptions<C extends Channel = Channel> {
  /** The channel whose stream to read. */
  channel: C;
  /** First entry id, inclusive (`1700000000000-0`, or a millisecond time `1700000000000`). @default '-' (the oldest) */
  from?: string;
  /** Last entry id, inclusive. @default '+' (the newest) */
  to?: string;
  /** Most events to yield in total. @default unlimited */
  count?: number;
  /**
   * What to do with an entry that is not a valid event of the channel: `'skip'` it (logged at
   * warn) or `'throw'` its `ValidationError`. @default 'skip'
   */
  onInvalid?: 'skip' | 'throw';
}

/** Validates {@link ReplayOptions}. @throws {ConfigError} naming the bad option. */
export function checkReplayOptions(options: ReplayOptions): void {
  const { count, onInvalid } = options;
  if (count !== undefined && (!Number.isSafeInteger(count) || count < 0)) {
    throw new ConfigError(`Option count must be an integer >= 0, got ${String(count)}`, { context: { option: 'count' } });
  }
  if (onInvalid !== undefined && onInvalid !== 'skip' && onInvalid !== 'throw') {
    throw new ConfigError(`Option onInvalid must be 'skip' or 'throw'`, { context: { option: 'onInvalid' } });
  }
  for (const option of ['from', 'to'] as const) {
    const value = options[option];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new ConfigError(`Option ${option} must be a non-empty stream id`, { context: { option } });
    }
  }
}

/** The events of stream `key` between `from` and `to`, oldest first. Internal: see {@link EventStream.replay}. */
export async function* replayStream<C extends Channel>(
  client: RedisClient,
  key: string,
  options: ReplayOptions<C>,
  log: Logger,
): AsyncGenerator<EventOf<C>, void, undefined> {
  const { channel, to = '+', count = Number.POSITIVE_INFINITY, onInvalid = 'skip' } = options;
  let start = options.from ?? '-';
  let yielded = 0;
  while (yielded < count) {
    const pageSize = Math.min(REPLAY_PAGE_SIZE, count - yielded);
    const entries = await client.streams.range(key, start, to, pageSize);
    for (const entry of entries) {
      let event: EventOf<C>;
      try {
        event = decodeEntry(channel, entry.fields);
      } catch (error) {
        if (onInvalid === 'throw') throw error;
        log.warn({ key, id: entry.id, err: errorMessage(error, true) }, 'replay skipped an invalid entry');
        continue;
      }
      yield event;
      yielded += 1;
      if (yielded >= count) return;
    }
    const last = entries[entries.length - 1];
    if (!last || entries.length < pageSize) return;
    start = `(${last.id}`;
  }
}
