import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../harness/cluster.js';
import type { ClusterHandle } from '../../harness/cluster.js';
import { parseInfo } from '../../harness/resp.js';
import { waitFor } from '../../harness/wait-for.js';

let cluster: ClusterHandle;

beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('startCluster', () => {
  it('builds 6 nodes on ports <= 55535, 3 masters and 3 linked replicas, all slots served', async () => {
    expect(cluster.nodes).toHaveLength(6);
    for (const node of cluster.nodes) {
      expect(node.port).toBeLessThanOrEqual(55_535);
      expect(node.port).not.toBe(6379);
      const info = parseInfo(await node.command('CLUSTER', 'INFO'));
      expect(info['cluster_state']).toBe('ok');
      expect(info['cluster_slots_assigned']).toBe('16384');
      expect(info['cluster_known_nodes']).toBe('6');
    }
    const masters = await cluster.masters();
    const replicas = await cluster.replicas();
    expect(masters).toHaveLength(3);
    expect(replicas).toHaveLength(3);
    const masterPorts = masters.map((m) => String(m.port));
    for (const replica of replicas) {
      const info = parseInfo(await replica.command('INFO', 'replication'));
      expect(info['master_link_status']).toBe('up');
      expect(masterPorts).toContain(info['master_port']);
    }
    expect(cluster.rootNodes).toEqual(cluster.nodes.map((n) => ({ url: `redis://127.0.0.1:${n.port}` })));
  });

  it('serves keys across slots through a node-redis cluster client seeded with rootNodes', async () => {
    const client = createCluster({ rootNodes: [...cluster.rootNodes] });
    await client.connect();
    try {
      const keys = ['{a}k', '{b}k', '{c}k', '{d}k', '{e}k'];
      for (const key of keys) await client.set(key, key.toUpperCase());
      for (const key of keys) expect(await client.get(key)).toBe(key.toUpperCase());
    } finally {
      client.destroy();
    }
  });

  it('fails over when a master is SIGKILLed and takes the old master back as a replica', async () => {
    const { killed, promoted } = await cluster.killMaster(0);
    expect(promoted.port).not.toBe(killed.port);
    const masters = await cluster.masters();
    expect(masters.map((m) => m.port)).toContain(promoted.port);
    expect(masters.map((m) => m.port)).not.toContain(killed.port);
    expect(masters).toHaveLength(3);

    await killed.restart();
    await waitFor(async () => (await cluster.replicas()).includes(killed), {
      timeoutMs: 30_000,
      description: 'restarted node rejoined as a replica',
    });
    await cluster.waitHealthy();
    const info = parseInfo(await killed.command('INFO', 'replication'));
    expect(info['master_port']).toBe(String(promoted.port));
  });
});
