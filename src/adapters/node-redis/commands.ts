/**
 * The node-redis surface the adapter calls: the slice of node-redis the adapter calls, typed structurally so that clients of any RESP
 * version, clusters and sentinels all fit. Replies are `unknown` and normalised by the adapter.
 */
export interface NodeRedisCommands {
  get(key: string): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown[]>;
  set(key: string, value: string | Buffer, options?: { expiration?: { type: 'EX'; value: number } }): Promise<unknown>;
  del(keys: string[]): Promise<number>;
  unlink(keys: string[]): Promise<number>;
  expire(key: string, seconds: number): Promise<number>;
  ttl(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  sPublish?(channel: string, message: string): Promise<number>;
  scan(cursor: string, options: { MATCH?: string; COUNT?: number }): Promise<{ cursor: unknown; keys: unknown[] }>;
  info(section?: string): Promise<unknown>;
  ping(): Promise<unknown>;
  xAdd(key: string, id: string, fields: Record<string, string>, options?: unknown): Promise<unknown>;
  xGroupCreate(key: string, group: string, id: string, options?: { MKSTREAM?: boolean }): Promise<unknown>;
  xReadGroup(
    group: string,
    consumer: string,
    streams: Array<{ key: string; id: string }>,
    options?: { COUNT?: number; BLOCK?: number },
  ): Promise<unknown>;
  xAck(key: string, group: string, ids: string[]): Promise<number>;
  xAutoClaim(key: string, group: string, consumer: string, minIdle: number, start: string, options?: { COUNT?: number }): Promise<unknown>;
  xPendingRange(key: string, group: string, start: string, end: string, count: number, options?: { consumer?: string }): Promise<unknown>;
  xRange(key: string, start: string, end: string, options?: { COUNT?: number }): Promise<unknown>;
  xLen(key: string): Promise<number>;
  subscribe(channels: string[], listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(channels?: string[]): Promise<void>;
  pSubscribe(patterns: string[], listener: (message: string, channel: string) => void): Promise<void>;
  pUnsubscribe(patterns?: string[]): Promise<void>;
  sSubscribe?(channels: string[], listener: (message: string, channel: string) => void): Promise<void>;
  sUnsubscribe?(channels?: string[]): Promise<void>;
  withTypeMapping(mapping: Record<number, unknown>): NodeRedisCommands;
}

/** Life-cycle surface shared by node-redis clients, clusters and sentinels. */
export interface NodeRedisLifecycle {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/** A node-redis standalone client (or sentinel) as the adapter sees it. */
export interface NodeRedisClientLike extends NodeRedisCommands, NodeRedisLifecycle {
  /** A client's resolved options (sentinels have none): where it connects, for messages. */
  readonly options?: NodeRedisClientOptions;
  /** A sentinel's current master, when known. */
  getMasterNode?(): { host: string; port: number } | undefined;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(overrides?: Record<string, unknown>): NodeRedisClientLike;
}

/** The parts of a node-redis client's options that say where it connects. */
export interface NodeRedisClientOptions {
  socket?: { host?: string; port?: number; path?: string; tls?: boolean };
  username?: string;
  password?: string;
  database?: number;
}

/** A node-redis cluster as the adapter sees it. */
export interface NodeRedisClusterLike extends NodeRedisCommands, NodeRedisLifecycle {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  readonly masters: readonly unknown[];
  /** The options it was created with (node-redis keeps them here): the root nodes, for messages. */
  readonly _options?: {
    rootNodes?: ReadonlyArray<{ url?: string; socket?: { host?: string; port?: number; tls?: boolean } }>;
    defaults?: { socket?: { tls?: boolean } };
  };
  nodeClient(node: unknown): Promise<NodeRedisClientLike> | NodeRedisClientLike;
  duplicate(overrides?: Record<string, unknown>): NodeRedisClusterLike;
}

/** Either shape, told apart by `'masters' in target`. */
export type NodeRedisTarget = NodeRedisClientLike | NodeRedisClusterLike;

/** True for a cluster. */
export function isCluster(target: NodeRedisTarget): target is NodeRedisClusterLike {
  return 'masters' in target;
}
