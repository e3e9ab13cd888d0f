/**
 * Fault injection on a standalone server under a mixed load of about 1,000 ops/s: SIGKILL and
 * restart, SIGSTOP for 5 s, and a link blackholed for 5 s. Every call must settle within its
 * deadline, nothing may reject unhandled, and the load must recover; the figures are printed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient } from '../../../src/index.js';
import { keygen, startFaultProxy, useRedisServer, waitFor, type FaultProxyHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { symbols, vectorFor } from '../../harness/deploy/fixtures.js';
import { countUnhandledRejections, describeReport, startLoad, watchEventLoop, type LoadReport, type LoadRun } from '../../harness/faults/load.js';

expectNoUnhandledRejections();

const COMMAND_TIMEOUT_MS = 1000;
/** Correctness slack on top of the deadline: a call must settle, not hang. */
const SLACK_MS = 1000;
const DATE = '2025-01-17';
const SYMBOLS = symbols(100);

let unhandled: ReturnType<typeof countUnhandledRejections>;
beforeAll(() => {
  unhandled = countUnhandledRejections();
});
afterAll(() => {
  expect(unhandled.uninstall()).toBe(0);
});

/** A client with the suite's deadline and a cache whose 100 vectors are stored. */
async function connectWithData(url: string): Promise<{ client: RedisClient; cache: FeatureCache }> {
  const client = await RedisClient.connect({ url, commandTimeoutMs: COMMAND_TIMEOUT_MS, reconnect: { baseDelayMs: 50, maxDelayMs: 500 } });
  const cache = new FeatureCache(client, { prefix: keygen('faults').prefix, ttl: 3600 });
  expect(await cache.setMany(DATE, SYMBOLS.map((s, i) => [s, vectorFor(i)] as const))).toBe(true);
  return { client, cache };
}

/** Waits until `load` has issued `more` calls beyond what it had issued when called. */
async function runFor(load: LoadRun, more: number): Promise<void> {
  const target = load.issued + more;
  await waitFor(() => load.issued >= target, { timeoutMs: more + 10_000, intervalMs: 20, description: `${more} more calls issued` });
}

/** The common assertions: deadline bound, the fault was felt, the tail of the run is healthy. */
function expectSettledAndRecovered(load: LoadRun, report: LoadReport, maxLoopDelayMs: number): void {
  expect(report.maxMs).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + SLACK_MS + maxLoopDelayMs);
  expect(report.failed).toBeGreaterThan(0);
  const tail = [...load.records].sort((a, b) => a.startedAt - b.startedAt).slice(-500);
  expect(tail.filter((r) => !r.ok)).toEqual([]);
}

describe('SIGKILL and restart of redis-server under load', () => {
  const redis = useRedisServer({ appendonly: true, appendfsync: 'everysec' });

  it('no crash, no unhandled rejection, every call within its deadline, cache hits again after the restart', async () => {
    const { client, cache } = await connectWithData(redis.url);
    try {
      const loop = watchEventLoop();
      const load = startLoad({ cache, client, symbols: SYMBOLS, date: DATE, channel: keygen('ch').prefix });
      await runFor(load, 4000);
      const killedAt = performance.now();
      await redis.server.kill();
      await runFor(load, 2000);
      await redis.server.restart();
      const restartedAt = performance.now();
      const firstHit = await waitFor(() => load.firstOkSince(restartedAt, 'get'), { timeoutMs: 15_000, description: 'a cache hit after restart' });
      await waitFor(() => load.issued >= 20_000, { timeoutMs: 30_000, intervalMs: 50, description: '20,000 calls issued' });
      const report = await load.stop();
      const maxLoopDelayMs = loop.stop();
      console.log(describeReport('SIGKILL+restart', report, {
        downMs: restartedAt - killedAt,
        restartToFirstHitMs: firstHit.startedAt + firstHit.ms - restartedAt,
        maxEventLoopDelayMs: maxLoopDelayMs,
        unhandled: unhandled.count,
      }));
      expectSettledAndRecovered(load, report, maxLoopDelayMs);
      expect(unhandled.count).toBe(0);
    } finally {
      await client.close();
    }
  });
});

describe('a frozen server (SIGSTOP 5 s) under load', () => {
  const redis = useRedisServer();
  afterEach(() => redis.server.thaw());

  it('calls settle within the deadline while frozen and succeed again after SIGCONT', async () => {
    const { client, cache } = await connectWithData(redis.url);
    try {
      const loop = watchEventLoop();
      const load = startLoad({ cache, client, symbols: SYMBOLS, date: DATE, channel: keygen('ch').prefix });
      await runFor(load, 2000);
      redis.server.freeze();
      await runFor(load, 5000);
      redis.server.thaw();
      const thawedAt = performance.now();
      const first = await waitFor(() => load.firstOkSince(thawedAt), { timeoutMs: 15_000, description: 'a call succeeding after SIGCONT' });
      const allOk = await waitFor(() => firstAllOkSecond(load, thawedAt), { timeoutMs: 20_000, description: 'a fully healthy second' });
      await runFor(load, 1000);
      const report = await load.stop();
      const maxLoopDelayMs = loop.stop();
      console.log(describeReport('SIGSTOP 5 s', report, {
        thawToFirstOkMs: first.startedAt + first.ms - thawedAt,
        thawToHealthyMs: allOk - thawedAt,
        maxEventLoopDelayMs: maxLoopDelayMs,
      }));
      expectSettledAndRecovered(load, report, maxLoopDelayMs);
    } finally {
      await client.close();
    }
  });
});

describe('a blackholed link (5 s) under load', () => {
  const redis = useRedisServer();
  let proxy: FaultProxyHandle;
  beforeAll(async () => {
    proxy = await startFaultProxy({ targetPort: redis.server.port });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('calls settle within the deadline while blackholed and succeed again once the link passes', async () => {
    const { client, cache } = await connectWithData(proxy.url);
    try {
      const loop = watchEventLoop();
      const load = startLoad({ cache, client, symbols: SYMBOLS, date: DATE, channel: keygen('ch').prefix });
      await runFor(load, 2000);
      await proxy.setMode('blackhole');
      await runFor(load, 5000);
      await proxy.setMode('pass');
      const healedAt = performance.now();
      const first = await waitFor(() => load.firstOkSince(healedAt), { timeoutMs: 15_000, description: 'a call succeeding after the link heals' });
      const allOk = await waitFor(() => firstAllOkSecond(load, healedAt), { timeoutMs: 20_000, description: 'a fully healthy second' });
      await runFor(load, 1000);
      const report = await load.stop();
      const maxLoopDelayMs = loop.stop();
      console.log(describeReport('blackhole 5 s', report, {
        healToFirstOkMs: first.startedAt + first.ms - healedAt,
        healToHealthyMs: allOk - healedAt,
        maxEventLoopDelayMs: maxLoopDelayMs,
      }));
      expectSettledAndRecovered(load, report, maxLoopDelayMs);
    } finally {
      await client.close();
    }
  });
});

/**
 * The start of the first one-second window after `since` in which every settled call
 * succeeded (at least 500 of them), or undefined when there is none yet.
 */
function firstAllOkSecond(load: LoadRun, since: number): number | undefined {
  const after = load.records.filter((r) => r.startedAt >= since).sort((a, b) => a.startedAt - b.startedAt);
  for (let i = 0; i < after.length; i++) {
    const start = (after[i] as { startedAt: number }).startedAt;
    let count = 0;
    let j = i;
    for (; j < after.length && (after[j] as { startedAt: number }).startedAt < start + 1000; j++) {
      if (!(after[j] as { ok: boolean }).ok) break;
      count++;
    }
    if (count >= 500 && (j >= after.length || (after[j] as { startedAt: number }).startedAt >= start + 1000)) return start;
  }
  return undefined;
}
