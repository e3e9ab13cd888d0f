/** Read-or-compute for a `FeatureCache`: single-flight per key, one batched computation for the misses of many. */
import { dc, traceAsync, traced } from '../diagnostics/channels.js';
import type { CacheComputeContext, CacheJoinMessage } from '../diagnostics/payloads.js';
import { ValidationError } from '../internal/errors.js';
import type { Features } from './codecs/index.js';
import type { FeatureKeys } from './keys.js';
import type { FeatureReads } from './reads.js';
import { SingleFlight } from './single-flight.js';
import { entriesOf, type FeatureEntries, type FeatureWrites, type WriteOptions } from './writes.js';

/** Computes the vectors of the symbols that were not cached, keyed by symbol. */
export type ComputeMissing = (symbols: string[]) => Promise<FeatureEntries> | FeatureEntries;

/** A flight's joins, kept only while `cache:join` has a subscriber: a join counts once the flight computes. */
interface Joins {
  computes: boolean;
  /** Joins made while the flight was still reading: published if it computes, forgotten if its read hit. */
  readonly waiting: Array<CacheJoinMessage['operation']>;
}

/**
 * Concurrent callers for one key share one read and one computation (a flight per key, across
 * both methods); a failing computation rejects every waiter and caches nothing. A caller that
 * joins a flight is published on `cache:join` only once that flight computes (a flight whose
 * read hit computed nothing to share).
 */
export class FeatureCompute {
  readonly #keys: FeatureKeys;
  readonly #reads: FeatureReads;
  readonly #writes: FeatureWrites;
  readonly #flights = new SingleFlight<Features>();
  readonly #joins = new WeakMap<Promise<Features>, Joins>();

  constructor(keys: FeatureKeys, reads: FeatureReads, writes: FeatureWrites) {
    this.#keys = keys;
    this.#reads = reads;
    this.#writes = writes;
  }

  /** See `FeatureCache.getOrCompute`. */
  async getOrCompute(symbol: string, date: string, compute: () => Promise<Features> | Features, options: WriteOptions): Promise<Features> {
    this.#writes.ttlOf(options);
    const key = this.#keys.key(symbol, date);
    const joined = this.#flights.get(key);
    if (joined !== undefined) {
      if (dc.cacheJoin.hasSubscribers) this.#joined(joined, 'getOrCompute');
      return joined;
    }
    const flight = this.#flights.run(key, async () => {
      const held = new Set<string>();
      const cached = await this.#reads.get(symbol, date, held);
      if (cached !== null) return cached;
      this.#computes(flight);
      const features = traced(dc.cacheCompute) ? await tracedCompute('getOrCompute', 1, compute) : await compute();
      // Another writer's value (foreign, or a newer f64 version) is never written over.
      if (!held.has(key)) await this.#writes.set(symbol, date, features, options);
      return features;
    });
    return flight;
  }

  /**
   * See `FeatureCache.getManyOrCompute`. `written`, when given, is told how many computed
   * vectors this call wrote (keys holding another writer's value are computed but not written).
   */
  async getManyOrCompute(
    symbols: readonly string[],
    date: string,
    computeMissing: ComputeMissing,
    options: WriteOptions,
    written?: (count: number) => void,
  ): Promise<Map<string, Features>> {
    this.#writes.ttlOf(options);
    const held = new Set<string>();
    const result = await this.#reads.getMany(symbols, date, held);
    const missing: string[] = [];
    // Only symbols nobody is computing yet go to this call's computeMissing; the rest join.
    const owned: string[] = [];
    for (const [symbol, features] of result) {
      if (features !== null) continue;
      missing.push(symbol);
      const joined = this.#flights.get(this.#keys.key(symbol, date));
      if (joined === undefined) owned.push(symbol);
      else if (dc.cacheJoin.hasSubscribers) this.#joined(joined, 'getManyOrCompute');
    }
    if (missing.length > 0) {
      const ownFlights: Array<Promise<Features>> = [];
      let batch: Promise<Map<string, Features>> | undefined;
      const runBatch = (): Promise<Map<string, Features>> => {
        if (batch === undefined) {
          for (const flight of ownFlights) this.#computes(flight);
          batch = this.#computeBatch(owned, date, computeMissing, options, held, written);
        }
        return batch;
      };
      // Promise.all observes every flight, so one failed batch is one rejection, never unhandled ones.
      const computed = await Promise.all(
        missing.map((symbol) => {
          const key = this.#keys.key(symbol, date);
          const own = this.#flights.get(key) === undefined;
          const flight = this.#flights.run(key, async () => (await runBatch()).get(symbol) as Features);
          if (own) ownFlights.push(flight);
          return flight;
        }),
      );
      for (let i = 0; i < missing.length; i++) result.set(missing[i] as string, computed[i] as Features);
    }
    return result as Map<string, Features>;
  }

  /** A caller joined `flight` (`cache:join` has a subscriber): published now if it computes, else when it does. */
  #joined(flight: Promise<Features>, operation: CacheJoinMessage['operation']): void {
    let joins = this.#joins.get(flight);
    if (joins === undefined) this.#joins.set(flight, (joins = { computes: false, waiting: [] }));
    if (joins.computes) dc.cacheJoin.publish({ operation });
    else joins.waiting.push(operation);
  }

  /** `flight` missed and computes: the joins it had are joins of a computation, and so are later ones. */
  #computes(flight: Promise<Features>): void {
    const joins = this.#joins.get(flight);
    if (joins === undefined) {
      if (dc.cacheJoin.hasSubscribers) this.#joins.set(flight, { computes: true, waiting: [] });
      return;
    }
    joins.computes = true;
    if (dc.cacheJoin.hasSubscribers) for (const operation of joins.waiting) dc.cacheJoin.publish({ operation });
    joins.waiting.length = 0;
  }

  /**
   * One `computeMissing` call for the symbols this call owns, checked, then cached with one
   * `setMany`, except over the keys `held` by another writer (foreign or unsupported values).
   */
  async #computeBatch(
    symbols: string[],
    date: string,
    computeMissing: ComputeMissing,
    options: WriteOptions,
    held: Set<string>,
    written: ((count: number) => void) | undefined,
  ): Promise<Map<string, Features>> {
    const given = [...symbols];
    const entries = traced(dc.cacheCompute)
      ? await tracedCompute('getManyOrCompute', given.length, () => computeMissing(given))
      : await computeMissing(given);
    const computed = new Map(entriesOf(entries));
    const absent = symbols.filter((s) => !computed.has(s));
    if (absent.length > 0) {
      throw new ValidationError('computeMissing result', [{ path: '', message: `no features returned for ${absent.join(', ')}` }]);
    }
    const writable = held.size === 0 ? symbols : symbols.filter((s) => !held.has(this.#keys.key(s, date)));
    if (writable.length > 0) await this.#writes.setMany(date, writable.map((s) => [s, computed.get(s) as Features] as const), options);
    written?.(writable.length);
    return computed;
  }
}

/** Runs the caller's computation traced on `trading-platform:cache:compute`; a synchronous throw rejects, as untraced. */
function tracedCompute<T>(operation: CacheComputeContext['operation'], keys: number, compute: () => Promise<T> | T): Promise<T> {
  return traceAsync(dc.cacheCompute, { operation, keys, startedAt: performance.now() }, async () => compute());
}
