/** Broadcast client tracking for a node-redis connection: the local tier's invalidation feed. */
import { BasicClientSideCache, type RedisArgument } from 'redis';
import type { InvalidationTracking } from '../../client/types.js';

/**
 * node-redis's client-side cache provider, used only for its tracking hooks: it turns on
 * broadcast tracking for one key prefix during every handshake (so tracking is back before the
 * connection reports ready after a reconnect) and forwards each invalidation.
 */
class PrefixTracking extends BasicClientSideCache {
  readonly #tracking: InvalidationTracking;

  constructor(tracking: InvalidationTracking) {
    super({ maxEntries: 1, ttl: 1 });
    this.#tracking = tracking;
  }

  override trackingOn(): string[] {
    return ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', this.#tracking.prefix];
  }

  override invalidate(key: RedisArgument | null): void {
    super.invalidate(key);
    this.#tracking.onInvalidate(key === null ? null : key.toString());
  }
}

/** node-redis client options that make a connection a tracking connection (RESP3 pushes). */
export function trackingClientOptions(tracking: InvalidationTracking): Record<string, unknown> {
  return { RESP: 3, clientSideCache: new PrefixTracking(tracking) };
}
