/**
 * Fault injection on a 6-node Redis Cluster: a master is SIGKILLed during a mixed load of about
 * 1,000 ops/s. A replica takes over, the SDK follows the new topology, and every call settles
 * within its deadline; the counts and the recovery time are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient } from '../../../src/index.js';
import { keygen, startCluster, waitFor, type ClusterHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { nodeAddresses, symbols, vectorFor } from '../../harness/deploy/fixtures.js';
import { countUnhandledRejections, cpuMark, cpuMsPerSecond, describeReport, startLoad, watchEventLoop } from '../../harness/faults/load.js';

expectNoUnhandledRejections();

const COMMAND_TIMEOUT_MS = 1000;
const SLACK_MS = 1000;
const DATE = '2025-01-17';
const SYMBOLS = symbols(100);

let cluster: ClusterHandle;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('a cluster master killed under load', () => {
  it('fails over; the SDK recovers and every call settles within its deadline', { timeout: 120_000 }, async () => {
    const unhandled = countUnhandledRejections();
    const client = await RedisClient.connect({
      cluster: { rootNodes: nodeAddresses(cluster.nodes) },
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      reconnect: { baseDelayMs: 50, maxDelayMs: 500 },
    });
    try {
      const cache = new FeatureCache(client, { prefix: keygen('cfail').prefix, ttl: 3600 });
      expect(await cache.setMany(DATE, SYMBOLS.map((s, i) => [s, vectorFor(i)] as const))).toBe(true);
      // Replicas must hold the vectors before the kill, or they are lost with the master.
      await waitFor(async () => (await Promise.all((await cluster.replicas()).map((r) => r.cli('DBSIZE')))).reduce((a, b) => a + Number(b), 0) >= SYMBOLS.length, {
        timeoutMs: 10_000,
        description: 'vectors replicated',
      });
      const loop = watchEventLoop();
      const load = startLoad({ cache, client, symbols: SYMBOLS, date: DATE, channel: keygen('ch').prefix });
      const healthyCpu = cpuMark();
      await waitFor(() => load.issued >= 3000, { timeoutMs: 15_000, description: '3,000 calls before the kill' });
      const cpuHealthy = cpuMsPerSecond(healthyCpu);
      const killedAt = performance.now();
      const outageCpu = cpuMark();
      const { killed, promoted } = await cluster.killMaster(0);
      const failedOverAt = performance.now();
      const cpuOutage = cpuMsPerSecond(outageCpu);
      // Recovered: a full getMany of every symbol, through the SDK, answered with hits only.
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
      console.log(describeReport('cluster master SIGKILL', report, {
        killedPort: killed.port,
        promotedPort: promoted.port,
        killToFailoverMs: failedOverAt - killedAt,
        killToSdkRecoveredMs: recoveredAt - killedAt,
        cpuMsPerSecHealthy: cpuHealthy,
        cpuMsPerSecMasterDown: cpuOutage,
        killToLastFailedCallMs: (load.lastFailureAt() ?? killedAt) - killedAt,
        maxEventLoopDelayMs: maxLoopDelayMs,
        unhandled: unhandled.count,
      }));
      expect(report.maxMs).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + SLACK_MS + maxLoopDelayMs);
      expect(report.failed).toBeGreaterThan(0);
      const afterRecovery = load.records.filter((r) => r.startedAt >= recoveredAt);
      expect(afterRecovery.length).toBeGreaterThan(2000);
      expect(afterRecovery.filter((r) => !r.ok)).toEqual([]);
      expect(unhandled.uninstall()).toBe(0);
    } finally {
      unhandled.uninstall();
      await client.close();
    }
  });
});
