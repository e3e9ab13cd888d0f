/** `FeatureCache.serverStats`: the server's figures from INFO, as the Python `get_stats` reports them. */
import { errorMessage } from '../internal/error-text.js';
import type { CacheContext } from './context.js';
import type { ServerStats } from './stats.js';

/**
 * Reads INFO once. A field INFO lacks counts as `0`. Like the cache's other calls it fails open:
 * a Redis error is counted and logged, and gives `null`.
 */
export async function readServerStats(context: Pick<CacheContext, 'client' | 'counters' | 'log'>): Promise<ServerStats | null> {
  try {
    const info = await context.client.info();
    const num = (name: string): number => Number(info[name] ?? 0);
    return {
      keyspaceHits: num('keyspace_hits'),
      keyspaceMisses: num('keyspace_misses'),
      usedMemory: num('used_memory'),
      connectedClients: num('connected_clients'),
    };
  } catch (err) {
    context.counters.errors++;
    context.log.warn({ err: errorMessage(err) }, 'INFO failed');
    return null;
  }
}
