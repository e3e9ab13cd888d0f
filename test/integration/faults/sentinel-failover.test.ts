/**
 * Fault injection through Sentinel: the master is SIGKILLed under a mixed load of about 1,000
 * ops/s, the Sentinels promote the replica, and the SDK follows it; every call settles within
 * its deadline. The counts and recovery time are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient } from '../../../src/index.js';
import { keygen, startSentinel, waitFor, type SentinelHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { symbols, vectorFor } from '../../harness/deploy/fixtures.js';
import { countUnhandledRejections, describeReport, startLoad, watchEventLoop } from '../../harness/faults/load.js';

expectNoUnhandledRejections();

const COMMAND_TIMEOUT_MS = 1000;
const SLACK_MS = 1000;
const DATE = '2025-01-17';
const SYMBOLS = symbols(100);

let set: SentinelHandle;
beforeAll(async () => {
  set = await startSentinel();
});
afterAll(async () => {
  await set?.stop();
});

describe('a Sentinel failover under load', () => {
  it('the SDK follows the promoted replica; every call settles within its deadline', { timeout: 120_000 }, async () => {
    const unhandled = countUnhandledRejections();
    const client = await RedisClient.connect({
      sentinel: { name: set.name, sentinels: [...set.sentinels] },
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      reconnect: { baseDelayMs: 50, maxDelayMs: 500 },
    });
    try {
      const cache = new FeatureCache(client, { prefix: keygen('sfail').prefix, ttl: 3600 });
      expect(await cache.setMany(DATE, SYMBOLS.map((s, i) => [s, vectorFor(i)] as const))).toBe(true);
      const oldMaster = set.master;
      await waitFor(async () => Number(await set.replica.cli('DBSIZE')) >= SYMBOLS.length, { timeoutMs: 10_000, description: 'vectors replicated' });
      const loop = watchEventLoop();
      const load = startLoad({ cache, client, symbols: SYMBOLS, date: DATE, channel: keygen('ch').prefix });
      await waitFor(() => load.issued >= 3000, { timeoutMs: 15_000, description: '3,000 calls before the kill' });
      const killedAt = performance.now();
      const { master } = await set.failover('kill');
      const failedOverAt = performance.now();
      expect(master.port).not.toBe(oldMaster.port);
      await waitFor(async () => [...(await cache.getMany(SYMBOLS, DATE)).values()].every((v) => v !== null), {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: 'every vector readable after failover',
      });
      const recoveredAt = performance.now();
      const target = load.issued + 3000;
      await waitFor(() => load.issued >= target, { timeoutMs: 15_000, description: '3,000 calls after recovery' });
      const report = await load.stop();
      const maxLoopDelayMs = loop.stop();
      const firstOk = load.firstOkSince(failedOverAt);
      console.log(describeReport('sentinel master SIGKILL', report, {
        oldMasterPort: oldMaster.port,
        newMasterPort: master.port,
        killToSentinelsAgreeMs: failedOverAt - killedAt,
        killToSdkRecoveredMs: recoveredAt - killedAt,
        killToLastFailedCallMs: (load.lastFailureAt() ?? killedAt) - killedAt,
        maxEventLoopDelayMs: maxLoopDelayMs,
        unhandled: unhandled.count,
      }));
      expect(firstOk).toBeDefined();
      expect(report.maxMs).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + SLACK_MS + maxLoopDelayMs);
      expect(report.failed).toBeGreaterThan(0);
      const afterRecovery = load.records.filter((r) => r.startedAt >= recoveredAt);
      expect(afterRecovery.length).toBeGreaterThan(2000);
      expect(afterRecovery.filter((r) => !r.ok)).toEqual([]);
      // The writes of the run landed on the new master.
      expect(Number(await master.cli('DBSIZE'))).toBeGreaterThanOrEqual(SYMBOLS.length);
      expect(unhandled.uninstall()).toBe(0);
    } finally {
      unhandled.uninstall();
      await client.close();
    }
  });
});
