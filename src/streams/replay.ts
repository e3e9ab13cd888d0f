/**
 * Reading a channel's stream history in order, for rebuilding state: `XRANGE` in pages, each
 * page continuing after the last id seen (exclusive `(id` start, Redis >= 6.2).
 */
import type { RedisClient } from '../client/redis-client.js';
import { integerOption, renamedOption } from '../internal/config.js';
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
  maxEvents?: number;
  /** @deprecated Use `maxEvents`; this alias goes in the next minor version. */
  count?: number;
  /**
   * What to do with an entry that is not a valid event of the channel: `'skip'` it (logged at
   * warn) or `'throw'` its `ValidationError`. @default 'skip'
   */
  onInvalid?: 'skip' | 'throw';
}

/** {@link ReplayOptions} after defaults and validation. Internal. */
export interface ResolvedReplayOptions<C extends Channel = Channel> {
  channel: C;
  from: string;
  to: string;
  /** `Infinity` when unlimited. */
  maxEvents: number;
  onInvalid: 'skip' | 'throw';
}

/**
 * Applies the defaults of {@link ReplayOptions}; `maxEvents` and its alias `count` given together must agree.
 *
 * @throws {ConfigError} naming the bad option as the caller wrote it.
 */
export function resolveReplayOptions<C extends Channel>(options: ReplayOptions<C>): ResolvedReplayOptions<C> {
  const [maxEvents, maxEventsName] = renamedOption(options.maxEvents, 'maxEvents', options.count, 'count');
  const { onInvalid = 'skip' } = options;
  const resolvedMax = integerOption(maxEvents, Number.POSITIVE_INFINITY, maxEventsName, { min: 0 });
  if (onInvalid !== 'skip' && onInvalid !== 'throw') {
    throw new ConfigError(`Option onInvalid must be 'skip' or 'throw'`, { context: { option: 'onInvalid' } });
  }
  for (const option of ['from', 'to'] as const) {
    const value = options[option];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new ConfigError(`Option ${option} must be a non-empty stream id`, { context: { option } });
    }
  }
  return { channel: options.channel, from: options.from ?? '-', to: options.to ?? '+', maxEvents: resolvedMax, onInvalid };
}

/** The events of stream `key` between `from` and `to`, oldest first. Internal: see {@link EventStream.replay}. */
export async function* replayStream<C extends Channel>(
  client: RedisClient,
  key: string,
  options: ResolvedReplayOptions<C>,
  log: Logger,
): AsyncGenerator<EventOf<C>, void, undefined> {
  const { channel, to, maxEvents, onInvalid } = options;
  let start = options.from;
  let yielded = 0;
  while (yielded < maxEvents) {
    const pageSize = Math.min(REPLAY_PAGE_SIZE, maxEvents - yielded);
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
      if (yielded >= maxEvents) return;
    }
    const last = entries[entries.length - 1];
    if (!last || entries.length < pageSize) return;
    start = `(${last.id}`;
  }
}
