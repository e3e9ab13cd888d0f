/** What the parts of one `FeatureCache` share: its client, keys, counters, logger and local tier. */
import type { RedisClient } from '../client/redis-client.js';
import type { Logger } from '../internal/logger.js';
import type { FeatureKeys } from './keys.js';
import type { LocalTier } from './local-tier.js';
import type { CacheCounters } from './stats.js';

/**
 * The state a `FeatureCache` hands to its reads, writes, invalidation and server stats, built
 * once in its constructor. Internal.
 */
export interface CacheContext {
  /** The shared command connection; the cache never closes it. */
  readonly client: RedisClient;
  readonly keys: FeatureKeys;
  readonly counters: CacheCounters;
  readonly log: Logger;
  /** The local tier, when the cache has one; reads fill it, own writes and deletes drop from it. */
  readonly local: LocalTier | undefined;
}
