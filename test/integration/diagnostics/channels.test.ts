import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTICS_CHANNELS as N } from '../../../src/diagnostics/channels.js';
import type {
  CacheLocalEvictionMessage,
  CacheLocalInvalidationMessage,
  ClientCommandContext,
  ClientReconnectMessage,
  ClientStatusMessage,
  StreamDeliveryMessage,
} from '../../../src/diagnostics/payloads.js';
import type { CacheStats } from '../../../src/cache/stats.js';
import type { PublisherStats } from '../../../src/events/publisher-types.js';
import { startFaultProxy, useRedisServer } from '../../harness/index.js';
import type { FaultProxyHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import {
  cacheStatsFrom,
  consumerStatsFrom,
  priceStatsFrom,
  publisherStatsFrom,
  recordChannels,
  subscriberStatsFrom,
  withoutHitRate,
  type Recorder,
} from '../../unit/diagnostics/recorder.js';
import { runWorkload, type Workload } from '../prometheus/workload.js';

expectNoUnhandledRejections();

/** Field-by-field sums of stats objects. */
function summed<T extends object>(all: readonly T[]): T {
  const out: Record<string, number> = {};
  for (const stats of all) for (const [k, v] of Object.entries(stats)) out[k] = (out[k] ?? 0) + (v as number);
  return out as T;
}

describe('diagnostics channels against a real redis-server: the scripted workload', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  let recorder: Recorder;
  let w: Workload;
  /** `performance.now()` before the workload started, and each command's clock read at its asyncEnd. */
  let startedBefore: number;
  const endedAt = new WeakMap<object, number>();
  const onEnd = (context: unknown): void => void endedAt.set(context as object, performance.now());

  beforeAll(async () => {
    proxy = await startFaultProxy({ targetPort: redis.server.port });
    // Only asyncEnd and error of the tracing channels: the exporter's own subscription.
    recorder = recordChannels(['asyncEnd', 'error']);
    subscribe(`tracing:${N.CLIENT_COMMAND}:asyncEnd`, onEnd);
    startedBefore = performance.now();
    w = await runWorkload(redis.server, proxy);
  });

  afterAll(async () => {
    unsubscribe(`tracing:${N.CLIENT_COMMAND}:asyncEnd`, onEnd);
    recorder?.stop();
    await w?.close();
    await proxy?.close();
  });

  it('add up to every stats() object, errors per call included', () => {
    expect(cacheStatsFrom(recorder)).toEqual(withoutHitRate(summed<CacheStats>(w.caches.map((c) => c.stats()))));
    expect(w.caches.reduce((n, c) => n + c.stats().errors, 0)).toBe(5); // a get, a getMany, a set, an invalidate and an INFO while down
    expect(publisherStatsFrom(recorder)).toEqual(summed<PublisherStats>(w.publishers.map((p) => p.stats())));
    expect(subscriberStatsFrom(recorder)).toEqual(w.subscriber.stats());
    const { pending: _pending, ...consumed } = w.consumer.stats();
    expect(consumerStatsFrom(recorder)).toEqual(consumed);
    expect(recorder.plain<StreamDeliveryMessage>(N.STREAM_DELIVERY).every((d) => d.group === w.group && d.channel === 'orders.executed')).toBe(true);
    expect(priceStatsFrom(recorder)).toEqual(withoutHitRate(summed(w.prices.map((p) => p.stats()))));
  });

  it('report the local tier: invalidations received from Redis and evictions of a full tier', () => {
    const invalidations = recorder.plain<CacheLocalInvalidationMessage>(N.CACHE_LOCAL_INVALIDATION);
    expect(invalidations.length).toBeGreaterThan(0);
    expect(invalidations.every((m) => m.all === false)).toBe(true);
    const evictions = recorder.plain<CacheLocalEvictionMessage>(N.CACHE_LOCAL_EVICTION);
    expect(evictions.length).toBeGreaterThan(0);
    expect(evictions.every((m) => m.reason === 'capacity')).toBe(true);
  });

  it('report the proxied connection going down, its reconnection attempts, and its return', () => {
    const statuses = recorder
      .plain<ClientStatusMessage>(N.CLIENT_STATUS)
      .filter((m) => m.component === 'proxied')
      .map((m) => `${m.previous}->${m.status}`);
    expect(statuses).toContain('ready->reconnecting');
    expect(statuses.at(-1)).toBe('reconnecting->ready');
    const attempts = recorder.plain<ClientReconnectMessage>(N.CLIENT_RECONNECT).filter((m) => m.component === 'proxied');
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts[0]?.attempt).toBe(1);
    for (const a of attempts) expect(a.delayMs).toBeGreaterThan(0);
    // Components of the connections the SDK opened for itself.
    const components = new Set(recorder.plain<ClientStatusMessage>(N.CLIENT_STATUS).map((m) => m.component));
    for (const c of ['client', 'proxied', 'limited', 'local-tier', 'subscriber', 'stream-reader']) expect(components).toContain(c);
  });

  it('trace every command with its duration and, on failure, its SDK error; payloads carry no key', () => {
    const commands = recorder.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'asyncEnd');
    for (const name of ['GET', 'MGET', 'SET', 'PUBLISH', 'XADD', 'XREADGROUP', 'XACK', 'XAUTOCLAIM']) expect(commands.map((c) => c.command)).toContain(name);
    // startedAt is a performance.now() reading taken during the workload, before the command's end: a
    // listener of asyncEnd alone gets a non-negative duration from it (another clock, or none, fails here).
    const ends = recorder.messages.filter((m) => m.channel === N.CLIENT_COMMAND && m.event === 'asyncEnd');
    for (const end of ends) {
      const startedAt = end.payload.startedAt as number;
      expect(startedAt).toBeGreaterThanOrEqual(startedBefore);
      expect(startedAt).toBeLessThanOrEqual(endedAt.get(end.object) as number);
    }
    const failed = recorder.traced<ClientCommandContext>(N.CLIENT_COMMAND, 'error');
    expect(failed.map((c) => (c.error as Error).name)).toContain('RedisCommandError');
    expect(failed.map((c) => (c.error as Error).name)).toContain('RedisUnavailableError');
    // No message names a key, a stream key or an event id.
    const text = JSON.stringify(recorder.messages.map((m) => ({ ...m.payload, result: undefined, error: undefined })));
    for (const secret of [w.streamKey, w.deadLetterKey, 'price:', ':2025-01-17']) expect(text).not.toContain(secret);
  });
});
