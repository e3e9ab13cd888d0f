/** `FeatureCache.serverStats` and `getStats`: the server's figures from INFO, as the Python `get_stats` reports them. */
import { dc } from '../diagnostics/channels.js';
import type { CacheInfoMessage } from '../diagnostics/payloads.js';
import { errorMessage } from '../internal/error-text.js';
import type { CacheContext } from './context.js';
import type { PythonCacheStats, ServerStats } from './stats.js';

type StatsContext = Pick<CacheContext, 'client' | 'counters' | 'log'>;

/** INFO once, parsed; `undefined` (counted, logged) when Redis failed. Published on `cache:info` either way. */
async function readInfo(context: StatsContext, operation: CacheInfoMessage['operation']): Promise<Record<string, string> | undefined> {
  try {
    const info = await context.client.info();
    if (dc.cacheInfo.hasSubscribers) dc.cacheInfo.publish({ operation, errors: 0 });
    return info;
  } catch (err) {
    context.counters.errors++;
    context.log.warn({ err: errorMessage(err) }, 'INFO failed');
    if (dc.cacheInfo.hasSubscribers) dc.cacheInfo.publish({ operation, errors: 1 });
    return undefined;
  }
}

/**
 * Python's `get_stats()` dict from parsed INFO: the same four keys, the same defaults for a field
 * INFO lacks (`0`, and `"unknown"` for `used_memory`), `used_memory` being Redis's
 * `used_memory_human` text (`"1.05M"`), the counts numbers as redis-py parses them.
 */
function pythonStats(info: Record<string, string>): PythonCacheStats {
  const count = (name: string): number => {
    const text = info[name];
    return text === undefined ? 0 : Number(text);
  };
  return {
    keyspace_hits: count('keyspace_hits'),
    keyspace_misses: count('keyspace_misses'),
    used_memory: info.used_memory_human ?? 'unknown',
    connected_clients: count('connected_clients'),
  };
}

/**
 * Reads INFO once. A field INFO lacks counts as `0`. Like the cache's other calls it fails open:
 * a Redis error is counted and logged, and gives `null`. `python` holds the same figures as
 * Python's `FeatureCache.get_stats()` returns them.
 */
export async function readServerStats(context: StatsContext): Promise<ServerStats | null> {
  const info = await readInfo(context, 'serverStats');
  if (info === undefined) return null;
  const num = (name: string): number => Number(info[name] ?? 0);
  return {
    keyspaceHits: num('keyspace_hits'),
    keyspaceMisses: num('keyspace_misses'),
    usedMemory: num('used_memory'),
    connectedClients: num('connected_clients'),
    python: pythonStats(info),
  };
}

/**
 * Exactly what Python's `FeatureCache.get_stats()` returns: its dict, or `{}` when INFO failed
 * (counted and logged, as every failed call of the cache).
 */
export async function readPythonStats(context: StatsContext): Promise<PythonCacheStats | Record<string, never>> {
  const info = await readInfo(context, 'getStats');
  return info === undefined ? {} : pythonStats(info);
}
