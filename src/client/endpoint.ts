/** How a client's endpoint is written in messages, `toString` and `toJSON`: never with a password. */
import type { NodeAddress, ResolvedClientOptions } from './options.js';

/** Where a standalone server is, as far as it is known. */
export interface ServerAddress {
  host: string;
  port: number;
  tls?: boolean;
  username?: string | undefined;
  /** Only whether there is one matters: it shows as `***`. */
  password?: string | undefined;
  db?: number | undefined;
}

/** `redis://user:***@host:port/db` (`rediss://` with TLS), IPv6 hosts in brackets. */
export function describeServer(a: ServerAddress): string {
  const scheme = a.tls ? 'rediss' : 'redis';
  const auth = a.username || a.password ? `${a.username ?? ''}${a.password ? ':***' : ''}@` : '';
  return `${scheme}://${auth}${hostPort(a)}${a.db ? `/${a.db}` : ''}`;
}

/** `cluster(host:port,host:port)`: the root nodes. */
export function describeCluster(rootNodes: readonly NodeAddress[]): string {
  return `cluster(${rootNodes.map(hostPort).join(',')})`;
}

/** `sentinel(name@host:port,...)`: the master name and the Sentinels asked for it. */
export function describeSentinel(name: string, sentinels: readonly NodeAddress[]): string {
  return `sentinel(${name}@${sentinels.map(hostPort).join(',')})`;
}

/** The endpoint of resolved client options. */
export function describeEndpoint(o: ResolvedClientOptions): string {
  if (o.cluster) return describeCluster(o.cluster.rootNodes);
  if (o.sentinel) return describeSentinel(o.sentinel.name, o.sentinel.sentinels);
  return describeServer({ host: o.host, port: o.port, tls: Boolean(o.tls), username: o.username, password: o.password, db: o.db });
}

function hostPort(n: NodeAddress): string {
  return `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`;
}
