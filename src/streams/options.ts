/**
 * Options of {@link EventStream} and of its consumers, with their defaults in one place, resolved
 * and validated once, before anything is sent: a bad option throws a {@link ConfigError} naming it,
 * an unknown channel the `ValidationError` of every channel check in the SDK.
 */
import { integerOption, renamedOption } from '../internal/config.js';
import { ConfigError } from '../internal/errors.js';
import { checkChannel } from '../events/channels.js';
import type { Channel } from '../events/channels.js';
import type { Logger } from '../internal/logger.js';
import type { ConsumerErrorHandler, DeliveryHandler } from './delivery.js';

/** Options of {@link EventStream}. */
export interface EventStreamOptions {
  /** Prefix of every stream key: `stream:signals.generated`, `stream:dlq:signals.generated`. @default 'stream:' */
  keyPrefix?: string;
  /**
   * Approximate cap on entries per stream (`XADD ... MAXLEN ~ n`), dead-letter streams included.
   * Trimming does not wait for consumers: after a long outage, entries no group has read yet are
   * dropped once more than `maxEntries` newer ones arrive (claims log the trimmed ids at warn). Size
   * it for the longest outage you must survive at peak append rate. @default 100_000
   */
  maxEntries?: number;
  /** @deprecated Use `maxEntries`; this alias goes in the next minor version. */
  maxLen?: number;
  /** Where the stream and its consumers log. @default silent */
  logger?: Logger;
}

/** Options of {@link EventStream.consume}. */
export interface ConsumeOptions<C extends Channel = Channel> {
  /** Channels to consume, one stream each (no duplicates, at least one). */
  channels: readonly C[];
  /** Consumer group name; created (with `MKSTREAM`, reading from `startId`) when missing. */
  group: string;
  /** This consumer's name within the group; unique per running process. */
  consumer: string;
  /**
   * Called once per delivery, one at a time. Resolve to acknowledge, throw to retry. Entries come in
   * stream order on first delivery; retried and claimed entries come after, out of order, and a
   * delivery may repeat, so make handlers idempotent and order-tolerant. A handler that never
   * settles keeps {@link Consumer.stop} from resolving.
   */
  handler: DeliveryHandler<C>;
  /**
   * Most entries read or claimed per stream per batch (`COUNT`), at most 10 000 (the most pending
   * entries a claim looks up delivery counts for). @default 100
   */
  maxBatchEntries?: number;
  /** @deprecated Use `maxBatchEntries`; this alias goes in the next minor version. */
  batchSize?: number;
  /** How long a read waits for new entries (`BLOCK`); also bounds how late a retry claim runs. @default 5000 */
  blockMs?: number;
  /**
   * A pending entry idle this long is claimed again (`XAUTOCLAIM`) by this or another consumer.
   * Keep it well above the time to handle two batches (the one in progress and, during a backlog,
   * the one read ahead), or other consumers claim entries still in progress and they run twice.
   * @default 30_000
   */
  claimIdleMs?: number;
  /** Deliveries before a failing entry moves to the dead-letter stream. @default 5 */
  maxDeliveries?: number;
  /** Where a group created by this consumer starts: `'0'` (the whole stream) or `'$'` (new entries only). @default '0' */
  startId?: '0' | '$';
  /** Observes consumer errors (Redis down, dead-letter write failed...). The consumer keeps going. */
  onError?: ConsumerErrorHandler;
}

/**
 * Most pending entries a claim looks at when refreshing delivery counts or this consumer's own
 * list; a claimed page beyond it would get no counts, so `maxBatchEntries` (the page size) may not
 * exceed it.
 */
export const PENDING_SCAN_LIMIT = 10_000;

const defaults = Object.freeze({
  keyPrefix: 'stream:',
  maxEntries: 100_000,
  maxBatchEntries: 100,
  blockMs: 5000,
  claimIdleMs: 30_000,
  maxDeliveries: 5,
  startId: '0' as const,
});

/** The keys {@link STREAM_DEFAULTS} still answers under their old names. */
interface DeprecatedStreamDefaults {
  /** @deprecated Use `maxEntries`; this alias goes in the next minor version. */
  readonly maxLen: typeof defaults.maxEntries;
  /** @deprecated Use `maxBatchEntries`; this alias goes in the next minor version. */
  readonly batchSize: typeof defaults.maxBatchEntries;
}

/**
 * The defaults of {@link EventStreamOptions} and {@link ConsumeOptions}, in one place. The old
 * keys `maxLen` and `batchSize` still read (deprecated) but are not enumerable, so spreading the
 * defaults into options passes only the current names.
 */
export const STREAM_DEFAULTS = Object.freeze(
  Object.defineProperties(
    { ...defaults },
    { maxLen: { value: defaults.maxEntries }, batchSize: { value: defaults.maxBatchEntries } },
  ),
) as typeof defaults & DeprecatedStreamDefaults;

/** {@link EventStreamOptions} after defaults and validation. Internal. */
export interface ResolvedStreamOptions {
  keyPrefix: string;
  maxEntries: number;
}

/** {@link ConsumeOptions} after defaults and validation. Internal. */
export interface ResolvedConsumeOptions<C extends Channel = Channel> {
  channels: readonly C[];
  group: string;
  consumer: string;
  handler: DeliveryHandler<C>;
  maxBatchEntries: number;
  blockMs: number;
  claimIdleMs: number;
  maxDeliveries: number;
  startId: '0' | '$';
  onError: ConsumerErrorHandler | undefined;
}

function configError(option: string, message: string): ConfigError {
  return new ConfigError(`Option ${option} ${message}`, { context: { option } });
}

function positiveInt(value: number | undefined, fallback: number, option: string, max = Number.MAX_SAFE_INTEGER): number {
  return integerOption(value, fallback, option, { min: 1, max });
}

function name(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0) throw configError(option, 'must be a non-empty string');
  return value;
}

/** Applies the defaults of {@link EventStreamOptions}. @throws {ConfigError} naming the bad option. */
export function resolveStreamOptions(options: EventStreamOptions): ResolvedStreamOptions {
  const keyPrefix = options.keyPrefix ?? STREAM_DEFAULTS.keyPrefix;
  if (typeof keyPrefix !== 'string') throw configError('keyPrefix', 'must be a string');
  const [maxEntries, maxEntriesName] = renamedOption(options.maxEntries, 'maxEntries', options.maxLen, 'maxLen');
  return { keyPrefix, maxEntries: positiveInt(maxEntries, STREAM_DEFAULTS.maxEntries, maxEntriesName) };
}

/**
 * Applies the defaults of {@link ConsumeOptions}.
 *
 * @throws {ConfigError} naming the bad option; {@link ValidationError} for an unknown channel.
 */
export function resolveConsumeOptions<C extends Channel>(options: ConsumeOptions<C>): ResolvedConsumeOptions<C> {
  const channels: unknown = options.channels;
  if (!Array.isArray(channels) || channels.length === 0) throw configError('channels', 'must list at least one channel');
  for (const channel of channels) checkChannel(channel as Channel);
  if (new Set(channels).size !== channels.length) throw configError('channels', 'must not repeat a channel');
  if (typeof options.handler !== 'function') throw configError('handler', 'must be a function');
  if (options.onError !== undefined && typeof options.onError !== 'function') throw configError('onError', 'must be a function');
  const startId = options.startId ?? STREAM_DEFAULTS.startId;
  if (startId !== '0' && startId !== '$') throw configError('startId', `must be '0' or '$', got ${String(startId)}`);
  const [maxBatchEntries, maxBatchEntriesName] = renamedOption(options.maxBatchEntries, 'maxBatchEntries', options.batchSize, 'batchSize');
  return {
    channels: Object.freeze([...options.channels]),
    group: name(options.group, 'group'),
    consumer: name(options.consumer, 'consumer'),
    handler: options.handler,
    maxBatchEntries: positiveInt(maxBatchEntries, STREAM_DEFAULTS.maxBatchEntries, maxBatchEntriesName, PENDING_SCAN_LIMIT),
    blockMs: positiveInt(options.blockMs, STREAM_DEFAULTS.blockMs, 'blockMs'),
    claimIdleMs: positiveInt(options.claimIdleMs, STREAM_DEFAULTS.claimIdleMs, 'claimIdleMs'),
    maxDeliveries: positiveInt(options.maxDeliveries, STREAM_DEFAULTS.maxDeliveries, 'maxDeliveries'),
    startId,
    onError: options.onError,
  };
}
