/**
 * A steady mixed load for the fault-injection suite: FeatureCache `get`, `getMany`, `set` and
 * `publish` at a fixed rate, every call timed and classified, so each scenario can assert that
 * calls settle within their deadline and print what happened.
 *
 * The suite, in `test/integration/faults/`: `standalone.test.ts` (SIGKILL + restart under load,
 * SIGSTOP, blackholed link), `cluster-failover.test.ts`, `sentinel-failover.test.ts`. TLS
 * rejections, ACL NOPERM and password rotation live in `test/integration/deploy/tls.test.ts`
 * and `acl.test.ts`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FeatureCache, RedisClient } from '../../../src/index.js';

/** The operations of the mix, in the order they are issued. */
export const OPS = ['get', 'getMany', 'set', 'publish'] as const;
/** One operation of the mix. */
export type Op = (typeof OPS)[number];

/** What a call ended with: a hit / a written value / a published message, or not. */
export interface CallRecord {
  op: Op;
  startedAt: number;
  ms: number;
  ok: boolean;
}

/** Figures of a finished run. */
export interface LoadReport {
  issued: number;
  ok: number;
  failed: number;
  maxMs: number;
  perOp: Record<Op, { ok: number; failed: number }>;
  opsPerSecond: number;
}

/** Options of {@link startLoad}. */
export interface LoadOptions {
  cache: FeatureCache;
  client: RedisClient;
  /** Symbols whose vectors were stored for `date` before the run. */
  symbols: readonly string[];
  date: string;
  channel: string;
  /** Operations per second. @default 1000 */
  rate?: number;
}

/** A running load; {@link stop} waits for every issued call to settle. */
export interface LoadRun {
  readonly records: readonly CallRecord[];
  /** Calls issued so far (settled or not). */
  readonly issued: number;
  /** When the last failed call settled (performance.now()), or undefined without failures. */
  lastFailureAt(): number | undefined;
  /** The first successful call of `op` that started at or after `since` (performance.now()). */
  firstOkSince(since: number, op?: Op): CallRecord | undefined;
  stop(): Promise<LoadReport>;
}

const TICK_MS = 10;

/**
 * Starts issuing the mix at `rate` ops/s (a batch every 10 ms, catching up on timer drift).
 * `get`/`getMany` count as ok only on hits (all keys exist), `set` when it reports `true`,
 * `publish` when it resolves. Failures are fail-open results or typed rejections.
 */
export function startLoad(options: LoadOptions): LoadRun {
  const { cache, client, symbols, date, channel } = options;
  const rate = options.rate ?? 1000;
  const records: CallRecord[] = [];
  const pending = new Set<Promise<void>>();
  const startedAt = performance.now();
  let issued = 0;
  let n = 0;

  const run = async (op: Op, i: number): Promise<boolean> => {
    const symbol = symbols[i % symbols.length] as string;
    switch (op) {
      case 'get':
        return (await cache.get(symbol, date)) !== null;
      case 'getMany': {
        const batch = Array.from({ length: 10 }, (_, k) => symbols[(i + k) % symbols.length] as string);
        const got = await cache.getMany(batch, date);
        return [...got.values()].every((v) => v !== null);
      }
      case 'set':
        return cache.set(symbol, date, { alpha: i, beta: i / 2 });
      case 'publish':
        return client.publish(channel, `{"n":${i}}`).then(() => true);
    }
  };

  const issue = (): void => {
    const op = OPS[n % OPS.length] as Op;
    const i = n++;
    issued++;
    const t0 = performance.now();
    const p = run(op, i)
      .catch(() => false)
      .then((ok) => {
        records.push({ op, startedAt: t0, ms: performance.now() - t0, ok });
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * rate) - issued;
    for (let k = 0; k < due; k++) issue();
  }, TICK_MS);

  return {
    records,
    get issued() {
      return issued;
    },
    lastFailureAt() {
      let last: number | undefined;
      for (const r of records) if (!r.ok) last = Math.max(last ?? 0, r.startedAt + r.ms);
      return last;
    },
    firstOkSince(since, op) {
      let best: CallRecord | undefined;
      for (const r of records) {
        if (r.ok && r.startedAt >= since && (op === undefined || r.op === op) && (!best || r.startedAt < best.startedAt)) best = r;
      }
      return best;
    },
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - startedAt) / 1000;
      while (pending.size > 0) await Promise.all([...pending]);
      const perOp = Object.fromEntries(OPS.map((o) => [o, { ok: 0, failed: 0 }])) as LoadReport['perOp'];
      let maxMs = 0;
      for (const r of records) {
        perOp[r.op][r.ok ? 'ok' : 'failed']++;
        maxMs = Math.max(maxMs, r.ms);
      }
      const ok = records.filter((r) => r.ok).length;
      return { issued, ok, failed: records.length - ok, maxMs, perOp, opsPerSecond: issued / seconds };
    },
  };
}

/** One line of figures for the test output. */
export function describeReport(name: string, report: LoadReport, extra: Record<string, string | number> = {}): string {
  const parts = [
    `issued=${report.issued}`,
    `ok=${report.ok}`,
    `failed=${report.failed}`,
    `rate=${report.opsPerSecond.toFixed(0)}/s`,
    `maxCallMs=${report.maxMs.toFixed(0)}`,
    ...Object.entries(report.perOp).map(([op, c]) => `${op}=${c.ok}/${c.ok + c.failed}`),
    ...Object.entries(extra).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(0) : v}`),
  ];
  return `[faults] ${name}: ${parts.join(' ')}`;
}

/** Counts `unhandledRejection` events while installed; {@link uninstall} returns the count. */
export function countUnhandledRejections(): { readonly count: number; uninstall(): number } {
  let count = 0;
  const listener = (): void => {
    count++;
  };
  process.on('unhandledRejection', listener);
  return {
    get count() {
      return count;
    },
    uninstall() {
      process.off('unhandledRejection', listener);
      return count;
    },
  };
}

/**
 * Watches the event loop's delay. A deadline timer cannot fire while the loop is blocked (by
 * CPU starvation on a shared machine, or by heavy work anywhere in the process), so the
 * deadline bound of a call is `commandTimeoutMs + slack + the worst delay seen`; the delay is
 * printed with the figures so a blocked loop is visible, not hidden.
 */
export function watchEventLoop(): { maxDelayMs(): number; stop(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const maxDelayMs = (): number => histogram.max / 1e6;
  return {
    maxDelayMs,
    stop() {
      histogram.disable();
      return maxDelayMs();
    },
  };
}

/** CPU milliseconds (user + system) this process used per wall-clock second since `start`. */
export function cpuMsPerSecond(start: { cpu: NodeJS.CpuUsage; at: number }): number {
  const used = process.cpuUsage(start.cpu);
  return (used.user + used.system) / 1000 / ((performance.now() - start.at) / 1000);
}

/** A starting point for {@link cpuMsPerSecond}. */
export function cpuMark(): { cpu: NodeJS.CpuUsage; at: number } {
  return { cpu: process.cpuUsage(), at: performance.now() };
}
