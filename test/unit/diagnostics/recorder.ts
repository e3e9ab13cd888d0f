/**
 * Test helper: records every message of the SDK's diagnostics channels, and derives from them the
 * counters the SDK's `stats()` objects report (the contract `docs/diagnostics.md` states). Shared
 * by the unit tests here and the integration tests of test/integration/diagnostics.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { DIAGNOSTICS_CHANNELS } from '../../../src/diagnostics/channels.js';
import type {
  CacheInfoMessage,
  CacheInvalidateMessage,
  CacheLookupMessage,
  CacheWriteMessage,
  PriceReadMessage,
  PriceWriteMessage,
  PublishOutcomeMessage,
  StreamDeliveryMessage,
  SubscriberMessage,
} from '../../../src/diagnostics/payloads.js';
import type { CacheStats } from '../../../src/cache/stats.js';
import type { PublisherStats } from '../../../src/events/publisher-types.js';
import type { SubscriberStats } from '../../../src/events/subscriber-types.js';
import type { ConsumerStats } from '../../../src/streams/delivery.js';
import type { PriceCacheStats } from '../../../src/prices/price-cache.js';

/** The tracing channels among {@link DIAGNOSTICS_CHANNELS}. */
export const TRACING_NAMES: readonly string[] = [
  DIAGNOSTICS_CHANNELS.CACHE_READ,
  DIAGNOSTICS_CHANNELS.CACHE_COMPUTE,
  DIAGNOSTICS_CHANNELS.PUBLISH,
  DIAGNOSTICS_CHANNELS.CLIENT_COMMAND,
];
export const PLAIN_NAMES: readonly string[] = Object.values(DIAGNOSTICS_CHANNELS).filter((n) => !TRACING_NAMES.includes(n));
export const TRACE_EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;
export type TraceEvent = (typeof TRACE_EVENTS)[number];

/** One message: its channel, for a tracing channel the event, and a copy of the payload as it was then. */
export interface Recorded {
  readonly channel: string;
  readonly event: TraceEvent | undefined;
  readonly payload: Record<string, unknown>;
  /** The published object itself (a trace context is the same object across its events). */
  readonly object: object;
}

export interface Recorder {
  readonly messages: Recorded[];
  /** Payloads of a plain channel, in order. */
  plain<T>(channel: string): T[];
  /** Payload copies of one event of a tracing channel, in order. */
  traced<T>(channel: string, event: TraceEvent): T[];
  /** Unsubscribes everything. */
  stop(): void;
}

/** Subscribes to every plain channel and every event of every tracing channel (or only `events` of them). */
export function recordChannels(events: readonly TraceEvent[] = TRACE_EVENTS): Recorder {
  const messages: Recorded[] = [];
  const subscriptions: Array<[string, (message: unknown) => void]> = [];
  for (const channel of PLAIN_NAMES) {
    subscriptions.push([channel, (m) => messages.push({ channel, event: undefined, payload: { ...(m as object) }, object: m as object })]);
  }
  for (const channel of TRACING_NAMES) {
    for (const event of events) {
      subscriptions.push([`tracing:${channel}:${event}`, (m) => messages.push({ channel, event, payload: { ...(m as object) }, object: m as object })]);
    }
  }
  for (const [name, fn] of subscriptions) subscribe(name, fn);
  return {
    messages,
    plain: <T>(channel: string) => messages.filter((m) => m.channel === channel && m.event === undefined).map((m) => m.payload as T),
    traced: <T>(channel: string, event: TraceEvent) => messages.filter((m) => m.channel === channel && m.event === event).map((m) => m.payload as T),
    stop: () => {
      for (const [name, fn] of subscriptions) unsubscribe(name, fn);
    },
  };
}

const sum = <T>(items: readonly T[], f: (t: T) => number): number => items.reduce((s, t) => s + f(t), 0);

/** `CacheStats` (without `hitRate`) as the channels tell it. */
export function cacheStatsFrom(r: Recorder): Omit<CacheStats, 'hitRate'> {
  const lookups = r.plain<CacheLookupMessage>(DIAGNOSTICS_CHANNELS.CACHE_LOOKUP);
  const writes = r.plain<CacheWriteMessage>(DIAGNOSTICS_CHANNELS.CACHE_WRITE);
  const invalidations = r.plain<CacheInvalidateMessage>(DIAGNOSTICS_CHANNELS.CACHE_INVALIDATE);
  const infos = r.plain<CacheInfoMessage>(DIAGNOSTICS_CHANNELS.CACHE_INFO);
  return {
    hits: sum(lookups, (l) => l.localHits + l.redisHits),
    misses: sum(lookups, (l) => l.absent + l.corrupt + l.foreign + l.unsupported + l.failed),
    errors: sum(lookups, (l) => l.errors) + sum(writes, (w) => w.errors) + sum(invalidations, (i) => i.errors) + sum(infos, (i) => i.errors),
    sets: sum(writes, (w) => w.written),
    corrupt: sum(lookups, (l) => l.corrupt),
    foreign: sum(lookups, (l) => l.foreign),
    unsupported: sum(lookups, (l) => l.unsupported),
    localHits: sum(lookups, (l) => l.localHits),
    oversized: sum(writes, (w) => w.oversized),
  };
}

/** `PublisherStats` as the channels tell it (`buffered`: the last message's depth). */
export function publisherStatsFrom(r: Recorder): PublisherStats {
  const outcomes = r.plain<PublishOutcomeMessage>(DIAGNOSTICS_CHANNELS.PUBLISH_OUTCOME);
  const count = (o: PublishOutcomeMessage['outcome']): number => outcomes.filter((m) => m.outcome === o).length;
  return {
    published: count('published'),
    failed: count('failed'),
    rejected: count('rejected'),
    buffered: outcomes.at(-1)?.buffered ?? 0,
    dropped: count('dropped'),
    replayed: count('replayed'),
    streamFailed: count('stream_failed'),
  };
}

/** `SubscriberStats` as the channels tell it. */
export function subscriberStatsFrom(r: Recorder): SubscriberStats {
  const messages = r.plain<SubscriberMessage>(DIAGNOSTICS_CHANNELS.SUBSCRIBER_MESSAGE);
  const count = (o: SubscriberMessage['outcome']): number => messages.filter((m) => m.outcome === o).length;
  return { received: count('received'), invalid: count('invalid'), handlerErrors: count('handler_error'), dropped: count('dropped') };
}

/** `ConsumerStats` without `pending` (a point-in-time figure), as the channels tell it. */
export function consumerStatsFrom(r: Recorder): Omit<ConsumerStats, 'pending'> {
  const deliveries = r.plain<StreamDeliveryMessage>(DIAGNOSTICS_CHANNELS.STREAM_DELIVERY);
  const total = (o: StreamDeliveryMessage['outcome']): number => sum(deliveries.filter((d) => d.outcome === o), (d) => d.count);
  return { processed: total('processed'), acked: total('acked'), retried: total('retried'), deadLettered: total('dead_lettered') };
}

/** `PriceCacheStats` (without `hitRate`) as the channels tell it. */
export function priceStatsFrom(r: Recorder): Omit<PriceCacheStats, 'hitRate'> {
  const reads = r.plain<PriceReadMessage>(DIAGNOSTICS_CHANNELS.PRICE_READ);
  const writes = r.plain<PriceWriteMessage>(DIAGNOSTICS_CHANNELS.PRICE_WRITE);
  return {
    hits: sum(reads, (m) => m.hits),
    misses: sum(reads, (m) => m.absent + m.invalid + m.stale + m.failed),
    invalid: sum(reads, (m) => m.invalid),
    stale: sum(reads, (m) => m.stale),
    errors: sum(reads, (m) => m.errors) + writes.filter((w) => w.outcome === 'error').length,
    sets: writes.filter((w) => w.outcome === 'written').length,
  };
}

/** `stats` without `hitRate`, to compare with a derived one. */
export function withoutHitRate<T extends { hitRate: number }>(stats: T): Omit<T, 'hitRate'> {
  const { hitRate: _hitRate, ...rest } = stats;
  return rest;
}
