import { execFile } from 'node:child_process';
import { startRedisServer } from './redis-server.js';
import type { RedisServerHandle } from './redis-server.js';
import { parseInfo } from './resp.js';
import { waitFor } from './wait-for.js';

/** Options for {@link startCluster}. */
export interface ClusterOptions {
  /** `--cluster-node-timeout` in ms; small so failover is quick. @default 2000 */
  nodeTimeoutMs?: number;
  /** How long to wait for `cluster_state:ok` and linked replicas. @default 60000 */
  readyTimeoutMs?: number;
  /** Extra `redis-server` arguments for every node. */
  args?: readonly string[];
}

/** Result of {@link ClusterHandle.killMaster}. */
export interface FailoverResult {
  /** The master that was SIGKILLed (its dir is kept: `killed.restart()` rejoins it as a replica). */
  killed: RedisServerHandle;
  /** The former replica now serving the killed master's slots. */
  promoted: RedisServerHandle;
}

/** A 6-node Redis Cluster (3 masters, 3 replicas) on loopback. */
export interface ClusterHandle {
  /** All six nodes in start order, dead ones included. */
  readonly nodes: readonly RedisServerHandle[];
  /** Seed list in node-redis `createCluster({ rootNodes })` shape. */
  readonly rootNodes: readonly { url: string }[];
  /** Nodes currently answering ROLE with `master`. */
  masters(): Promise<RedisServerHandle[]>;
  /** Nodes currently answering ROLE with `slave`. */
  replicas(): Promise<RedisServerHandle[]>;
  /**
   * SIGKILLs the `index`-th current master and waits until one of its replicas is promoted and
   * every live node reports `cluster_state:ok` again.
   */
  killMaster(index?: number): Promise<FailoverResult>;
  /** Waits until every live node reports `cluster_state:ok` and every live replica's link is up. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes their dirs. */
  stop(): Promise<void>;
}

async function roleOf(node: RedisServerHandle): Promise<string | undefined> {
  try {
    const reply = await node.command('ROLE');
    return Array.isArray(reply) ? String(reply[0]) : undefined;
  } catch {
    return undefined;
  }
}

async function nodesWithRole(nodes: readonly RedisServerHandle[], role: string): Promise<RedisServerHandle[]> {
  const roles = await Promise.all(nodes.map(roleOf));
  return nodes.filter((_, i) => roles[i] === role);
}

/** True when every answering node is in `cluster_state:ok` and every replica is linked. */
async function isHealthy(nodes: readonly RedisServerHandle[]): Promise<boolean> {
  let answering = 0;
  for (const node of nodes) {
    const role = await roleOf(node);
    if (role === undefined) continue;
    answering += 1;
    const cluster = parseInfo(await node.command('CLUSTER', 'INFO'));
    if (cluster['cluster_state'] !== 'ok') return false;
    if (role === 'slave') {
      const replication = parseInfo(await node.command('INFO', 'replication'));
      if (replication['master_link_status'] !== 'up') return false;
    }
  }
  return answering > 0;
}

function runCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', [...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`redis-cli ${args.join(' ')} failed: ${stderr || err.message}\n${stdout}`));
      else resolve(stdout);
    });
  });
}

/**
 * Starts six cluster-enabled servers (ports <= 55535 with port + 10000 free for the bus),
 * joins them with `redis-cli --cluster create --cluster-replicas 1` and waits until the
 * cluster is healthy.
 *
 * @example
 * const cluster = await startCluster();
 * const client = createCluster({ rootNodes: [...cluster.rootNodes] });
 */
export async function startCluster(options: ClusterOptions = {}): Promise<ClusterHandle> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const nodeArgs = [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2000),
    // Always let a replica take over, however long its link was down.
    '--cluster-replica-validity-factor', '0',
    ...(options.args ?? []),
  ];
  const taken = new Set<number>();
  const nodes: RedisServerHandle[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const node = await startRedisServer({
        args: nodeArgs,
        portSearch: { max: 55_535, companions: (p) => [p + 10_000], exclude: taken },
      });
      taken.add(node.port).add(node.port + 10_000);
      nodes.push(node);
    }
    const addresses = nodes.map((n) => `${n.host}:${n.port}`);
    await runCli(['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes']);
    await waitFor(() => isHealthy(nodes), { timeoutMs: readyTimeoutMs, intervalMs: 200, description: 'cluster healthy' });
    await waitFor(async () => (await nodesWithRole(nodes, 'slave')).length === 3, {
      timeoutMs: readyTimeoutMs,
      description: 'three replicas',
    });
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }

  const handle: ClusterHandle = {
    nodes,
    rootNodes: nodes.map((n) => ({ url: n.url })),
    masters: () => nodesWithRole(nodes, 'master'),
    replicas: () => nodesWithRole(nodes, 'slave'),
    async waitHealthy(timeoutMs = readyTimeoutMs) {
      await waitFor(() => isHealthy(nodes), { timeoutMs, intervalMs: 200, description: 'cluster healthy' });
    },
    async killMaster(index = 0) {
      const masters = await handle.masters();
      const killed = masters[index];
      if (!killed) throw new Error(`killMaster(${index}): only ${masters.length} masters are up`);
      const replicas = await handle.replicas();
      const infos = await Promise.all(replicas.map((r) => r.command('INFO', 'replication')));
      const own = replicas.filter((_, i) => parseInfo(infos[i] ?? '')['master_port'] === String(killed.port));
      if (own.length === 0) throw new Error(`killMaster(${index}): master ${killed.port} has no replica`);
      await killed.kill();
      const promoted = await waitFor(async () => (await nodesWithRole(own, 'master'))[0], {
        timeoutMs: readyTimeoutMs,
        intervalMs: 200,
        description: `a replica of ${killed.port} promoted`,
      });
      await handle.waitHealthy();
      return { killed, promoted };
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
  return handle;
}
