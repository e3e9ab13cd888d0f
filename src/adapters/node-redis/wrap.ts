/** Wraps a node-redis client, cluster or sentinel that the user made: recognises it and describes where it connects. */
import type { BackendFactory } from '../../client/backend.js';
import { describeCluster, describeServer } from '../../client/endpoint.js';
import type { NodeAddress } from '../../client/options.js';
import { ConfigError } from '../../internal/errors.js';
import { NodeRedisBackend } from './backend.js';
import type { NodeRedisClientLike, NodeRedisClusterLike, NodeRedisTarget } from './commands.js';

/**
 * The backend factory of `RedisClient.fromNodeRedis(client)`: the user's object itself (the
 * user owns it and its reconnect strategy), its endpoint described from its own options.
 * @throws ConfigError when `client` is not a node-redis client, cluster or sentinel.
 */
export function wrapNodeRedis(client: unknown, tls = false): BackendFactory {
  if (!looksLikeNodeRedis(client)) {
    throw new ConfigError('fromNodeRedis needs a node-redis client, cluster or sentinel (from createClient, createCluster or createSentinel)');
  }
  const target = client as NodeRedisTarget;
  if ('masters' in target) {
    const endpoint = clusterEndpoint(target);
    return () => new NodeRedisBackend('cluster', target, { tls: tls || clusterUsesTls(target), endpoint });
  }
  if (typeof target.getMasterNode === 'function') {
    return () => new NodeRedisBackend('sentinel', target, { tls, endpoint: () => sentinelEndpoint(target) });
  }
  const endpoint = clientEndpoint(target);
  return () => new NodeRedisBackend('standalone', target, { tls: tls || endpoint.startsWith('rediss:'), endpoint });
}

function looksLikeNodeRedis(client: unknown): boolean {
  return (
    typeof client === 'object' &&
    client !== null &&
    ['connect', 'get', 'on', 'duplicate'].every((m) => typeof (client as Record<string, unknown>)[m] === 'function') &&
    'isOpen' in client
  );
}

/** A standalone client's server, from the options node-redis resolved (a `url` included). */
function clientEndpoint(client: NodeRedisClientLike): string {
  const o = client.options ?? {};
  const socket = o.socket ?? {};
  if (socket.path !== undefined) return `redis+unix://${socket.path}${o.database ? `?db=${o.database}` : ''}`;
  return describeServer({
    host: socket.host ?? 'localhost',
    port: socket.port ?? 6379,
    tls: socket.tls === true,
    username: o.username,
    password: o.password,
    db: o.database,
  });
}

/** A cluster's root nodes, as given to `createCluster`. */
function clusterEndpoint(cluster: NodeRedisClusterLike): string {
  const nodes: NodeAddress[] = [];
  for (const node of cluster._options?.rootNodes ?? []) {
    const address = node.url === undefined ? node.socket : urlAddress(node.url);
    if (address?.host !== undefined) nodes.push({ host: address.host, port: address.port ?? 6379 });
  }
  return nodes.length === 0 ? 'cluster' : describeCluster(nodes);
}

/** Whether a cluster's nodes connect with TLS: `rediss://` root nodes, or TLS socket options. */
function clusterUsesTls(cluster: NodeRedisClusterLike): boolean {
  const o = cluster._options;
  if (o?.defaults?.socket?.tls === true) return true;
  return (o?.rootNodes ?? []).some((n) => n.url?.startsWith('rediss:') === true || n.socket?.tls === true);
}

/** A sentinel's current master, once known. */
function sentinelEndpoint(sentinel: NodeRedisClientLike): string {
  const master = sentinel.getMasterNode?.();
  return master === undefined ? 'sentinel' : `sentinel(master ${describeServer({ host: master.host, port: master.port }).slice('redis://'.length)})`;
}

function urlAddress(url: string): { host: string; port: number } | undefined {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port === '' ? 6379 : Number(parsed.port) };
  } catch {
    return undefined;
  }
}
