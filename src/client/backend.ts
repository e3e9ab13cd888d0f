/**
 * The backend port: the few Redis operations the SDK needs, implemented by the node-redis
 * adapter (standalone, cluster, sentinel) and the ioredis-mock adapter (`./embedded`).
 * `RedisClient` adds deadlines, retries, error mapping and status on top; `cache/` and
 * `events/` see only `RedisClient`.
 */

/** What kind of deployment a backend talks to. */
export type BackendKind = 'standalone' | 'cluster' | 'sentinel' | 'embedded';

/** Connection life-cycle signals a backend reports to its `RedisClient`. */
export type BackendSignal =
  | { type: 'ready' }
  | { type: 'reconnecting' }
  | { type: 'error'; error: unknown }
  | { type: 'end' };

/** One key to write in a batch. */
export interface SetEntry {
  key: string;
  value: string | Buffer;
  ttlSeconds?: number | undefined;
}

/** A page of SCAN results on one node. Cursor `'0'` ends that node. */
export interface ScanPage {
  cursor: string;
  keys: string[];
}

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

/** Overrides for a dedicated connection. */
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
}

/** See {@link DuplicateOptions.tracking}. */
export interface InvalidationTracking {
  prefix: string;
  onInvalidate: (key: string | null) => void;
}

/** The backend port. See the module comment. */
export interface Backend {
  readonly kind: BackendKind;
  /** The underlying client object (node-redis client, cluster, sentinel, or ioredis-mock). */
  readonly raw: unknown;
  /** Registers the one listener for life-cycle signals. */
  onSignal(listener: (signal: BackendSignal) => void): void;
  connect(): Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
  destroy(): void;
  duplicate(options?: DuplicateOptions): Backend;

  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Buffer | null>;
  mget(keys: readonly string[]): Promise<Array<string | null>>;
  mgetBuffer(keys: readonly string[]): Promise<Array<Buffer | null>>;
  set(entry: SetEntry): Promise<void>;
  setMany(entries: readonly SetEntry[]): Promise<void>;
  del(keys: readonly string[]): Promise<number>;
  unlink(keys: readonly string[]): Promise<number>;
  expire(key: string, seconds: number): Promise<boolean>;
  ttl(key: string): Promise<number>;
  publish(channel: string, message: string, sharded?: boolean): Promise<number>;
  /** How many nodes a full SCAN must visit (every master on a cluster). */
  scanNodeCount(): number;
  scanPage(node: number, cursor: string, match: string | undefined, count: number): Promise<ScanPage>;
  info(section?: string): Promise<string>;
  ping(): Promise<void>;
  /** Any other command, for `RedisClient.command`. On a cluster, routed by `key`. */
  sendCommand(args: readonly string[], key?: string): Promise<unknown>;

  subscribe(channels: readonly string[], listener: MessageListener, sharded?: boolean): Promise<void>;
  psubscribe(patterns: readonly string[], listener: MessageListener): Promise<void>;
  unsubscribe(channels: readonly string[], sharded?: boolean): Promise<void>;
  punsubscribe(patterns: readonly string[]): Promise<void>;

  xadd(key: string, fields: Record<string, string>, maxLen?: number): Promise<string>;
  /** Creates a group; `false` when it already exists. */
  xgroupCreate(key: string, group: string, startId: string): Promise<boolean>;
  xreadgroup(
    group: string,
    consumer: string,
    streams: ReadonlyArray<{ key: string; id: string }>,
    count: number,
    blockMs: number | undefined,
  ): Promise<StreamBatch[]>;
  xack(key: string, group: string, ids: readonly string[]): Promise<number>;
  xautoclaim(key: string, group: string, consumer: string, minIdleMs: number, start: string, count: number): Promise<AutoClaimResult>;
  xpending(key: string, group: string, start: string, end: string, count: number, consumer?: string): Promise<PendingEntry[]>;
  xrange(key: string, start: string, end: string, count: number): Promise<StreamEntry[]>;
  xlen(key: string): Promise<number>;
}
