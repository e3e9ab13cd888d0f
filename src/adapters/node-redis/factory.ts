/** Builds node-redis clients, clusters and sentinels from the SDK's options, with its failure-model settings on every connection. */
import { isIP } from 'node:net';
import { createClient, createCluster, createSentinel } from 'redis';
import type { BackendFactory, ConnectionOverrides, ReconnectPolicy } from '../../client/backend.js';
import { describeEndpoint } from '../../client/endpoint.js';
import type { ResolvedClientOptions } from '../../client/options.js';
import { ConfigError } from '../../internal/errors.js';
import { NodeRedisBackend, type NodeRedisFactory } from './backend.js';
import type { NodeRedisTarget } from './commands.js';
import { trackingClientOptions } from './tracking.js';

const NO_COMMAND_TIMEOUT = Object.freeze({ timeout: 0 });

/**
 * TLS socket options. The certificate is checked against the host name connected to (an IP
 * address is checked against the certificate's IP entries, and is never sent as SNI). `host` is
 * undefined for cluster and sentinel defaults: each node then uses its own address.
 */
function tlsSocketOptions(o: ResolvedClientOptions, host: string | undefined): Record<string, unknown> {
  if (!o.tls) return {};
  const base: Record<string, unknown> = { tls: true };
  if (typeof o.tls === 'object') Object.assign(base, o.tls);
  if (base.servername === undefined && host !== undefined && isIP(host) === 0) base.servername = host;
  return base;
}

function socketOptions(o: ResolvedClientOptions, policy: ReconnectPolicy, d: ConnectionOverrides, host: string | undefined): Record<string, unknown> {
  return {
    connectTimeout: o.connectTimeoutMs,
    socketTimeout: d.socketTimeoutMs ?? o.socketTimeoutMs,
    keepAlive: true,
    noDelay: true,
    reconnectStrategy: policy,
    ...tlsSocketOptions(o, host),
  };
}

function commonOptions(o: ResolvedClientOptions, d: ConnectionOverrides): Record<string, unknown> {
  const common: Record<string, unknown> = {
    name: o.name,
    // Fail fast while disconnected: bounded memory, and no command ever runs after a failed
    // re-authentication as a different user.
    disableOfflineQueue: true,
    commandsQueueMaxLength: o.maxPendingCommands,
    // The SDK enforces its own deadline on every call (CommandRunner); node-redis's default
    // 5 s timeout would only add an AbortSignal timer per command.
    commandOptions: NO_COMMAND_TIMEOUT,
  };
  if (d.ping !== false) common.pingInterval = o.pingIntervalMs;
  if (o.username !== undefined) common.username = o.username;
  if (o.password !== undefined) common.password = o.password;
  return common;
}

/**
 * The backend factory of a `RedisClient` made from options: the node-redis adapter for a
 * standalone server, a cluster or a sentinel, each connection reconnecting by its own client's
 * policy.
 */
export function nodeRedisBackendFactory(o: ResolvedClientOptions): BackendFactory {
  const kind = o.cluster ? 'cluster' : o.sentinel ? 'sentinel' : 'standalone';
  const factory = nodeRedisFactory(o);
  const endpoint = describeEndpoint(o);
  return (policy) => new NodeRedisBackend(kind, { factory, policy }, { tls: Boolean(o.tls), endpoint });
}

/**
 * Builds the node-redis factory for resolved options: a standalone client, a cluster or a
 * sentinel, with the SDK's failure-model settings applied to every connection.
 */
export function nodeRedisFactory(o: ResolvedClientOptions): NodeRedisFactory {
  return (d: ConnectionOverrides, policy: ReconnectPolicy): NodeRedisTarget => {
    const socket = socketOptions(o, policy, d, o.cluster || o.sentinel ? undefined : o.host);
    const common = commonOptions(o, d);
    if (d.tracking && (o.cluster || o.sentinel)) {
      throw new ConfigError('Invalidation tracking (the local tier) needs a standalone Redis', { context: { option: 'local' } });
    }
    if (o.cluster) {
      const cluster = createCluster({
        rootNodes: o.cluster.rootNodes.map((n) => ({ socket: { host: n.host, port: n.port, ...socketOptions(o, policy, d, n.host) } })),
        defaults: { ...common, socket },
        useReplicas: o.cluster.useReplicas ?? false,
        commandOptions: NO_COMMAND_TIMEOUT,
      });
      return cluster as unknown as NodeRedisTarget;
    }
    if (o.sentinel) {
      const sentinel = createSentinel({
        name: o.sentinel.name,
        sentinelRootNodes: o.sentinel.sentinels.map((n) => ({ host: n.host, port: n.port })),
        nodeClientOptions: { ...common, socket },
        sentinelClientOptions: { socket: { connectTimeout: o.connectTimeoutMs, reconnectStrategy: policy } },
        commandOptions: NO_COMMAND_TIMEOUT,
      });
      return sentinel as unknown as NodeRedisTarget;
    }
    if (d.tracking) Object.assign(common, trackingClientOptions(d.tracking));
    const client = createClient({
      ...common,
      database: o.db,
      socket: { host: o.host, port: o.port, ...socket },
    });
    return client as unknown as NodeRedisTarget;
  };
}
