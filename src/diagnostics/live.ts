/**
 * The live-object registry: weak references to the SDK objects whose point-in-time figures
 * (connection status, local-tier size, buffer depth, stream group state) an exporter reads at
 * scrape time. It lives on `globalThis` under a `Symbol.for` key, so every copy of the SDK in a
 * process (the ESM and CJS bundles, the main and `./prometheus` entries) shares one; objects
 * stay collectable and leave it when closed or collected.
 */
import type { ClientStatusName } from './payloads.js';

/** A `RedisClient`'s connection. */
export interface LiveClient {
  readonly kind: 'client';
  readonly component: string;
  readonly status: ClientStatusName;
}

/** A `FeatureCache` with a local tier. */
export interface LiveCache {
  readonly kind: 'cache';
  /** Vectors held in the local tier now. */
  readonly localEntries: number;
}

/** An `EventPublisher` with an outage buffer. */
export interface LivePublisher {
  readonly kind: 'publisher';
  /** Events waiting in the buffer now. */
  readonly bufferedEvents: number;
  /** The buffer's `maxQueuedEvents`. */
  readonly maxQueuedEvents: number;
}

/** One stream of a consumer group, as read from Redis; a figure Redis did not give is `null`. */
export interface LiveGroupStream {
  /** The stream key: for telling apart streams two consumers of one group share, never a label. */
  readonly streamKey: string;
  /** The dead-letter stream key, likewise. */
  readonly deadLetterKey: string;
  /** `XINFO GROUPS` `pending` of the group. */
  readonly pending: number | null;
  /** `XINFO GROUPS` `lag` of the group (Redis >= 7; `null` when Redis cannot tell). */
  readonly lag: number | null;
  /** `XLEN` of the dead-letter stream. */
  readonly deadLetterLength: number | null;
}

/** A running stream `Consumer`. */
export interface LiveConsumer {
  readonly kind: 'consumer';
  readonly group: string;
  /** Reads its group's state on every stream it consumes; each read is bounded by `timeoutMs`, and a failed one gives `null` figures. Never rejects. */
  readGroups(timeoutMs: number): Promise<readonly LiveGroupStream[]>;
}

/** What a live object reports at scrape time. */
export type LiveSnapshot = LiveClient | LiveCache | LivePublisher | LiveConsumer;

interface LiveEntry {
  readonly ref: WeakRef<object>;
  readonly read: (target: object) => LiveSnapshot | undefined;
}

interface LiveRegistry {
  readonly entries: Set<LiveEntry>;
  readonly finalizer: FinalizationRegistry<LiveEntry>;
}

/** Versioned: a future SDK that changes the entry shape takes a new key rather than misreading this one. */
const KEY = Symbol.for('@trading-platform/redis-client:live-objects:v1');

function registry(): LiveRegistry {
  const holder = globalThis as Record<symbol, LiveRegistry | undefined>;
  let found = holder[KEY];
  if (found === undefined) {
    const entries = new Set<LiveEntry>();
    found = { entries, finalizer: new FinalizationRegistry((entry) => entries.delete(entry)) };
    Object.defineProperty(globalThis, KEY, { value: found, enumerable: false, configurable: false, writable: false });
  }
  return found;
}

/**
 * Adds `target` to the registry, read by `read` at scrape time (`undefined`: nothing to report
 * now). Holds it weakly, so `read` must not capture it (pass a module-level or static function). Returns the function that removes it (call it on close); idempotent.
 */
export function trackLive<T extends object>(target: T, read: (target: T) => LiveSnapshot | undefined): () => void {
  const { entries, finalizer } = registry();
  const entry: LiveEntry = { ref: new WeakRef(target), read: read as (target: object) => LiveSnapshot | undefined };
  entries.add(entry);
  finalizer.register(target, entry, entry);
  return () => {
    if (entries.delete(entry)) finalizer.unregister(entry);
  };
}

/** What every live object reports now; entries whose object was collected are dropped on the way. */
export function liveSnapshots(): LiveSnapshot[] {
  const { entries, finalizer } = registry();
  const out: LiveSnapshot[] = [];
  for (const entry of entries) {
    const target = entry.ref.deref();
    if (target === undefined) {
      entries.delete(entry);
      finalizer.unregister(entry);
      continue;
    }
    const snapshot = entry.read(target);
    if (snapshot !== undefined) out.push(snapshot);
  }
  return out;
}
