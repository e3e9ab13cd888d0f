/**
 * The backend port: the few Redis operations the SDK needs, implemented by the adapters in
 * `src/adapters/` (node-redis for standalone, cluster and sentinel; ioredis-mock for
 * `./embedded`), each building its own backend and mapping its own errors. `RedisClient` adds
 * deadlines, retries and status on top; `cache/` and `events/` see only `RedisClient`. Nothing
 * here is public API.
 */
import type { RedisSdkError } from '../internal/errors.js';
import type { RedisClientOptions } from './options.js';
import type { AutoClaimResult, ClientKind, DuplicateOptions, MessageListener, PendingEntry, StreamBatch, StreamEntry } from './types.js';

/** What kind of deployment a backend talks to. */
export type BackendKind = ClientKind;

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

/** What a dedicated connection changes from its parent's settings. */
export type ConnectionOverrides = Pick<DuplicateOptions, 'socketTimeoutMs' | 'ping' | 'tracking'>;

/**
 * Decides, per failed (re)connection attempt, how long to wait before the next one, or an
 * Error to give up. Every connection has its own: the `RedisClient` that owns it.
 */
export type ReconnectPolicy = (retries: number, cause: Error) => number | Error;

/** When an error happened: while connecting (auth, TLS, handshake) or running a command. */
export type ErrorPhase = 'command' | 'connect';

/** Builds the backend of one `RedisClient`, given that client's own reconnect policy. */
export type BackendFactory = (policy: ReconnectPolicy) => Backend;

/**
 * The internal way to give a `RedisClient` its backend: an options field under this symbol.
 * Public code cannot name it, so no public signature exposes a {@link Backend}.
 */
export const BACKEND_FACTORY: unique symbol = Symbol('trading-platform.redis-client.backend');

/** The backend port. See the module comment. */
export interface Backend {
  readonly kind: BackendKind;
  /** The underlying client object (node-redis client, cluster, sentinel, or ioredis-mock). */
  readonly raw: unknown;
  /** Where this backend connects, for messages: no password, ever. */
  readonly endpoint: string;
  /** Turns what this backend's library threw into the SDK's error classes. */
  mapError(err: unknown, command: string, phase: ErrorPhase): RedisSdkError;
  /** Registers the one listener for life-cycle signals. */
  onSignal(listener: (signal: BackendSignal) => void): void;
  connect(): Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
  destroy(): void;
  /** A new, unconnected backend on its own connection, reconnecting by `policy` (its new owner's). */
  duplicate(options: ConnectionOverrides, policy: ReconnectPolicy): Backend;

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

/** `RedisClientOptions` as the SDK's own entry points pass them: with a backend factory. */
export type InternalClientOptions = RedisClientOptions & { [BACKEND_FACTORY]?: BackendFactory };
