/**
 * RedisClient and FeatureCache on a real 6-node Redis Cluster (3 masters, 3 replicas) from the
 * harness: batch reads and writes spread over many slots, invalidation on every master,
 * classic and sharded pub/sub, and streams.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient, type Features } from '../../../src/index.js';
import { keygen, startCluster, waitFor, type ClusterHandle, type RedisServerHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { nodeAddresses, symbols, vectorFor } from '../../harness/deploy/fixtures.js';

expectNoUnhandledRejections();

let cluster: ClusterHandle;
let client: RedisClient;

beforeAll(async () => {
  cluster = await startCluster();
  client = await RedisClient.connect({ cluster: { rootNodes: nodeAddresses(cluster.nodes) }, commandTimeoutMs: 3000 });
});

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

/** Keys under `pattern` on one node, through the node itself (not the SDK). */
async function keysOn(node: RedisServerHandle, pattern: string): Promise<string[]> {
  const out = await node.cli('--scan', '--pattern', pattern);
  return out === '' ? [] : out.split('\n');
}

describe('RedisClient with cluster', () => {
  it('connects through the root nodes and reports kind cluster', async () => {
    expect(client.kind).toBe('cluster');
    expect(client.isReady).toBe(true);
    expect(await client.healthCheck()).toBe(true);
  });

  it('FeatureCache setMany/getMany over 50 symbols spread across all three masters returns every value', async () => {
    const prefix = keygen('clu').prefix;
    const cache = new FeatureCache(client, { prefix, ttl: 600 });
    const syms = symbols(50);
    const date = '2025-01-17';
    const entries = new Map<string, Features>(syms.map((s, i) => [s, vectorFor(i)]));
    expect(await cache.setMany(date, entries)).toBe(true);

    // The keys really are spread: every master holds some of them.
    const masters = await cluster.masters();
    const perMaster = await Promise.all(masters.map((m) => keysOn(m, `${prefix}:*`)));
    expect(perMaster.map((k) => k.length > 0)).toEqual([true, true, true]);
    expect(perMaster.flat().sort()).toEqual(syms.map((s) => `${prefix}:${s}:${date}`).sort());

    const got = await cache.getMany([...syms, 'MISSING'], date);
    expect([...got.keys()]).toEqual([...syms, 'MISSING']);
    for (const [i, s] of syms.entries()) expect(got.get(s)).toEqual(vectorFor(i));
    expect(got.get('MISSING')).toBeNull();
    expect(await cache.get(syms[7] as string, date)).toEqual(vectorFor(7));
    expect(cache.stats().errors).toBe(0);
  });

  it('invalidateSymbol and invalidateDate delete matching keys on every master and nothing else', async () => {
    const prefix = keygen('clu').prefix;
    const cache = new FeatureCache(client, { prefix, ttl: 600 });
    const syms = symbols(30);
    const dates = ['2025-01-16', '2025-01-17'];
    for (const date of dates) {
      expect(await cache.setMany(date, syms.map((s, i) => [s, vectorFor(i)] as const))).toBe(true);
    }
    expect(await cache.invalidateDate('2025-01-16')).toBe(30);
    const left = (await Promise.all((await cluster.masters()).map((m) => keysOn(m, `${prefix}:*`)))).flat();
    expect(left).toHaveLength(30);
    expect(left.every((k) => k.endsWith(':2025-01-17'))).toBe(true);

    expect(await cache.invalidateSymbol(syms[3] as string)).toBe(1);
    expect(await cache.get(syms[3] as string, '2025-01-17')).toBeNull();
    expect(await cache.get(syms[4] as string, '2025-01-17')).toEqual(vectorFor(4));
  });

  it('UNLINK and DEL of keys in different slots delete them all (node-redis splits multi-slot commands)', async () => {
    const keys = keygen('clu');
    const names = symbols(20).map((s) => keys.key(s));
    await client.setMany(names.map((key) => ({ key, value: 'v', ttlSeconds: 600 })));
    expect(await client.mget(names)).toEqual(names.map(() => 'v'));
    expect(await client.unlink(names.slice(0, 10))).toBe(10);
    expect(await client.del(names.slice(10))).toBe(10);
    expect(await client.mget(names)).toEqual(names.map(() => null));
  });

  it('SCAN visits every master', async () => {
    const keys = keygen('clu');
    const names = symbols(40).map((s) => keys.key(s));
    await client.setMany(names.map((key) => ({ key, value: '1', ttlSeconds: 600 })));
    const seen: string[] = [];
    for await (const key of client.scan({ match: keys.pattern })) seen.push(key);
    expect(seen.sort()).toEqual([...names].sort());
  });

  it('classic pub/sub delivers across nodes; PUBLISH counts only receivers on the node it was sent to', async () => {
    const channel = keygen('chan').prefix;
    const sub = client.duplicate();
    await sub.connect();
    try {
      const received: string[] = [];
      await sub.subscribe([channel], (message) => received.push(message));
      // The subscriber sits on one node; the count reported by PUBLISH is that node's only.
      // Publish until the message arrives (subscription propagation is asynchronous).
      const counts: number[] = [];
      await waitFor(
        async () => {
          counts.push(await client.publish(channel, 'hello'));
          return received.length > 0;
        },
        { timeoutMs: 5000, description: 'cluster PUBLISH delivered' },
      );
      expect(received[0]).toBe('hello');
      expect(counts.every((c) => c === 0 || c === 1)).toBe(true);
    } finally {
      await sub.close();
    }
  });

  it('sharded pub/sub: SSUBSCRIBE on the slot owner receives SPUBLISH, which counts that receiver', async () => {
    const channel = `${keygen('schan').prefix}.signals`;
    const sub = client.duplicate();
    await sub.connect();
    try {
      const received: Array<[string, string]> = [];
      await sub.subscribe([channel], (message, ch) => received.push([message, ch]), { sharded: true });
      expect(await client.publish(channel, 'sharded-1', { sharded: true })).toBe(1);
      await waitFor(() => received.length === 1, { timeoutMs: 5000, description: 'SPUBLISH delivered' });
      expect(received).toEqual([['sharded-1', channel]]);
      await sub.unsubscribe([channel], { sharded: true });
      expect(await client.publish(channel, 'sharded-2', { sharded: true })).toBe(0);
    } finally {
      await sub.close();
    }
  });

  it('streams: XADD, consumer group read, ack and range on the slot owner', async () => {
    const stream = keygen('stream').key('events');
    const ids = [
      await client.streams.add(stream, { n: '1' }),
      await client.streams.add(stream, { n: '2' }),
    ];
    expect(await client.streams.length(stream)).toBe(2);
    expect(await client.streams.createGroup(stream, 'g', '0')).toBe(true);
    const batches = await client.streams.readGroup('g', 'c1', [{ key: stream, id: '>' }], { count: 10 });
    expect(batches.flatMap((b) => b.entries.map((e) => e.id))).toEqual(ids);
    expect(await client.streams.ack(stream, 'g', ids)).toBe(2);
    const range = await client.streams.range(stream, '-', '+', 10);
    expect(range.map((e) => e.fields['n'])).toEqual(['1', '2']);
  });
});
