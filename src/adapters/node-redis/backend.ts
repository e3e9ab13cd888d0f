/** The node-redis adapter of the backend port: one node-redis client, cluster or sentinel behind the port's operations. */
import { RESP_TYPES } from 'redis';
import type {
  Backend,
  BackendKind,
  BackendSignal,
  ConnectionOverrides,
  ErrorPhase,
  ReconnectPolicy,
  ScanPage,
  SetEntry,
} from '../../client/backend.js';
import type { AutoClaimResult, MessageListener, PendingEntry, StreamBatch, StreamEntry } from '../../client/types.js';
import type { RedisSdkError } from '../../internal/errors.js';
import { asString } from '../replies.js';
import { isCluster, type NodeRedisCommands, type NodeRedisTarget } from './commands.js';
import { nodeRedisError } from './errors.js';
import { trackingClientOptions } from './tracking.js';
import { asNullableBuffer, asNullableString, toAutoClaim, toPending, toStreamBatches, toStreamEntries } from './replies.js';

/** Makes a fresh node-redis client, cluster or sentinel; called on every `connect()`. */
export type NodeRedisFactory = (overrides: ConnectionOverrides, policy: ReconnectPolicy) => NodeRedisTarget;

/** Where the node-redis objects come from: the SDK builds them, or the user gave one. */
export type NodeRedisSource = { factory: NodeRedisFactory; policy: ReconnectPolicy } | NodeRedisTarget;

/** What messages need to know about the connection. */
export interface NodeRedisEndpoint {
  /** Whether it uses TLS (names TLS causes of a failed connect). */
  tls: boolean;
  /** The endpoint, or how to describe it now (a sentinel's master changes). */
  endpoint: string | (() => string);
}

const BUFFER_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer };

/**
 * The production adapter of the backend port, over node-redis 6: a standalone client, a
 * cluster or a sentinel. It always listens for `'error'`, so a dropped connection never
 * reaches the process as an uncaught error.
 */
export class NodeRedisBackend implements Backend {
  readonly kind: BackendKind;
  #target: NodeRedisTarget | undefined;
  #buffers: NodeRedisCommands | undefined;
  #listener: (signal: BackendSignal) => void = () => undefined;
  readonly #make: (() => NodeRedisTarget) | undefined;
  readonly #source: NodeRedisSource;
  readonly #overrides: ConnectionOverrides;
  readonly #where: NodeRedisEndpoint;

  /**
   * Either a factory and the owning client's reconnect policy (the SDK owns the connection,
   * made afresh on each `connect()`), or an existing client (the user owns it).
   */
  constructor(kind: BackendKind, source: NodeRedisSource, where: NodeRedisEndpoint, overrides: ConnectionOverrides = {}) {
    this.kind = kind;
    this.#source = source;
    this.#where = where;
    this.#overrides = overrides;
    if ('factory' in source) this.#make = () => source.factory(overrides, source.policy);
    else this.#attach(source);
  }

  get raw(): unknown {
    return this.#target;
  }

  get endpoint(): string {
    return typeof this.#where.endpoint === 'string' ? this.#where.endpoint : this.#where.endpoint();
  }

  mapError(err: unknown, command: string, phase: ErrorPhase): RedisSdkError {
    return nodeRedisError(err, command, phase, this.#where.tls);
  }

  onSignal(listener: (signal: BackendSignal) => void): void {
    this.#listener = listener;
  }

  #attach(target: NodeRedisTarget): void {
    this.#target = target;
    this.#buffers = undefined;
    target.on('error', (error: unknown) => this.#listener({ type: 'error', error }));
    target.on('ready', () => this.#listener({ type: 'ready' }));
    target.on('reconnecting', () => this.#listener({ type: 'reconnecting' }));
    target.on('end', () => this.#listener({ type: 'end' }));
  }

  get #client(): NodeRedisTarget {
    if (!this.#target) throw new Error('not connected');
    return this.#target;
  }

  get #bufferClient(): NodeRedisCommands {
    this.#buffers ??= this.#client.withTypeMapping(BUFFER_MAPPING);
    return this.#buffers;
  }

  async connect(): Promise<void> {
    if (this.#make && (!this.#target || !this.#target.isOpen)) this.#attach(this.#make());
    const target = this.#client;
    if (!target.isOpen) await target.connect();
  }

  isReady(): boolean {
    return this.#target?.isReady ?? false;
  }

  async close(): Promise<void> {
    if (this.#target?.isOpen) await this.#target.close();
  }

  destroy(): void {
    if (this.#target?.isOpen) this.#target.destroy();
  }

  duplicate(options: ConnectionOverrides, policy: ReconnectPolicy): Backend {
    const merged = { ...this.#overrides, ...options };
    const source = this.#source;
    if ('factory' in source) return new NodeRedisBackend(this.kind, { factory: source.factory, policy }, this.#where, merged);
    // A client the user made: its duplicates copy its settings (its own reconnect strategy
    // included: the user chose it), with this connection's overrides applied.
    const userOverrides = userClientOverrides(source, merged);
    const factory: NodeRedisFactory = () => source.duplicate(userOverrides) as NodeRedisTarget;
    return new NodeRedisBackend(this.kind, { factory, policy }, this.#where, merged);
  }

  async get(key: string): Promise<string | null> {
    return asNullableString(await this.#client.get(key));
  }

  async getBuffer(key: string): Promise<Buffer | null> {
    return asNullableBuffer(await this.#bufferClient.get(key));
  }

  async mget(keys: readonly string[]): Promise<Array<string | null>> {
    return (await this.#client.mGet([...keys])).map(asNullableString);
  }

  async mgetBuffer(keys: readonly string[]): Promise<Array<Buffer | null>> {
    return (await this.#bufferClient.mGet([...keys])).map(asNullableBuffer);
  }

  async set(entry: SetEntry): Promise<void> {
    const options = entry.ttlSeconds ? { expiration: { type: 'EX' as const, value: entry.ttlSeconds } } : undefined;
    await this.#client.set(entry.key, entry.value, options);
  }

  async setMany(entries: readonly SetEntry[]): Promise<void> {
    // node-redis writes commands issued in one tick as one pipeline; on a cluster each goes to its slot.
    await Promise.all(entries.map((e) => this.set(e)));
  }

  del(keys: readonly string[]): Promise<number> {
    return this.#client.del([...keys]);
  }

  unlink(keys: readonly string[]): Promise<number> {
    return this.#client.unlink([...keys]);
  }

  async expire(key: string, seconds: number): Promise<boolean> {
    return Number(await this.#client.expire(key, seconds)) === 1;
  }

  ttl(key: string): Promise<number> {
    return this.#client.ttl(key);
  }

  publish(channel: string, message: string, sharded = false): Promise<number> {
    const client = this.#client;
    if (sharded && client.sPublish) return client.sPublish(channel, message);
    return client.publish(channel, message);
  }

  scanNodeCount(): number {
    const client = this.#client;
    return isCluster(client) ? client.masters.length : 1;
  }

  async scanPage(node: number, cursor: string, match: string | undefined, count: number): Promise<ScanPage> {
    const client = this.#client;
    const target = isCluster(client) ? await client.nodeClient(client.masters[node]) : client;
    const options: { MATCH?: string; COUNT: number } = { COUNT: count };
    if (match !== undefined) options.MATCH = match;
    const page = await target.scan(cursor, options);
    return { cursor: asString(page.cursor), keys: page.keys.map(asString) };
  }

  async info(section?: string): Promise<string> {
    return asString(section === undefined ? await this.#client.info() : await this.#client.info(section));
  }

  async ping(): Promise<void> {
    await this.#client.ping();
  }

  sendCommand(args: readonly string[], key?: string): Promise<unknown> {
    const client = this.#client;
    return isCluster(client) ? client.sendCommand(key, false, [...args]) : client.sendCommand([...args]);
  }

  async subscribe(channels: readonly string[], listener: MessageListener, sharded = false): Promise<void> {
    const client = this.#client;
    if (sharded && client.sSubscribe) await client.sSubscribe([...channels], listener);
    else await client.subscribe([...channels], listener);
  }

  async psubscribe(patterns: readonly string[], listener: MessageListener): Promise<void> {
    await this.#client.pSubscribe([...patterns], (message, channel) => listener(message, channel));
  }

  async unsubscribe(channels: readonly string[], sharded = false): Promise<void> {
    const client = this.#client;
    if (sharded && client.sUnsubscribe) await client.sUnsubscribe([...channels]);
    else await client.unsubscribe([...channels]);
  }

  async punsubscribe(patterns: readonly string[]): Promise<void> {
    await this.#client.pUnsubscribe([...patterns]);
  }

  async xadd(key: string, fields: Record<string, string>, maxLen?: number): Promise<string> {
    const options = maxLen ? { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: maxLen } } : undefined;
    return asString(await this.#client.xAdd(key, '*', fields, options));
  }

  async xgroupCreate(key: string, group: string, startId: string): Promise<boolean> {
    try {
      await this.#client.xGroupCreate(key, group, startId, { MKSTREAM: true });
      return true;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('BUSYGROUP')) return false;
      throw err;
    }
  }

  async xreadgroup(
    group: string,
    consumer: string,
    streams: ReadonlyArray<{ key: string; id: string }>,
    count: number,
    blockMs: number | undefined,
  ): Promise<StreamBatch[]> {
    const options: { COUNT: number; BLOCK?: number } = { COUNT: count };
    if (blockMs !== undefined) options.BLOCK = blockMs;
    return toStreamBatches(await this.#client.xReadGroup(group, consumer, streams.map((s) => ({ ...s })), options));
  }

  xack(key: string, group: string, ids: readonly string[]): Promise<number> {
    return this.#client.xAck(key, group, [...ids]);
  }

  async xautoclaim(key: string, group: string, consumer: string, minIdleMs: number, start: string, count: number): Promise<AutoClaimResult> {
    return toAutoClaim(await this.#client.xAutoClaim(key, group, consumer, minIdleMs, start, { COUNT: count }));
  }

  async xpending(key: string, group: string, start: string, end: string, count: number, consumer?: string): Promise<PendingEntry[]> {
    const options = consumer === undefined ? undefined : { consumer };
    return toPending(await this.#client.xPendingRange(key, group, start, end, count, options));
  }

  async xrange(key: string, start: string, end: string, count: number): Promise<StreamEntry[]> {
    return toStreamEntries(await this.#client.xRange(key, start, end, { COUNT: count }));
  }

  xlen(key: string): Promise<number> {
    return this.#client.xLen(key);
  }
}

/**
 * What a duplicate of a user's node-redis object changes: tracking; and, on a standalone client
 * (whose socket options node-redis exposes), the idle timeout and the PING interval, so a
 * blocking reader is not cut off by the user's shorter `socketTimeout`.
 */
function userClientOverrides(source: NodeRedisTarget, o: ConnectionOverrides): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = o.tracking ? { ...trackingClientOptions(o.tracking) } : {};
  if (isCluster(source)) return o.tracking ? out : undefined;
  const socket = source.options?.socket;
  if (socket !== undefined && o.socketTimeoutMs !== undefined) out.socket = { ...socket, socketTimeout: o.socketTimeoutMs };
  if (o.ping === false) out.pingInterval = 0;
  return Object.keys(out).length === 0 ? undefined : out;
}
