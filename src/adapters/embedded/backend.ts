/** The embedded adapter of the backend port: ioredis-mock connections of one in-memory server behind the port's operations. */
import type { EventEmitter } from 'node:events';
import type { Backend, BackendSignal, ConnectionOverrides, ErrorPhase, ScanPage, SetEntry } from '../../client/backend.js';
import type { AutoClaimResult, MessageListener, PendingEntry, StreamBatch, StreamEntry } from '../../client/types.js';
import type { RedisSdkError } from '../../internal/errors.js';
import { fallbackError } from '../error-replies.js';
import { toFields } from '../replies.js';

/** The slice of an ioredis(-mock) instance the embedded adapter calls. */
export interface IoredisLike {
  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Buffer | null>;
  mget(keys: string[]): Promise<Array<string | null>>;
  mgetBuffer(keys: string[]): Promise<Array<Buffer | null>>;
  set(key: string, value: string | Buffer, ...args: Array<string | number>): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  unlink(...keys: string[]): Promise<number>;
  expire(key: string, seconds: number): Promise<number>;
  ttl(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  scan(cursor: string, ...args: Array<string | number>): Promise<[string, string[]]>;
  info(section?: string): Promise<string>;
  ping(): Promise<string>;
  xadd(key: string, ...args: string[]): Promise<string | null>;
  xrange(key: string, start: string, end: string, ...args: Array<string | number>): Promise<Array<[string, string[]]>>;
  xlen(key: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  psubscribe(...patterns: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  punsubscribe(...patterns: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'pmessage', listener: (pattern: string, channel: string, message: string) => void): unknown;
  disconnect(): void;
  quit(): Promise<unknown>;
}

/** One embedded server: how to open a connection, and where its key changes are announced. */
export interface EmbeddedHub {
  connect(): IoredisLike;
  /** Emits `'invalidate'` with each key written through any connection of this server. */
  readonly changes: EventEmitter;
}

function unsupported(command: string): Promise<never> {
  // Reply-shaped, so RedisClient maps it to a RedisCommandError like a real server's refusal.
  return Promise.reject(new Error(`ERR ${command} is not supported by the embedded in-memory backend; use a real Redis server`));
}

/**
 * The in-process adapter of the backend port, over ioredis-mock: same keyspace and pub/sub
 * for every connection of one embedded server. Consumer-group stream commands are not
 * available (ioredis-mock lacks them) and reject with a clear command error.
 */
export class EmbeddedBackend implements Backend {
  readonly kind = 'embedded' as const;
  readonly #hub: EmbeddedHub;
  readonly #options: ConnectionOverrides;
  #stopTracking: (() => void) | undefined;
  #redis: IoredisLike | undefined;
  #ready = false;
  #listener: (signal: BackendSignal) => void = () => undefined;
  readonly #channelListeners = new Map<string, MessageListener>();
  readonly #patternListeners = new Map<string, MessageListener>();

  /** Internal: an embedded server's clients build it (see `./server.ts`). */
  constructor(hub: EmbeddedHub, options: ConnectionOverrides = {}) {
    this.#hub = hub;
    this.#options = options;
  }

  #changed(keys: readonly string[]): void {
    for (const key of keys) this.#hub.changes.emit('invalidate', key);
  }

  get raw(): unknown {
    return this.#redis;
  }

  get endpoint(): string {
    return 'embedded';
  }

  /** ioredis-mock throws plain errors: error replies by their text, anything else a connection failure. */
  mapError(err: unknown, command: string, phase: ErrorPhase): RedisSdkError {
    return fallbackError(err, command, phase);
  }

  get #r(): IoredisLike {
    if (!this.#redis) throw new Error('not connected');
    return this.#redis;
  }

  onSignal(listener: (signal: BackendSignal) => void): void {
    this.#listener = listener;
  }

  async connect(): Promise<void> {
    if (!this.#redis) {
      const redis = this.#hub.connect();
      redis.on('message', (channel, message) => this.#channelListeners.get(channel)?.(message, channel));
      redis.on('pmessage', (pattern, channel, message) => this.#patternListeners.get(pattern)?.(message, channel, pattern));
      this.#redis = redis;
    }
    const tracking = this.#options.tracking;
    if (tracking && !this.#stopTracking) {
      const onChange = (key: string): void => {
        if (key.startsWith(tracking.prefix)) tracking.onInvalidate(key);
      };
      this.#hub.changes.on('invalidate', onChange);
      this.#stopTracking = () => this.#hub.changes.off('invalidate', onChange);
    }
    this.#ready = true;
    this.#listener({ type: 'ready' });
  }

  isReady(): boolean {
    return this.#ready;
  }

  async close(): Promise<void> {
    this.destroy();
  }

  destroy(): void {
    if (!this.#redis) return;
    this.#stopTracking?.();
    this.#stopTracking = undefined;
    this.#ready = false;
    this.#redis.disconnect();
    this.#redis = undefined;
    this.#listener({ type: 'end' });
  }

  duplicate(options: ConnectionOverrides): Backend {
    return new EmbeddedBackend(this.#hub, options);
  }

  get(key: string): Promise<string | null> {
    return this.#r.get(key);
  }

  getBuffer(key: string): Promise<Buffer | null> {
    return this.#r.getBuffer(key);
  }

  mget(keys: readonly string[]): Promise<Array<string | null>> {
    return this.#r.mget([...keys]);
  }

  mgetBuffer(keys: readonly string[]): Promise<Array<Buffer | null>> {
    return this.#r.mgetBuffer([...keys]);
  }

  async set(entry: SetEntry): Promise<void> {
    if (entry.ttlSeconds) await this.#r.set(entry.key, entry.value, 'EX', entry.ttlSeconds);
    else await this.#r.set(entry.key, entry.value);
    this.#changed([entry.key]);
  }

  async setMany(entries: readonly SetEntry[]): Promise<void> {
    await Promise.all(entries.map((e) => this.set(e)));
  }

  async del(keys: readonly string[]): Promise<number> {
    const n = await this.#r.del(...keys);
    this.#changed(keys);
    return n;
  }

  async unlink(keys: readonly string[]): Promise<number> {
    const n = await this.#r.unlink(...keys);
    this.#changed(keys);
    return n;
  }

  async expire(key: string, seconds: number): Promise<boolean> {
    const ok = (await this.#r.expire(key, seconds)) === 1;
    this.#changed([key]);
    return ok;
  }

  ttl(key: string): Promise<number> {
    return this.#r.ttl(key);
  }

  publish(channel: string, message: string): Promise<number> {
    return this.#r.publish(channel, message);
  }

  scanNodeCount(): number {
    return 1;
  }

  async scanPage(_node: number, cursor: string, match: string | undefined, count: number): Promise<ScanPage> {
    const args: Array<string | number> = match === undefined ? ['COUNT', count] : ['MATCH', match, 'COUNT', count];
    const [next, keys] = await this.#r.scan(cursor, ...args);
    return { cursor: String(next), keys };
  }

  info(section?: string): Promise<string> {
    return section === undefined ? this.#r.info() : this.#r.info(section);
  }

  async ping(): Promise<void> {
    await this.#r.ping();
  }

  sendCommand(args: readonly string[]): Promise<unknown> {
    return unsupported(`${args[0] ?? ''} (raw commands)`);
  }

  async subscribe(channels: readonly string[], listener: MessageListener): Promise<void> {
    for (const c of channels) this.#channelListeners.set(c, listener);
    await this.#r.subscribe(...channels);
  }

  async psubscribe(patterns: readonly string[], listener: MessageListener): Promise<void> {
    for (const p of patterns) this.#patternListeners.set(p, listener);
    await this.#r.psubscribe(...patterns);
  }

  async unsubscribe(channels: readonly string[]): Promise<void> {
    for (const c of channels) this.#channelListeners.delete(c);
    await this.#r.unsubscribe(...channels);
  }

  async punsubscribe(patterns: readonly string[]): Promise<void> {
    for (const p of patterns) this.#patternListeners.delete(p);
    await this.#r.punsubscribe(...patterns);
  }

  async xadd(key: string, fields: Record<string, string>, maxLen?: number): Promise<string> {
    const trim = maxLen ? ['MAXLEN', '~', String(maxLen)] : [];
    const id = await this.#r.xadd(key, ...trim, '*', ...Object.entries(fields).flat());
    return String(id);
  }

  async xrange(key: string, start: string, end: string, count: number): Promise<StreamEntry[]> {
    const rows = await this.#r.xrange(key, start, end, 'COUNT', count);
    return rows.map(([id, pairs]) => ({ id, fields: toFields(pairs) }));
  }

  xlen(key: string): Promise<number> {
    return this.#r.xlen(key);
  }

  xgroupCreate(): Promise<boolean> {
    return unsupported('XGROUP');
  }

  xreadgroup(): Promise<StreamBatch[]> {
    return unsupported('XREADGROUP');
  }

  xack(): Promise<number> {
    return unsupported('XACK');
  }

  xautoclaim(): Promise<AutoClaimResult> {
    return unsupported('XAUTOCLAIM');
  }

  xpending(): Promise<PendingEntry[]> {
    return unsupported('XPENDING');
  }
}
