/** The local tier of a `FeatureCache`: decoded vectors in process, and the tracking connection that keeps them fresh. */
import type { RedisClient } from '../client/redis-client.js';
import { dc } from '../diagnostics/channels.js';
import { errorMessage } from '../internal/error-text.js';
import { ConfigError, RedisClosedError, RedisConnectionError, RedisSdkError } from '../internal/errors.js';
import type { Features } from './codecs/index.js';
import type { LocalTierOptions } from './options.js';

interface Entry {
  features: Features;
  expiresAt: number;
}

/** The eviction messages, one frozen object each: nothing is allocated per eviction. */
const EXPIRED = Object.freeze({ reason: 'expired' as const });
const CAPACITY = Object.freeze({ reason: 'capacity' as const });

/** An invalidation Redis sent on the tracking connection: applied, and reported on `cache:local-invalidation`. */
function receiveInvalidation(tier: LocalTier, key: string | null): void {
  tier.invalidate(key);
  if (dc.cacheLocalInvalidation.hasSubscribers) dc.cacheLocalInvalidation.publish({ all: key === null });
}

/**
 * A fill ticket: taken before a Redis read, redeemed after it. The read's result may enter the
 * tier only if tracking was live when the read started and no invalidation of that key (or of
 * everything) has arrived since; otherwise the value might predate a write another process
 * made while the read was in flight.
 */
export interface FillTicket {
  readonly epoch: number;
}

/**
 * The in-process tier of {@link FeatureCache}: decoded vectors in a bounded LRU (a `Map` in
 * recency order), dropped on invalidation. It is only as fresh as the invalidations it gets, so
 * it refuses fills and serves nothing while tracking is down.
 */
export class LocalTier {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /** Bumped on every invalidation; a key's last invalidation epoch is kept in `#invalidatedAt`. */
  #epoch = 0;
  /** Fills from tickets older than this are refused: set when tracking (re)starts or all is flushed. */
  #floor = 0;
  readonly #invalidatedAt = new Map<string, number>();
  #live = false;

  constructor(maxEntries: number, ttlMs: number) {
    this.#maxEntries = maxEntries;
    this.#ttlMs = ttlMs;
  }

  /** Whether tracking is live, so the tier may serve and fill. */
  get live(): boolean {
    return this.#live;
  }

  /** Number of vectors held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Tracking became live (after each (re)connect of the tracking connection). */
  start(): void {
    this.#clear();
    this.#live = true;
  }

  /** Tracking was lost: invalidations may be missed, so drop everything and stop serving. */
  stop(): void {
    this.#live = false;
    this.#clear();
  }

  /** A vector, if held, fresh and tracked. Refreshes its recency. */
  get(key: string): Features | undefined {
    if (!this.#live) return undefined;
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= Date.now()) {
      if (dc.cacheLocalEviction.hasSubscribers) dc.cacheLocalEviction.publish(EXPIRED);
      return undefined;
    }
    this.#entries.set(key, entry);
    return entry.features;
  }

  /** Take before reading Redis. */
  ticket(): FillTicket {
    return { epoch: this.#live ? this.#epoch : -1 };
  }

  /** Store a value read (or written) under a ticket, unless an invalidation may have overtaken it. */
  fill(key: string, features: Features, ticket: FillTicket): void {
    if (!this.#live || ticket.epoch < this.#floor) return;
    const last = this.#invalidatedAt.get(key);
    if (last !== undefined && last > ticket.epoch) return;
    this.#entries.delete(key);
    this.#entries.set(key, { features, expiresAt: Date.now() + this.#ttlMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      if (dc.cacheLocalEviction.hasSubscribers) dc.cacheLocalEviction.publish(CAPACITY);
    }
  }

  /** Redis reported a change to `key`, or (`null`) that everything must go. */
  invalidate(key: string | null): void {
    this.#epoch += 1;
    if (key === null) {
      this.#clear();
      return;
    }
    this.#entries.delete(key);
    this.#invalidatedAt.set(key, this.#epoch);
    // Bounded memory: forgetting per-key epochs is safe if older tickets are refused wholesale.
    if (this.#invalidatedAt.size > this.#maxEntries) {
      this.#invalidatedAt.clear();
      // A new epoch as the floor: tickets from before are refused, tickets from now on fill.
      this.#epoch += 1;
      this.#floor = this.#epoch;
    }
  }

  /** Drop one key locally (own deletes). */
  delete(key: string): void {
    this.invalidate(key);
  }

  #clear(): void {
    this.#entries.clear();
    this.#invalidatedAt.clear();
    this.#epoch += 1;
    this.#floor = this.#epoch;
  }
}

/**
 * A {@link LocalTier} with the connection that keeps it fresh: a duplicate of the cache's client
 * (closed with that client) on which Redis reports every change under the cache's prefix
 * (broadcast client tracking, turned on in each handshake, so before the connection reports
 * ready). The tier starts on each `ready` of that connection and stops, dropping everything,
 * when it is lost or closed. The connection reconnects on its own until {@link close}.
 */
export class TrackedLocalTier {
  /** The tier: reads fill it, own writes and invalidations drop from it. */
  readonly tier: LocalTier;
  readonly #tracker: RedisClient;
  #closed = false;

  /**
   * Opens the tracking connection in the background; nothing is awaited here.
   * @throws ConfigError on a cluster or sentinel client (tracking needs one standalone server).
   */
  constructor(client: RedisClient, prefix: string, options: Required<LocalTierOptions>) {
    if (client.kind === 'cluster' || client.kind === 'sentinel') {
      throw new ConfigError('FeatureCache option local needs a standalone or embedded Redis, not a ' + client.kind, {
        context: { option: 'local' },
      });
    }
    const tier = new LocalTier(options.maxEntries, options.ttlMs);
    const tracker = client.duplicate({
      tracking: { prefix: `${prefix}:`, onInvalidate: (key) => receiveInvalidation(tier, key) },
      closeWithParent: true,
      component: 'local-tier',
    });
    tracker.on('ready', () => tier.start());
    tracker.on('reconnecting', () => tier.stop());
    tracker.on('close', () => tier.stop());
    tracker.connectInBackground();
    this.tier = tier;
    this.#tracker = tracker;
  }

  /** Whether the tier is receiving invalidations and may serve. */
  get live(): boolean {
    return this.tier.live;
  }

  /**
   * Resolves once the tier is live, at once if it is. The wait is the tracking connection's own
   * `connect()`, which waits for a connection already connecting in the background and rejects
   * within the client's `connectTimeoutMs`.
   *
   * @throws RedisConnectionError when the tracking connection is not ready in time.
   * @throws RedisClosedError when the tier was closed, or closes while waiting.
   */
  async ready(): Promise<void> {
    if (this.tier.live) return;
    const closed = (): RedisClosedError => new RedisClosedError('FeatureCache local tier closed: its tracking connection was closed');
    if (this.#closed || this.#tracker.status === 'closed') throw closed();
    let onClose = (): void => undefined;
    const whenClosed = new Promise<never>((_, reject) => {
      onClose = () => reject(closed());
      this.#tracker.once('close', onClose);
    });
    try {
      await Promise.race([this.#tracker.connect(), whenClosed]);
    } catch (err) {
      if (err instanceof RedisClosedError) throw err;
      throw new RedisConnectionError(`FeatureCache local tier not live: ${errorMessage(err)}`, {
        cause: err,
        context: err instanceof RedisSdkError ? err.context : {},
      });
    } finally {
      this.#tracker.off('close', onClose);
    }
    // Ready, yet lost again (or closed) before this continued.
    if (!this.tier.live) throw new RedisConnectionError('FeatureCache local tier not live: its tracking connection was lost again');
  }

  /** Stops the tier and closes the tracking connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.tier.stop();
    await this.#tracker.close();
  }
}
