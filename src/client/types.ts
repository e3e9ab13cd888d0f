/** Public types of `RedisClient`: its kind and events, its commands' options and replies (streams, pub/sub, duplicate). */
import type { RedisSdkError } from '../internal/errors.js';
import type { Logger } from '../internal/logger.js';

/** A stream entry: its id and its field/value pairs. */
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

/** Entries read from one stream. */
export interface StreamBatch {
  stream: string;
  entries: StreamEntry[];
}

/** The result of XAUTOCLAIM. */
export interface AutoClaimResult {
  nextId: string;
  entries: StreamEntry[];
  deletedIds: string[];
}

/** A pending entry as XPENDING (extended form) reports it. */
export interface PendingEntry {
  id: string;
  consumer: string;
  idleMs: number;
  deliveries: number;
}

/** A pub/sub message handler: payload, channel, and the pattern for pattern subscriptions. */
export type MessageListener = (message: string, channel: string, pattern?: string) => void;

/** Options of `RedisClient.duplicate`: what the new connection changes from its parent's settings. */
export interface DuplicateOptions {
  /** Idle time after which the connection is considered dead; blocking reads need more. */
  socketTimeoutMs?: number;
  /** Whether to PING idle connections (with `socketTimeoutMs`, how half-open links are found). @default true */
  ping?: boolean;
  /**
   * Makes this a tracking connection: the server reports every change to a key under `prefix`
   * (broadcast client tracking) and `onInvalidate` gets the key, or `null` when everything must
   * be dropped (FLUSHALL, lost tracking). Tracking is active whenever the connection is ready.
   */
  tracking?: InvalidationTracking;
  /** The new client's per-command deadline. @default the parent's */
  commandTimeoutMs?: number;
  /** The new client's logger. @default the parent's */
  logger?: Logger;
  /** The new client's `component` in diagnostics and metrics (see `RedisClientOptions.component`). @default the parent's */
  component?: string;
  /**
   * Close the new client when the client it was duplicated from closes, for a connection that
   * only serves that client's work (the feature cache's local-tier tracking connection does
   * this). Without it the copy lives until its own `close()`: it reconnects by its own policy
   * whatever happens to the parent. @default false
   */
  closeWithParent?: boolean;
}

/** See {@link DuplicateOptions.tracking}. */
export interface InvalidationTracking {
  prefix: string;
  onInvalidate: (key: string | null) => void;
}

/** What a client talks to: one server, a cluster, a sentinel-managed master, or the in-process `./embedded` Redis. */
export type ClientKind = 'standalone' | 'cluster' | 'sentinel' | 'embedded';

/** The events a {@link RedisClient} emits. */
export interface RedisClientEvents {
  ready: [];
  reconnecting: [];
  /** Connection-level errors, already mapped to SDK errors. Listening is optional. */
  error: [RedisSdkError];
  close: [];
}

/** Options of {@link RedisClient.scan}. */
export interface ScanOptions {
  /** A glob pattern (`MATCH`). Escape user input with care. */
  match?: string;
  /** Hint of keys per page (`COUNT`). @default 100 */
  count?: number;
}

/** Options of {@link RedisClient.set}. */
export interface SetOptions {
  /** Expire the key after this many seconds. */
  ttlSeconds?: number;
}
