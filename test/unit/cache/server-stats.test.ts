import { afterEach, describe, expect, it, vi } from 'vitest';
import { readServerStats } from '../../../src/cache/server-stats.js';
import { testContext, type TestContext } from '../../harness/cache/context.js';

describe('readServerStats', () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx?.client.close();
    ctx = undefined;
  });

  it('reads the four INFO fields as numbers; a field INFO lacks is 0', async () => {
    ctx = await testContext();
    vi.spyOn(ctx.client, 'info').mockResolvedValue({ keyspace_hits: '12', keyspace_misses: '3', used_memory: '1048576', redis_version: '7.2.0' });
    expect(await readServerStats(ctx)).toEqual({ keyspaceHits: 12, keyspaceMisses: 3, usedMemory: 1_048_576, connectedClients: 0 });
  });

  it('gives numbers from the embedded server too', async () => {
    ctx = await testContext();
    const stats = await readServerStats(ctx);
    expect(stats).not.toBeNull();
    for (const v of Object.values(stats as object)) expect(Number.isFinite(v)).toBe(true);
  });

  it('a Redis error gives null, one counted error and a warning', async () => {
    ctx = await testContext();
    await ctx.client.close();
    expect(await readServerStats(ctx)).toBeNull();
    expect(ctx.counters.errors).toBe(1);
    expect(ctx.log.records.map((r) => r.msg)).toEqual(['INFO failed']);
  });
});
