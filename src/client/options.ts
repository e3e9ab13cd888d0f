/** `RedisClient` options: their types, defaults, validation (`ConfigError`) and URL parsing. */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { integerOption } from '../internal/config.js';
import { ConfigError } from '../internal/errors.js';
import type { Logger } from '../internal/logger.js';

/** Backoff bounds for retrying idempotent commands after a connection error. */
export interface RetryOptions {
  /** Total attempts, the first included. `1` disables retries. @default 3 */
  attempts?: number;
  /** Upper bound of the first backoff; each later one doubles, with full jitter. @default 50 */
  baseDelayMs?: number;
  /** Cap on any single backoff. @default 1000 */
  maxDelayMs?: number;
}

/** Backoff bounds for reconnecting after the connection drops. Reconnection never gives up. */
export interface ReconnectOptions {
  /** Upper bound of the first reconnect delay; doubles per attempt, with full jitter. @default 100 */
  baseDelayMs?: number;
  /** Cap on any reconnect delay. @default 5000 */
  maxDelayMs?: number;
}

/** TLS settings. `true` means TLS with the system CAs. */
export type TlsOptions =
  | boolean
  | Pick<TlsConnectionOptions, 'ca' | 'cert' | 'key' | 'servername' | 'rejectUnauthorized' | 'passphrase'>;

/** A node address for cluster and sentinel set-ups. */
export interface NodeAddress {
  host: string;
  port: number;
}

/** Redis Cluster: connect through any of the root nodes; the topology is discovered. */
export interface ClusterOptions {
  rootNodes: readonly NodeAddress[];
  /** Send read-only commands to replicas. @default false */
  useReplicas?: boolean;
}

/** Redis Sentinel: the master set `name`, found through the given sentinels. */
export interface SentinelOptions {
  name: string;
  sentinels: readonly NodeAddress[];
}

/**
 * Options of {@link RedisClient}. Every field is optional; defaults are in {@link CLIENT_DEFAULTS}.
 * Pass `url`, `host`/`port`, or both (fields given explicitly override the URL's parts), or one
 * of `cluster` / `sentinel`.
 */
export interface RedisClientOptions {
  /** `redis://[user[:password]@]host[:port][/db]` or `rediss://` for TLS. */
  url?: string;
  /** @default 'localhost' */
  host?: string;
  /** @default 6379 */
  port?: number;
  /** Database index (standalone only). @default 0 */
  db?: number;
  /** ACL user name. */
  username?: string;
  /** Password (ACL or `requirepass`). Never logged or shown. */
  password?: string;
  /** TLS: `true` or CA / client certificate settings. @default false */
  tls?: TlsOptions;
  /** Connection name shown by `CLIENT LIST`. @default 'trading-platform-sdk' */
  name?: string;
  /** Deadline for `connect()`: TCP, TLS, handshake and auth together. @default 5000 */
  connectTimeoutMs?: number;
  /**
   * Deadline for each command, enforced by the SDK itself, so it also covers commands already
   * written to the socket (a frozen server, a blackholed link). @default 2000
   */
  commandTimeoutMs?: number;
  /** PING interval on idle connections; with `socketTimeoutMs` it detects half-open links. @default 1000 */
  pingIntervalMs?: number;
  /** A connection that receives nothing for this long is closed and reconnected. @default 5000 */
  socketTimeoutMs?: number;
  /** Most commands waiting for replies on one connection; more fail fast. @default 10000 */
  maxPendingCommands?: number;
  /** Retry of idempotent commands. */
  retry?: RetryOptions;
  /** Reconnection backoff. */
  reconnect?: ReconnectOptions;
  /** Redis Cluster instead of a single server. */
  cluster?: ClusterOptions;
  /** Redis Sentinel instead of a single server. */
  sentinel?: SentinelOptions;
  /** Where the client logs. @default silent */
  logger?: Logger;
  /**
   * What this connection is, in diagnostics and metrics (`client_connection_status{component}`):
   * letters, digits, `_` and `-`, at most 64. Duplicates keep it unless they name their own; the
   * connections the SDK opens for itself are `subscriber`, `stream-reader` and `local-tier`.
   * @default 'client'
   */
  component?: string;
}

/** The defaults of {@link RedisClientOptions}, in one place. */
export const CLIENT_DEFAULTS = Object.freeze({
  host: 'localhost',
  port: 6379,
  db: 0,
  name: 'trading-platform-sdk',
  component: 'client',
  connectTimeoutMs: 5000,
  commandTimeoutMs: 2000,
  pingIntervalMs: 1000,
  socketTimeoutMs: 5000,
  maxPendingCommands: 10_000,
  retry: Object.freeze({ attempts: 3, baseDelayMs: 50, maxDelayMs: 1000 }),
  reconnect: Object.freeze({ baseDelayMs: 100, maxDelayMs: 5000 }),
});

/** Options after defaults and validation. Internal. */
export interface ResolvedClientOptions {
  host: string;
  port: number;
  db: number;
  username: string | undefined;
  password: string | undefined;
  tls: TlsOptions;
  name: string;
  component: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  pingIntervalMs: number;
  socketTimeoutMs: number;
  maxPendingCommands: number;
  retry: Required<RetryOptions>;
  reconnect: Required<ReconnectOptions>;
  cluster: ClusterOptions | undefined;
  sentinel: SentinelOptions | undefined;
}

/** Longest delay a Node.js timer can take; larger ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

function positiveInt(value: number | undefined, fallback: number, name: string, min = 1, max = MAX_TIMER_MS): number {
  return integerOption(value, fallback, name, { min, max });
}

function parseUrl(url: string): Partial<ResolvedClientOptions> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Node's TypeError keeps the whole input (password included) in `.input`: do not forward it.
    throw new ConfigError(`Option url is not a valid URL: ${redactUrl(url)}`, { context: { option: 'url' } });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`Option url must start with redis:// or rediss://, got ${parsed.protocol}//`, {
      context: { option: 'url' },
    });
  }
  const out: Partial<ResolvedClientOptions> = { host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost' };
  if (parsed.port) out.port = Number(parsed.port);
  if (parsed.username) out.username = decodeURIComponent(parsed.username);
  if (parsed.password) out.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db) {
    if (!/^\d+$/.test(db)) throw new ConfigError(`Option url has an invalid database "${db}"`, { context: { option: 'url' } });
    out.db = Number(db);
  }
  if (parsed.protocol === 'rediss:') out.tls = true;
  return out;
}

/** Applies defaults and validates. Throws {@link ConfigError} naming the bad option. */
export function resolveClientOptions(options: RedisClientOptions = {}): ResolvedClientOptions {
  const fromUrl = options.url === undefined ? {} : parseUrl(options.url);
  if (options.cluster && options.sentinel) {
    throw new ConfigError('Options cluster and sentinel cannot be used together', { context: { option: 'cluster' } });
  }
  for (const [name, nodes] of [['cluster.rootNodes', options.cluster?.rootNodes], ['sentinel.sentinels', options.sentinel?.sentinels]] as const) {
    for (const node of nodes ?? []) {
      if (typeof node?.host !== 'string' || node.host === '' || !Number.isInteger(node.port) || node.port < 1 || node.port > 65535) {
        throw new ConfigError(`Option ${name} has an invalid node ${JSON.stringify(node)}: needs { host, port }`, { context: { option: name } });
      }
    }
  }
  if (options.tls !== undefined && typeof options.tls !== 'boolean' && (typeof options.tls !== 'object' || options.tls === null)) {
    throw new ConfigError(`Option tls must be a boolean or TLS options, got ${typeof options.tls}`, { context: { option: 'tls' } });
  }
  if (options.cluster && options.cluster.rootNodes.length === 0) {
    throw new ConfigError('Option cluster.rootNodes must list at least one node', { context: { option: 'cluster.rootNodes' } });
  }
  if (options.sentinel && (options.sentinel.sentinels.length === 0 || !options.sentinel.name)) {
    throw new ConfigError('Option sentinel needs a name and at least one sentinel', { context: { option: 'sentinel' } });
  }
  const tls = options.tls ?? fromUrl.tls ?? false;
  const retry = { ...CLIENT_DEFAULTS.retry, ...options.retry };
  const reconnect = { ...CLIENT_DEFAULTS.reconnect, ...options.reconnect };
  const resolved: ResolvedClientOptions = {
    host: options.host ?? fromUrl.host ?? CLIENT_DEFAULTS.host,
    port: positiveInt(options.port ?? fromUrl.port, CLIENT_DEFAULTS.port, 'port'),
    db: positiveInt(options.db ?? fromUrl.db, CLIENT_DEFAULTS.db, 'db', 0),
    username: options.username ?? fromUrl.username,
    password: options.password ?? fromUrl.password,
    tls,
    name: options.name ?? CLIENT_DEFAULTS.name,
    component: componentOption(options.component),
    connectTimeoutMs: positiveInt(options.connectTimeoutMs, CLIENT_DEFAULTS.connectTimeoutMs, 'connectTimeoutMs'),
    commandTimeoutMs: positiveInt(options.commandTimeoutMs, CLIENT_DEFAULTS.commandTimeoutMs, 'commandTimeoutMs'),
    pingIntervalMs: positiveInt(options.pingIntervalMs, CLIENT_DEFAULTS.pingIntervalMs, 'pingIntervalMs'),
    socketTimeoutMs: positiveInt(options.socketTimeoutMs, CLIENT_DEFAULTS.socketTimeoutMs, 'socketTimeoutMs'),
    maxPendingCommands: positiveInt(options.maxPendingCommands, CLIENT_DEFAULTS.maxPendingCommands, 'maxPendingCommands'),
    retry: {
      attempts: positiveInt(retry.attempts, CLIENT_DEFAULTS.retry.attempts, 'retry.attempts'),
      baseDelayMs: positiveInt(retry.baseDelayMs, CLIENT_DEFAULTS.retry.baseDelayMs, 'retry.baseDelayMs', 0),
      maxDelayMs: positiveInt(retry.maxDelayMs, CLIENT_DEFAULTS.retry.maxDelayMs, 'retry.maxDelayMs', 0),
    },
    reconnect: {
      baseDelayMs: positiveInt(reconnect.baseDelayMs, CLIENT_DEFAULTS.reconnect.baseDelayMs, 'reconnect.baseDelayMs'),
      maxDelayMs: positiveInt(reconnect.maxDelayMs, CLIENT_DEFAULTS.reconnect.maxDelayMs, 'reconnect.maxDelayMs'),
    },
    cluster: options.cluster,
    sentinel: options.sentinel,
  };
  if (resolved.retry.baseDelayMs > resolved.retry.maxDelayMs || resolved.reconnect.baseDelayMs > resolved.reconnect.maxDelayMs) {
    throw new ConfigError('Options retry and reconnect need baseDelayMs <= maxDelayMs', { context: { option: 'retry' } });
  }
  if (resolved.port > 65535) throw new ConfigError(`Option port must be <= 65535, got ${resolved.port}`, { context: { option: 'port' } });
  if (resolved.pingIntervalMs >= resolved.socketTimeoutMs) {
    throw new ConfigError('Option pingIntervalMs must be below socketTimeoutMs, or half-open links go unnoticed', {
      context: { option: 'pingIntervalMs' },
    });
  }
  return resolved;
}

/** A bounded label value: a short name of letters, digits, `_` and `-`. */
function componentOption(value: string | undefined): string {
  if (value === undefined) return CLIENT_DEFAULTS.component;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new ConfigError(`Option component must be 1 to 64 letters, digits, _ or -, got ${JSON.stringify(value)}`, { context: { option: 'component' } });
  }
  return value;
}

/** `redis://user:secret@host` -> `redis://user:***@host`. Safe on malformed input. */
export function redactUrl(url: string): string {
  // Everything up to the last `@` is user info, even in a malformed URL (a `/` in the password).
  return url.replace(/^([a-z][\w+.-]*:\/\/)(.*)@/i, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon === -1 ? userinfo : `${userinfo.slice(0, colon)}:***`}@`;
  });
}


/** The options of a copy of a client (`RedisClient.duplicate`): the same settings, with its own logger and deadline. */
export function copyOptions(
  o: ResolvedClientOptions,
  own: { logger: Logger; commandTimeoutMs: number | undefined; component?: string | undefined },
): RedisClientOptions {
  const { username, password, cluster, sentinel, ...rest } = o;
  const out: RedisClientOptions = {
    ...rest,
    commandTimeoutMs: own.commandTimeoutMs ?? rest.commandTimeoutMs,
    logger: own.logger,
    component: own.component ?? rest.component,
  };
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  if (cluster) out.cluster = cluster;
  if (sentinel) out.sentinel = sentinel;
  return out;
}
