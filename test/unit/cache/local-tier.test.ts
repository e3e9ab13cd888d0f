import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedBackend } from '../../../src/adapters/embedded/backend.js';
import type { Features } from '../../../src/cache/codecs/index.js';
import { LocalTier, TrackedLocalTier } from '../../../src/cache/local-tier.js';
import { CLIENT_DEFAULTS } from '../../../src/client/options.js';
import { RedisClient } from '../../../src/client/redis-client.js';
import { createEmbeddedServer } from '../../../src/embedded.js';
import { ConfigError, RedisClosedError, RedisConnectionError } from '../../../src/internal/errors.js';

const A: Features = { a: 1 };
const B: Features = { b: 2 };

function liveTier(maxEntries = 100, ttlMs = 60_000): LocalTier {
  const tier = new LocalTier(maxEntries, ttlMs);
  tier.start();
  return tier;
}

/** Fills under a fresh ticket, as a read that saw no invalidation would. */
function put(tier: LocalTier, key: string, value: Features = A): void {
  tier.fill(key, value, tier.ticket());
}

describe('LocalTier', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves and fills nothing until tracking is live', () => {
    const tier = new LocalTier(10, 1000);
    expect(tier.live).toBe(false);
    put(tier, 'k');
    expect(tier.get('k')).toBeUndefined();
    expect(tier.size).toBe(0);
    tier.start();
    put(tier, 'k');
    expect(tier.get('k')).toBe(A);
    expect(tier.size).toBe(1);
  });

  it('refuses a fill when the key was invalidated while the read was in flight', () => {
    const tier = liveTier();
    const ticket = tier.ticket();
    tier.invalidate('k');
    tier.fill('k', A, ticket);
    expect(tier.get('k')).toBeUndefined();
    put(tier, 'k', B);
    expect(tier.get('k')).toBe(B);
  });

  it('accepts a fill when only other keys were invalidated during the read', () => {
    const tier = liveTier();
    const ticket = tier.ticket();
    tier.invalidate('other');
    tier.fill('k', A, ticket);
    expect(tier.get('k')).toBe(A);
  });

  it('an invalidation drops a held key, and a read that starts after it fills again', () => {
    const tier = liveTier();
    put(tier, 'k');
    tier.invalidate('k');
    expect(tier.get('k')).toBeUndefined();
    const after = tier.ticket();
    tier.fill('k', B, after);
    expect(tier.get('k')).toBe(B);
  });

  it('a flush (null) drops everything and refuses fills of reads that started before it', () => {
    const tier = liveTier();
    put(tier, 'x');
    const ticket = tier.ticket();
    tier.invalidate(null);
    expect(tier.get('x')).toBeUndefined();
    tier.fill('k', A, ticket);
    expect(tier.get('k')).toBeUndefined();
    put(tier, 'k', B);
    expect(tier.get('k')).toBe(B);
  });

  it('stop drops everything and refuses fills; a restart refuses fills of reads that began before it', () => {
    const tier = liveTier();
    put(tier, 'x');
    const beforeStop = tier.ticket();
    tier.stop();
    expect(tier.live).toBe(false);
    expect(tier.size).toBe(0);
    const whileDown = tier.ticket();
    tier.start();
    tier.fill('a', A, beforeStop);
    tier.fill('b', A, whileDown);
    expect(tier.get('a')).toBeUndefined();
    expect(tier.get('b')).toBeUndefined();
    expect(tier.get('x')).toBeUndefined();
    put(tier, 'c');
    expect(tier.get('c')).toBe(A);
  });

  it('after forgetting per-key epochs (more invalidated keys than maxEntries) older tickets are refused and new ones fill', () => {
    const tier = liveTier(2);
    const old = tier.ticket();
    tier.invalidate('k1');
    tier.invalidate('k2');
    tier.invalidate('k3');
    // The per-key record of k1..k3 is gone; a ticket from before must be refused for every key.
    tier.fill('k1', A, old);
    tier.fill('untouched', A, old);
    expect(tier.get('k1')).toBeUndefined();
    expect(tier.get('untouched')).toBeUndefined();
    // With no further invalidation, a read that starts now must be able to fill.
    put(tier, 'k1', B);
    expect(tier.get('k1')).toBe(B);
  });

  it('keeps at most maxEntries, evicting the least recently used (a get refreshes recency)', () => {
    const tier = liveTier(2);
    put(tier, 'a');
    put(tier, 'b');
    expect(tier.get('a')).toBe(A);
    put(tier, 'c');
    expect(tier.size).toBe(2);
    expect(tier.get('b')).toBeUndefined();
    expect(tier.get('a')).toBe(A);
    expect(tier.get('c')).toBe(A);
    put(tier, 'c', B);
    expect(tier.size).toBe(2);
    expect(tier.get('c')).toBe(B);
  });

  it('stops serving an entry ttlMs after it was filled', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const tier = liveTier(10, 500);
    put(tier, 'k');
    vi.setSystemTime(1_000_499);
    expect(tier.get('k')).toBe(A);
    vi.setSystemTime(1_000_500);
    expect(tier.get('k')).toBeUndefined();
    expect(tier.size).toBe(0);
  });

  it('delete is a local invalidation: it drops the key and refuses in-flight fills of it', () => {
    const tier = liveTier();
    put(tier, 'k');
    const ticket = tier.ticket();
    tier.delete('k');
    expect(tier.get('k')).toBeUndefined();
    tier.fill('k', A, ticket);
    expect(tier.get('k')).toBeUndefined();
  });
});

describe('TrackedLocalTier (embedded backend)', () => {
  const OPTIONS = { maxEntries: 10, ttlMs: 60_000 };
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('is live once its tracking connection is ready, and drops keys other clients write under its prefix', async () => {
    const server = createEmbeddedServer();
    const client = await server.createClient().connect();
    const other = await server.createClient().connect();
    const tracked = new TrackedLocalTier(client, 'p', OPTIONS);
    try {
      await tracked.ready();
      expect(tracked.live).toBe(true);
      await tracked.ready();
      const tier = tracked.tier;
      tier.fill('p:A:2025-01-17', A, tier.ticket());
      tier.fill('q:A:2025-01-17', A, tier.ticket());
      await other.set('p:A:2025-01-17', '{}');
      await other.set('q:A:2025-01-17', '{}');
      expect(tier.get('p:A:2025-01-17')).toBeUndefined();
      expect(tier.get('q:A:2025-01-17')).toBe(A);
    } finally {
      await tracked.close();
      await client.close();
      await other.close();
    }
  });

  it('needs a standalone or embedded client: ConfigError for a cluster or sentinel, before connecting', () => {
    const cluster = new RedisClient({ cluster: { rootNodes: [{ host: '127.0.0.1', port: 7000 }] } });
    const sentinel = new RedisClient({ sentinel: { name: 'mymaster', sentinels: [{ host: '127.0.0.1', port: 26379 }] } });
    for (const client of [cluster, sentinel]) {
      expect(() => new TrackedLocalTier(client, 'p', OPTIONS)).toThrow(ConfigError);
      expect(client.status).toBe('closed');
    }
  });

  it('asks for a tracking connection that closes with its client, under the prefix', () => {
    const client = createEmbeddedServer().createClient();
    const duplicate = vi.spyOn(client, 'duplicate');
    const tracked = new TrackedLocalTier(client, 'p', OPTIONS);
    expect(duplicate).toHaveBeenCalledTimes(1);
    expect(duplicate.mock.calls[0]?.[0]).toMatchObject({ closeWithParent: true, tracking: { prefix: 'p:' } });
    return tracked.close();
  });

  it('stops when its client closes (closeWithParent); ready() then rejects with RedisClosedError at once', async () => {
    const client = await createEmbeddedServer().createClient().connect();
    const tracked = new TrackedLocalTier(client, 'p', OPTIONS);
    await tracked.ready();
    await client.close();
    expect(tracked.live).toBe(false);
    await expect(tracked.ready()).rejects.toBeInstanceOf(RedisClosedError);
  });

  it('after close(), ready() rejects with RedisClosedError at once', async () => {
    const client = await createEmbeddedServer().createClient().connect();
    const tracked = new TrackedLocalTier(client, 'p', OPTIONS);
    await tracked.close();
    expect(tracked.live).toBe(false);
    await expect(tracked.ready()).rejects.toBeInstanceOf(RedisClosedError);
    await client.close();
  });

  it('ready() rejects with RedisConnectionError after connectTimeoutMs when the tracking connection never gets ready, and never hangs', async () => {
    const client = await createEmbeddedServer().createClient().connect();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Every new embedded connection now hangs in its handshake: the tracking connection stays connecting.
    vi.spyOn(EmbeddedBackend.prototype, 'connect').mockImplementation(() => new Promise<void>(() => undefined));
    const tracked = new TrackedLocalTier(client, 'p', OPTIONS);
    let outcome: unknown;
    const waiting = tracked.ready().then(
      () => (outcome = 'resolved'),
      (err: unknown) => (outcome = err),
    );
    await vi.advanceTimersByTimeAsync(CLIENT_DEFAULTS.connectTimeoutMs - 1);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(outcome).toBeInstanceOf(RedisConnectionError);
    expect((outcome as Error).message).toMatch(/^FeatureCache local tier not live: /);
    expect(tracked.live).toBe(false);
    await tracked.close();
    await client.close();
  });

  it('a close() while ready() waits rejects it with RedisClosedError without waiting for the deadline', async () => {
    const client = await createEmbeddedServer().createClient().connect();
    vi.spyOn(EmbeddedBackend.prototype, 'connect').mockImplementation(() => new Promise<void>(() => undefined));
    const tracked = new TrackedLocalTier(client, 'p', OPTIONS);
    const waiting = tracked.ready();
    await tracked.close();
    await expect(waiting).rejects.toBeInstanceOf(RedisClosedError);
    await client.close();
  });
});
