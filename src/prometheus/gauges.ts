/**
 * The point-in-time gauges, computed at scrape time (prom-client `collect()`) from the live SDK
 * objects of the process: local-tier size, publish buffer depth and capacity, connection status,
 * and the state of the consumer groups of running stream consumers, read from Redis within a
 * timeout. A read that fails leaves its series out of that scrape; the scrape never fails.
 */
import type { Gauge } from 'prom-client';
import { liveSnapshots, type LiveConsumer, type LiveGroupStream } from '../diagnostics/live.js';

/** `cache_local_entries`: vectors held by the local tiers of live caches. */
export function localEntries(this: Gauge): void {
  let sum = 0;
  for (const s of liveSnapshots()) if (s.kind === 'cache') sum += s.localEntries;
  this.set(sum);
}

/** `publish_buffer_events` and `publish_buffer_capacity`, summed over live publishers with a buffer. */
export function publishBuffer(): { events: (this: Gauge) => void; capacity: (this: Gauge) => void } {
  return {
    events(this: Gauge): void {
      let sum = 0;
      for (const s of liveSnapshots()) if (s.kind === 'publisher') sum += s.bufferedEvents;
      this.set(sum);
    },
    capacity(this: Gauge): void {
      let sum = 0;
      for (const s of liveSnapshots()) if (s.kind === 'publisher') sum += s.maxQueuedEvents;
      this.set(sum);
    },
  };
}

/** `client_connection_status{component}`: 1 when every open connection of the component is ready, else 0. */
export function connectionStatus(this: Gauge): void {
  const byComponent = new Map<string, number>();
  for (const s of liveSnapshots()) {
    if (s.kind !== 'client') continue;
    const ready = s.status === 'ready' ? 1 : 0;
    byComponent.set(s.component, Math.min(byComponent.get(s.component) ?? 1, ready));
  }
  this.reset();
  for (const [component, value] of byComponent) this.set({ component }, value);
}

type Figure = 'pending' | 'lag' | 'deadLetterLength';

/** Per group: each figure summed over the group's distinct streams, or `null` when one of them could not be read. */
type Figures = Map<string, Record<Figure, number | null>>;

/**
 * The consumer-group gauges. The three gauges of one scrape share one round of reads: prom-client
 * collects every metric of a scrape at once, so the first collector starts the reads and the
 * others join them until they settle.
 */
export class GroupFigures {
  readonly #timeoutMs: number;
  #reading: Promise<Figures> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** The `collect` of the gauge of `figure`, labelled by group. */
  collector(figure: Figure): (this: Gauge) => Promise<void> {
    const figures = (): Promise<Figures> => (this.#reading ??= this.#read().finally(() => (this.#reading = undefined)));
    return async function collect(this: Gauge): Promise<void> {
      const byGroup = await figures();
      this.reset();
      for (const [group, values] of byGroup) {
        const value = values[figure];
        if (value !== null) this.set({ group }, value);
      }
    };
  }

  async #read(): Promise<Figures> {
    const consumers = liveSnapshots().filter((s): s is LiveConsumer => s.kind === 'consumer');
    const reads = await Promise.all(consumers.map(async (c) => ({ group: c.group, streams: await c.readGroups(this.#timeoutMs) })));
    const out: Figures = new Map();
    const seen = new Set<string>();
    for (const { group, streams } of reads) {
      let values = out.get(group);
      if (values === undefined) out.set(group, (values = { pending: 0, lag: 0, deadLetterLength: 0 }));
      for (const stream of streams) {
        // Two consumers of one group in this process read the same stream: count it once.
        if (once(seen, group, 's', stream.streamKey)) {
          values.pending = plus(values.pending, stream.pending);
          values.lag = plus(values.lag, stream.lag);
        }
        if (once(seen, group, 'd', stream.deadLetterKey)) values.deadLetterLength = plus(values.deadLetterLength, stream.deadLetterLength);
      }
    }
    return out;
  }
}

function once(seen: Set<string>, group: string, kind: string, key: string): boolean {
  const id = `${group}\u0000${kind}\u0000${key}`;
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}

function plus(sum: number | null, value: LiveGroupStream[Figure]): number | null {
  return sum === null || value === null ? null : sum + value;
}
