/** The figures a `FeatureCache` reports: its own counters (hits, misses, errors, foreign...) and the server's, from INFO. */

/** Counters of one {@link FeatureCache}, since construction or the last `resetStats()`. */
export interface CacheStats {
  /** Reads that found a valid vector (local tier included). */
  hits: number;
  /** Reads that found nothing usable: absent, corrupt, foreign, unsupported, or Redis failed. */
  misses: number;
  /** Redis errors on reads and writes (each read error is also a miss). */
  errors: number;
  /** Vectors written. */
  sets: number;
  /**
   * Stored values nobody can read (bytes Python's `json.loads` rejects, damaged f64 values); each
   * was deleted and counted as a miss.
   */
  corrupt: number;
  /**
   * Stored values another writer put there that are not vectors of numbers (valid JSON holding
   * strings, booleans, nesting or a list, a bare value, or bytes that are not UTF-8); each was
   * left in Redis and counted as a miss.
   */
  foreign: number;
  /** f64 values of a newer version than this SDK reads; each was left in Redis and counted as a miss. */
  unsupported: number;
  /** Hits served by the local tier without a round trip. */
  localHits: number;
  /** Writes refused because the encoded value exceeded `maxValueBytes`. */
  oversized: number;
  /** `hits / (hits + misses)`, `0` before any read. */
  hitRate: number;
}

/** The mutable counters behind {@link CacheStats}. Internal. */
export class CacheCounters {
  hits = 0;
  misses = 0;
  errors = 0;
  sets = 0;
  corrupt = 0;
  foreign = 0;
  unsupported = 0;
  localHits = 0;
  oversized = 0;
  /** Keys not read because Redis failed (each also a miss); not in {@link CacheStats}, for diagnostics. */
  failedKeys = 0;

  /** Adds another set of counters (one read call's, counted apart for diagnostics) to these. */
  add(other: CacheCounters): void {
    this.hits += other.hits;
    this.misses += other.misses;
    this.errors += other.errors;
    this.sets += other.sets;
    this.corrupt += other.corrupt;
    this.foreign += other.foreign;
    this.unsupported += other.unsupported;
    this.localHits += other.localHits;
    this.oversized += other.oversized;
    this.failedKeys += other.failedKeys;
  }

  snapshot(): CacheStats {
    const reads = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      errors: this.errors,
      sets: this.sets,
      corrupt: this.corrupt,
      foreign: this.foreign,
      unsupported: this.unsupported,
      localHits: this.localHits,
      oversized: this.oversized,
      hitRate: reads === 0 ? 0 : this.hits / reads,
    };
  }

  reset(): void {
    this.hits = this.misses = this.errors = this.sets = this.corrupt = this.foreign = this.unsupported = this.localHits = this.oversized = this.failedKeys = 0;
  }
}

/**
 * The dict Python's `FeatureCache.get_stats()` returns, under its names: what a dashboard or a
 * script written for the Python services reads, unchanged.
 */
export interface PythonCacheStats {
  /** INFO `keyspace_hits`; `0` when INFO lacks it. */
  keyspace_hits: number;
  /** INFO `keyspace_misses`; `0` when INFO lacks it. */
  keyspace_misses: number;
  /** INFO `used_memory_human`, the text Redis gives (`"1.05M"`); `"unknown"` when INFO lacks it. */
  used_memory: string;
  /** INFO `connected_clients`; `0` when INFO lacks it. */
  connected_clients: number;
}

/** Server-side figures from INFO: the numbers, and the Python `FeatureCache.get_stats()` dict. */
export interface ServerStats {
  /** INFO `keyspace_hits`. */
  keyspaceHits: number;
  /** INFO `keyspace_misses`. */
  keyspaceMisses: number;
  /** INFO `used_memory`, in bytes (Python reports the `used_memory_human` text instead: see `python`). */
  usedMemory: number;
  /** INFO `connected_clients`. */
  connectedClients: number;
  /** The same INFO read as Python's `get_stats()` reports it, under its names. */
  python: PythonCacheStats;
}
