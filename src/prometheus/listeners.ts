/**
 * The subscriptions of one metrics registration to the SDK's diagnostics channels: each message
 * becomes counter increments or a histogram observation. Subscribed by channel name, so they hear
 * every copy of the SDK loaded in the process. Durations come from each trace context's
 * `startedAt`, read at `asyncEnd`: the `start` channels get no subscriber, which keeps the core's
 * traced path at its cheapest.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { DIAGNOSTICS_CHANNELS as N } from '../diagnostics/channels.js';
import type {
  CacheComputeContext,
  CacheInfoMessage,
  CacheInvalidateMessage,
  CacheLookupMessage,
  CacheReadContext,
  CacheWriteMessage,
  ClientCommandContext,
  ClientReconnectMessage,
  PriceReadMessage,
  PriceWriteMessage,
  PublishContext,
  PublishOutcomeMessage,
  StreamAppendMessage,
  StreamDeliveryMessage,
  SubscriberMessage,
} from '../diagnostics/payloads.js';
import type { SdkMetrics } from './metrics.js';

type Listener = (message: unknown, name: string | symbol) => void;

/** The SDK error class of a failed command, as a bounded label (`RedisTimeoutError`...). */
function errorClass(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** Seconds since a trace context's `startedAt`. */
function elapsed(context: { readonly startedAt: number }): number {
  return (performance.now() - context.startedAt) / 1000;
}

/** The listeners of the per-key cache and price outcomes, each series' cell resolved once. */
function outcomeListeners(m: SdkMetrics): Array<[string, Listener]> {
  const c = m.cacheRequests;
  const [localHit, redisHit, absent, failed, corrupt, foreign, unsupported] = [
    c.cell('local', 'hit'),
    c.cell('redis', 'hit'),
    c.cell('redis', 'miss'),
    c.cell('redis', 'error'),
    c.cell('redis', 'corrupt'),
    c.cell('redis', 'foreign'),
    c.cell('redis', 'unsupported'),
  ];
  const cw = m.cacheWrites;
  const [written, writeError, oversized, refused] = [cw.cell('written'), cw.cell('error'), cw.cell('oversized'), cw.cell('refused')];
  const p = m.priceRequests;
  const [priceHit, priceMiss, priceInvalid, priceStale, priceError] = [p.cell('hit'), p.cell('miss'), p.cell('invalid'), p.cell('stale'), p.cell('error')];
  const cacheErrors = m.cacheErrors;
  const priceSetError = m.priceErrors.cell('set');
  return [
    [
      N.CACHE_LOOKUP,
      (message) => {
        const r = message as CacheLookupMessage;
        localHit.pending += r.localHits;
        redisHit.pending += r.redisHits;
        absent.pending += r.absent;
        failed.pending += r.failed;
        corrupt.pending += r.corrupt;
        foreign.pending += r.foreign;
        unsupported.pending += r.unsupported;
        if (r.errors !== 0) cacheErrors.add(r.errors, r.operation);
      },
    ],
    [
      N.CACHE_WRITE,
      (message) => {
        const w = message as CacheWriteMessage;
        written.pending += w.written;
        writeError.pending += w.failed;
        oversized.pending += w.oversized;
        refused.pending += w.refused;
        if (w.errors !== 0) cacheErrors.add(w.errors, w.operation);
      },
    ],
    [
      N.CACHE_INVALIDATE,
      (message) => {
        const i = message as CacheInvalidateMessage;
        if (i.errors !== 0) cacheErrors.add(i.errors, i.operation);
      },
    ],
    [
      N.CACHE_INFO,
      (message) => {
        const i = message as CacheInfoMessage;
        if (i.errors !== 0) cacheErrors.add(i.errors, i.operation);
      },
    ],
    [
      N.PRICE_READ,
      (message) => {
        const r = message as PriceReadMessage;
        priceHit.pending += r.hits;
        priceMiss.pending += r.absent;
        priceInvalid.pending += r.invalid;
        priceStale.pending += r.stale;
        priceError.pending += r.failed;
        if (r.errors !== 0) m.priceErrors.add(r.errors, r.operation);
      },
    ],
    [
      N.PRICE_WRITE,
      (message) => {
        const outcome = (message as PriceWriteMessage).outcome;
        m.priceWrites.add(1, outcome);
        if (outcome === 'error') priceSetError.pending += 1;
      },
    ],
  ];
}

/**
 * Subscribes `metrics` to every channel it is fed from. Returns the function that unsubscribes
 * them all.
 */
export function listen(metrics: SdkMetrics): () => void {
  const m = metrics;
  const joins = m.cacheJoins.cell();
  const localInvalidations = m.cacheLocalInvalidations.cell();
  const localEvictions = m.cacheLocalEvictions.cell();
  const plain: Array<[string, Listener]> = [
    ...outcomeListeners(m),
    [N.CACHE_JOIN, () => void joins.pending++],
    [N.CACHE_LOCAL_INVALIDATION, () => void localInvalidations.pending++],
    [N.CACHE_LOCAL_EVICTION, () => void localEvictions.pending++],
    [
      N.PUBLISH_OUTCOME,
      (message) => {
        const p = message as PublishOutcomeMessage;
        m.publish.add(1, p.channel, p.outcome);
      },
    ],
    [
      N.SUBSCRIBER_MESSAGE,
      (message) => {
        const s = message as SubscriberMessage;
        m.subscriberMessages.add(1, s.channel, s.outcome);
      },
    ],
    [N.STREAM_APPEND, (message) => m.streamAppends.add(1, (message as StreamAppendMessage).outcome)],
    [
      N.STREAM_DELIVERY,
      (message) => {
        const d = message as StreamDeliveryMessage;
        m.streamDeliveries.add(d.count, d.group, d.outcome);
      },
    ],
    [N.CLIENT_RECONNECT, (message) => m.clientReconnects.add(1, (message as ClientReconnectMessage).component)],
  ];

  const traced: Array<[string, 'asyncEnd' | 'error', Listener]> = [
    [
      N.CACHE_READ,
      'asyncEnd',
      (context) => {
        const c = context as CacheReadContext;
        m.cacheReadDuration.observe(c.operation, elapsed(c));
      },
    ],
    [
      N.CACHE_COMPUTE,
      'asyncEnd',
      (context) => {
        const c = context as CacheComputeContext;
        m.cacheComputeDuration.observe('error' in c ? 'error' : 'ok', elapsed(c));
      },
    ],
    [
      N.PUBLISH,
      'asyncEnd',
      (context) => {
        const c = context as PublishContext;
        m.publishDuration.observe(c.channel, elapsed(c));
      },
    ],
    [
      N.CLIENT_COMMAND,
      'asyncEnd',
      (context) => {
        const c = context as ClientCommandContext;
        m.clientCommandDuration.observe(c.command, elapsed(c));
      },
    ],
    [
      N.CLIENT_COMMAND,
      'error',
      (context) => {
        const c = context as ClientCommandContext;
        m.clientCommandErrors.add(1, c.command, errorClass(c.error));
      },
    ],
  ];

  const all: Array<[string, Listener]> = [...plain, ...traced.map(([name, event, fn]): [string, Listener] => [`tracing:${name}:${event}`, fn])];
  for (const [name, fn] of all) subscribe(name, fn);
  return () => {
    for (const [name, fn] of all) unsubscribe(name, fn);
  };
}
