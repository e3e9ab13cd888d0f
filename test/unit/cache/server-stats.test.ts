import { afterEach, describe, expect, it, vi } from 'vitest';
import { readPythonStats, readServerStats } from '../../../src/cache/server-stats.js';
import { testContext, type TestContext } from '../../harness/cache/context.js';

describe('readServerStats', () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx?.client.close();
    ctx = undefined;
  });

  it('reads the four INFO fields as numbers, and Python get_stats() under its names; a field INFO lacks is 0 ("unknown" for used_memory)', async () => {
    ctx = await testContext();
    vi.spyOn(ctx.client, 'info').mockResolvedValue({ keyspace_hits: '12', keyspace_misses: '3', used_memory: '1048576', redis_version: '7.2.0' });
    expect(await readServerStats(ctx)).toEqual({
      keyspaceHits: 12,
      keyspaceMisses: 3,
      usedMemory: 1_048_576,
      connectedClients: 0,
      python: { keyspace_hits: 12, keyspace_misses: 3, used_memory: 'unknown', connected_clients: 0 },
    });
  });

  it('python.used_memory is the used_memory_human text, as Python reports it', async () => {
    ctx = await testContext();
    const info = { keyspace_hits: '0', keyspace_misses: '7', used_memory: '1101824', used_memory_human: '1.05M', connected_clients: '4' };
    vi.spyOn(ctx.client, 'info').mockResolvedValue(info);
    const expected = { keyspace_hits: 0, keyspace_misses: 7, used_memory: '1.05M', connected_clients: 4 };
    expect((await readServerStats(ctx))?.python).toEqual(expected);
    expect(await readPythonStats(ctx)).toEqual(expected);
    // Key order as Python's dict literal writes it, so a JSON dump of either reads the same.
    expect(Object.keys(await readPythonStats(ctx))).toEqual(['keyspace_hits', 'keyspace_misses', 'used_memory', 'connected_clients']);
  });

  it('gives numbers from the embedded server too', async () => {
    ctx = await testContext();
    const stats = await readServerStats(ctx);
    expect(stats).not.toBeNull();
    const { python, ...numbers } = stats as NonNullable<typeof stats>;
    for (const v of Object.values(numbers)) expect(Number.isFinite(v)).toBe(true);
    expect(typeof python.used_memory).toBe('string');
    for (const v of [python.keyspace_hits, python.keyspace_misses, python.connected_clients]) expect(Number.isFinite(v)).toBe(true);
  });

  it('a Redis error gives null, one counted error and a warning', async () => {
    ctx = await testContext();
    await ctx.client.close();
    expect(await readServerStats(ctx)).toBeNull();
    expect(ctx.counters.errors).toBe(1);
    expect(ctx.log.records.map((r) => r.msg)).toEqual(['INFO failed']);
  });

  it('readPythonStats: a Redis error gives {} as Python does, counted and logged', async () => {
    ctx = await testContext();
    await ctx.client.close();
    const stats = await readPythonStats(ctx);
    expect(stats).toEqual({});
    expect(Object.keys(stats)).toHaveLength(0);
    expect(ctx.counters.errors).toBe(1);
    expect(ctx.log.records.map((r) => r.msg)).toEqual(['INFO failed']);
  });
});
