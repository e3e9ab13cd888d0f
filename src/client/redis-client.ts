/** `RedisClient`: the SDK's connection manager, with its failure model, over a backend an adapter builds. */
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import { nodeRedisBackendFactory } from '../adapters/node-redis/factory.js';
import { wrapNodeRedis } from '../adapters/node-redis/wrap.js';
import { componentLogger, type Logger } from '../internal/logger.js';
import { BACKEND_FACTORY, type Backend, type InternalClientOptions } from './backend.js';
import { CommandRunner } from './command-runner.js';
import { Connection, type ClientStatus } from './connection.js';
import { optionsFromEnv, type RedisEnv } from './env.js';
import { parseInfo } from './info.js';
import { copyOptions, resolveClientOptions, type RedisClientOptions, type ResolvedClientOptions } from './options.js';
import { ClientStreamCommands, type StreamCommands } from './stream-commands.js';
import type { ClientKind, DuplicateOptions, MessageListener, RedisClientEvents, ScanOptions, SetOptions } from './types.js';

/**
 * A Redis connection manager with the failure model of the SDK: every call settles within its
 * deadline (also when a command is already on the wire), idempotent commands retry connection
 * errors with jittered backoff, reconnection never gives up once connected, calls fail fast
 * while disconnected, and a dropped connection never crashes the process.
 *
 * @example
 * ```ts
 * await using client = await RedisClient.connect({ url: 'redis://localhost:6379' });
 * await client.set('greeting', 'hello', { ttlSeconds: 60 });
 * console.log(await client.get('greeting'));
 * ```
 */
export class RedisClient extends EventEmitter<RedisClientEvents> {
  readonly #options: ResolvedClientOptions;
  readonly #connection: Connection;
  readonly #backend: Backend;
  readonly #log: Logger;
  /** Clients duplicated with `closeWithParent`, closed with this one. */
  readonly #dependents = new Set<RedisClient>();
  /** For a copy made with `closeWithParent`: joins (`true`) or leaves its parent's dependents. */
  #tie: ((tied: boolean) => void) | undefined;
  readonly #runner: CommandRunner;
  /** Stream commands (XADD, XREADGROUP...) with the same deadlines and error mapping. */
  readonly streams: StreamCommands;

  /**
   * Creates a client; nothing connects until {@link connect}. Invalid options throw a
   * `ConfigError` here.
   */
  constructor(options: RedisClientOptions = {}) {
    super();
    this.#options = resolveClientOptions(options);
    this.#log = componentLogger(options.logger, 'redis-client');
    // The SDK's own entry points (fromNodeRedis, duplicate, ./embedded) bring their adapter's
    // backend factory; plain options get node-redis. Either way the backend reconnects by this
    // client's own policy.
    const factory = (options as InternalClientOptions)[BACKEND_FACTORY] ?? nodeRedisBackendFactory(this.#options);
    const connection = new Connection(factory, this.#options, this.#log, {
      status: (status) => {
        if (status === 'closed') this.emit('close');
        else if (status !== 'connecting') this.emit(status);
      },
      error: (error) => {
        if (this.listenerCount('error') > 0) this.emit('error', error);
      },
    });
    this.#connection = connection;
    this.#backend = connection.backend;
    this.#runner = new CommandRunner(this.#backend, this.#options.commandTimeoutMs, this.#options.retry, connection);
    this.streams = new ClientStreamCommands((name, fn, idempotent, timeoutMs) => this.#runner.run(name, fn, idempotent, timeoutMs), this.#options.commandTimeoutMs);
  }

  /** Creates a client and connects it. Rejects with `RedisConnectionError` within about `connectTimeoutMs`. */
  static async connect(options: RedisClientOptions = {}): Promise<RedisClient> {
    return new RedisClient(options).connect();
  }

  /**
   * A client configured from environment variables (`REDIS_URL`, or `REDIS_HOST`, `REDIS_PORT`,
   * `REDIS_DB`, `REDIS_USERNAME`, `REDIS_PASSWORD`, `REDIS_TLS`), not yet connected. `null`
   * when `REDIS_ENABLED=false`. A bad value throws a `ConfigError` naming the variable.
   * `overrides` set what the environment does not (timeouts, logger...); for the endpoint and
   * credentials the environment wins, and `REDIS_HOST`/`REDIS_PORT`/`REDIS_DB` override the
   * matching parts of `REDIS_URL`.
   */
  static fromEnv(env: RedisEnv = process.env, overrides: Omit<RedisClientOptions, 'url'> = {}): RedisClient | null {
    const fromEnv = optionsFromEnv(env);
    return fromEnv === null ? null : new RedisClient({ ...overrides, ...fromEnv });
  }

  /**
   * Wraps a node-redis client, cluster or sentinel that you created, of any RESP version. The
   * SDK adds its deadlines, retries and error listener; connecting and closing stay available.
   * Anything else throws a `ConfigError`.
   */
  static fromNodeRedis(client: unknown, options: Omit<RedisClientOptions, 'url' | 'host' | 'port'> = {}): RedisClient {
    const internal: InternalClientOptions = { ...options, [BACKEND_FACTORY]: wrapNodeRedis(client, Boolean(options.tls)) };
    return new RedisClient(internal);
  }

  /** Current connection status. */
  get status(): ClientStatus {
    return this.#connection.status;
  }

  /** True when commands can be sent now. */
  get isReady(): boolean {
    return this.#connection.isReady;
  }

  /** The deployment kind: standalone, cluster, sentinel or embedded. */
  get kind(): ClientKind {
    return this.#backend.kind;
  }

  /** Where this client connects, as messages show it: never with a password. */
  get endpoint(): string {
    return this.#backend.endpoint;
  }

  /** The per-command deadline in ms. */
  get commandTimeoutMs(): number {
    return this.#options.commandTimeoutMs;
  }

  /** The underlying node-redis client, cluster or sentinel (or ioredis-mock instance when embedded). */
  get raw(): unknown {
    return this.#backend.raw;
  }

  /**
   * Connects and resolves when ready. Rejects with `RedisConnectionError` within about
   * `connectTimeoutMs` if the server is unreachable, never answers the handshake, or rejects
   * the credentials; never retries forever.
   */
  async connect(): Promise<this> {
    this.#tie?.(true);
    await this.#connection.connect();
    return this;
  }

  /**
   * Starts connecting without waiting, and keeps retrying with capped, jittered backoff until
   * it succeeds or the client is closed: for services that must start while Redis is down.
   * Listen for `ready`, or check {@link isReady}; calls fail fast until then.
   */
  connectInBackground(): void {
    this.#tie?.(true);
    this.#connection.connectInBackground();
  }

  /** `GET key`. @see https://redis.io/commands/get/ */
  get(key: string): Promise<string | null> {
    return this.#runner.run('GET', (b) => b.get(key), true);
  }

  /** `GET key` returning the raw bytes (for binary values). */
  getBuffer(key: string): Promise<Buffer | null> {
    return this.#runner.run('GET', (b) => b.getBuffer(key), true);
  }

  /** `MGET keys...` in one round trip (split per slot on a cluster). @see https://redis.io/commands/mget/ */
  mget(keys: readonly string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.#runner.run('MGET', (b) => b.mget(keys), true);
  }

  /** `MGET` returning raw bytes. */
  mgetBuffer(keys: readonly string[]): Promise<Array<Buffer | null>> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.#runner.run('MGET', (b) => b.mgetBuffer(keys), true);
  }

  /** `SET key value [EX ttl]`. @see https://redis.io/commands/set/ */
  async set(key: string, value: string | Buffer, options: SetOptions = {}): Promise<void> {
    await this.#runner.run('SET', (b) => b.set({ key, value, ttlSeconds: options.ttlSeconds }), true);
  }

  /** Many `SET`s written as one pipeline (per slot on a cluster). */
  async setMany(entries: ReadonlyArray<{ key: string; value: string | Buffer; ttlSeconds?: number }>): Promise<void> {
    if (entries.length === 0) return;
    await this.#runner.run('SET', (b) => b.setMany(entries), true);
  }

  /** `DEL keys...`; resolves the number deleted. @see https://redis.io/commands/del/ */
  del(keys: readonly string[]): Promise<number>;
  /** @deprecated Pass one array: `del([a, b])`. The variadic form goes in the next minor version. */
  del(...keys: string[]): Promise<number>;
  del(...args: Array<string | readonly string[]>): Promise<number> {
    const keys = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly string[]) : (args as string[]);
    if (keys.length === 0) return Promise.resolve(0);
    return this.#runner.run('DEL', (b) => b.del(keys), true);
  }

  /** `UNLINK keys...`: like DEL, freeing memory in the background. @see https://redis.io/commands/unlink/ */
  unlink(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#runner.run('UNLINK', (b) => b.unlink(keys), true);
  }

  /** `EXPIRE key seconds`; `true` when the key exists. @see https://redis.io/commands/expire/ */
  expire(key: string, seconds: number): Promise<boolean> {
    return this.#runner.run('EXPIRE', (b) => b.expire(key, seconds), true);
  }

  /** `TTL key`: seconds left, -1 without expiry, -2 when missing. @see https://redis.io/commands/ttl/ */
  ttl(key: string): Promise<number> {
    return this.#runner.run('TTL', (b) => b.ttl(key), true);
  }

  /**
   * `PUBLISH channel message` (`SPUBLISH` with `sharded`); resolves the receiver count. Never
   * retried: it may already have reached the server. @see https://redis.io/commands/publish/
   */
  publish(channel: string, message: string, options: { sharded?: boolean } = {}): Promise<number> {
    return this.#runner.run('PUBLISH', (b) => b.publish(channel, message, options.sharded), false);
  }

  /**
   * Iterates keys with `SCAN` (every master on a cluster), each page under the deadline.
   * Never uses `KEYS`. @see https://redis.io/commands/scan/
   */
  async *scan(options: ScanOptions = {}): AsyncGenerator<string, void, undefined> {
    const count = options.count ?? 100;
    const nodes = this.#backend.scanNodeCount();
    for (let node = 0; node < nodes; node++) {
      let cursor = '0';
      do {
        const page = await this.#runner.run('SCAN', (b) => b.scanPage(node, cursor, options.match, count), true);
        cursor = page.cursor;
        yield* page.keys;
      } while (cursor !== '0');
    }
  }

  /** `INFO [section]` parsed into a record of fields. @see https://redis.io/commands/info/ */
  async info(section?: string): Promise<Record<string, string>> {
    return parseInfo(await this.#runner.run('INFO', (b) => b.info(section), true));
  }

  /** `PING`; resolves the round trip in milliseconds. */
  async ping(): Promise<number> {
    const start = performance.now();
    await this.#runner.run('PING', (b) => b.ping(), false);
    return performance.now() - start;
  }

  /** `true` when Redis answers a PING within the deadline. Never throws. */
  async healthCheck(): Promise<boolean> {
    try {
      await this.ping();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Any other command, under the same deadline and error mapping. Not retried unless
   * `idempotent` is set. On a cluster pass the routing `key`.
   */
  command(args: readonly string[], options: { idempotent?: boolean; key?: string } = {}): Promise<unknown> {
    const name = (args[0] ?? '').toUpperCase();
    return this.#runner.run(name, (b) => b.sendCommand(args, options.key), options.idempotent ?? false);
  }

  /** Subscribes this connection to channels (`SSUBSCRIBE` with `sharded`). Use a {@link duplicate}. */
  async subscribe(channels: readonly string[], listener: MessageListener, options: { sharded?: boolean } = {}): Promise<void> {
    await this.#runner.run('SUBSCRIBE', (b) => b.subscribe(channels, listener, options.sharded), false);
  }

  /** Subscribes this connection to glob patterns. */
  async psubscribe(patterns: readonly string[], listener: MessageListener): Promise<void> {
    await this.#runner.run('PSUBSCRIBE', (b) => b.psubscribe(patterns, listener), false);
  }

  /** Unsubscribes channels. */
  async unsubscribe(channels: readonly string[], options: { sharded?: boolean } = {}): Promise<void> {
    await this.#runner.run('UNSUBSCRIBE', (b) => b.unsubscribe(channels, options.sharded), true);
  }

  /** Unsubscribes patterns. */
  async punsubscribe(patterns: readonly string[]): Promise<void> {
    await this.#runner.run('PUNSUBSCRIBE', (b) => b.punsubscribe(patterns), true);
  }

  /**
   * A new, unconnected client on its own connection with the same settings: for subscriptions
   * and blocking reads, which must not hold up the shared command connection. The copy owns its
   * connection and its reconnect policy: it lives until its own `close()`, whatever happens to
   * this client, unless `closeWithParent` ties it to this one.
   */
  duplicate(options: DuplicateOptions = {}): RedisClient {
    const { logger, commandTimeoutMs, closeWithParent, component, ...overrides } = options;
    const parent = this.#backend;
    const internal: InternalClientOptions = {
      ...copyOptions(this.#options, { logger: logger ?? this.#log, commandTimeoutMs, component }),
      [BACKEND_FACTORY]: (policy) => parent.duplicate(overrides, policy),
    };
    const copy = new RedisClient(internal);
    if (closeWithParent) {
      // Tied while it is open: a copy closed on its own leaves, and joins again when reopened.
      copy.#tie = (tied) => void (tied ? this.#dependents.add(copy) : this.#dependents.delete(copy));
    }
    return copy;
  }

  /**
   * Graceful close: in-flight commands get up to `commandTimeoutMs` to finish, then the
   * connection closes (destroyed if they have not). Never hangs, even on a frozen server.
   * Copies made with `duplicate({ closeWithParent: true })` close with it.
   */
  async close(): Promise<void> {
    this.#tie?.(false);
    const dependents = [...this.#dependents];
    this.#dependents.clear();
    // This connection's close starts first, in this tick: from here on calls are refused.
    const results = await Promise.allSettled([this.#connection.close(), ...dependents.map((d) => d.close())]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Immediate close: pending commands reject at once. Copies made with `closeWithParent` go too. */
  destroy(): void {
    this.#tie?.(false);
    const dependents = [...this.#dependents];
    this.#dependents.clear();
    this.#connection.destroy();
    for (const d of dependents) d.destroy();
  }

  /** `await using client = ...` closes the client at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** A redacted description: endpoint (no password) and status. */
  override toString(): string {
    return `RedisClient(${this.endpoint}, ${this.status})`;
  }

  /** What `JSON.stringify` shows: no secrets. */
  toJSON(): { endpoint: string; status: ClientStatus; kind: ClientKind } {
    return { endpoint: this.endpoint, status: this.status, kind: this.kind };
  }

  /** What `util.inspect` and `console.log` show: no secrets. */
  [inspect.custom](): string {
    return this.toString();
  }
}
