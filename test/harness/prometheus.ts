/**
 * A throw-away Prometheus server (Debian's `prometheus` package) for tests: started on a free
 * loopback port with a config written to its own temp dir, queried over its HTTP API, stopped by
 * pid. Plus `promtool`, which the same package installs.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './ports.js';
import { trackProcess, untrackProcess } from './process-registry.js';
import { exitOf, logTail, waitForExit } from './server-process.js';

/** Where Debian's `prometheus` package installs its binaries. */
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
/** `promtool`, from the same package. */
export const PROMTOOL_BIN = '/usr/bin/promtool';

/** Why Prometheus tests cannot run here (a binary missing), with how to fix it; `undefined` when they can. */
export function prometheusMissing(): string | undefined {
  const missing = [PROMETHEUS_BIN, PROMTOOL_BIN].filter((bin) => {
    try {
      accessSync(bin, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} not found: install Debian's prometheus package (it brings promtool) with \`apt-get install -y prometheus\``;
}

/** What `promtool` printed and how it exited. */
export interface PromtoolResult {
  code: number;
  output: string;
}

/** Runs `promtool args...` in `cwd`; resolves its exit code and combined output (never rejects on a non-zero exit). */
export function promtool(args: readonly string[], cwd: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    execFile(PROMTOOL_BIN, args, { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      if (err !== null && code === -1) reject(err);
      else resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** The `data` of a successful `/api/v1/query` answer. */
export interface QueryData {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: unknown;
}

/** A Prometheus API answer: `success` with data, or `error` with its type and message. */
export type ApiAnswer<T> = { status: 'success'; data: T; warnings?: string[] } | { status: 'error'; errorType: string; error: string };

/** One scrape target of `/api/v1/targets`. */
export interface ActiveTarget {
  scrapePool: string;
  scrapeUrl: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
}

/** A running Prometheus owned by the test that started it. */
export interface PrometheusHandle {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly pid: number;
  /** Temp dir with the config and the TSDB; removed by `stop()`. */
  readonly dir: string;
  /** GETs `/api/v1/<path>` and returns the decoded answer (an `error` answer is returned, not thrown). */
  api<T>(pathAndQuery: string): Promise<ApiAnswer<T>>;
  /** An instant query of `expr` at the current time. */
  query(expr: string): Promise<ApiAnswer<QueryData>>;
  /** The active scrape targets. */
  targets(): Promise<ActiveTarget[]>;
  /** The last lines of Prometheus's own log. */
  logTail(lines?: number): string;
  /** SIGTERM (SIGKILL after 5 s), waits for exit, removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** The `prometheus.yml` text, written to the temp dir. */
  config: string;
  /** How long to wait for `/-/ready`. @default 30000 */
  readyTimeoutMs?: number;
}

const STOP_GRACE_MS = 5000;

async function launch(dir: string, port: number, readyTimeoutMs: number): Promise<{ child: ChildProcess; url: string } | 'address-in-use'> {
  const log = path.join(dir, 'prometheus.log');
  const args = [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=info',
  ];
  // Prometheus logs to stderr: straight into the log file, so nothing holds the test process open.
  const fd = openSync(log, 'a');
  const child = spawn(PROMETHEUS_BIN, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw await new Promise<Error>((resolve) => child.once('error', resolve));
  trackProcess(child.pid, dir);
  const pid = child.pid;
  child.once('exit', () => untrackProcess(pid));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const exit = exitOf(child);
    if (exit !== undefined) {
      const output = logTail(log, 20);
      if (/address already in use/i.test(output)) return 'address-in-use';
      throw new Error(`prometheus exited with ${exit} before becoming ready:\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { child, url };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_GRACE_MS);
      throw new Error(`prometheus on port ${port} was not ready within ${readyTimeoutMs} ms:\n${logTail(log, 20)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts `/usr/bin/prometheus` with `options.config` on a free loopback port (retrying when the
 * port is taken meanwhile) and resolves once `/-/ready` answers.
 *
 * @example
 * const prometheus = await startPrometheus({ config: 'scrape_configs: []' });
 * const answer = await prometheus.query('up');
 * await prometheus.stop();
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prometheus-harness-'));
  writeFileSync(path.join(dir, 'prometheus.yml'), options.config);
  let started: { child: ChildProcess; url: string } | undefined;
  try {
    for (let attempt = 0; attempt < 5 && started === undefined; attempt++) {
      const result = await launch(dir, await findFreePort(), options.readyTimeoutMs ?? 30_000);
      if (result !== 'address-in-use') started = result;
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  if (started === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('prometheus: every free port tried was taken before it could bind');
  }
  const { child, url } = started;
  let stopped = false;
  const api = async <T>(pathAndQuery: string): Promise<ApiAnswer<T>> => {
    const res = await fetch(`${url}/api/v1/${pathAndQuery}`);
    return (await res.json()) as ApiAnswer<T>;
  };
  return {
    url,
    pid: child.pid as number,
    dir,
    api,
    query: (expr) => api<QueryData>(`query?query=${encodeURIComponent(expr)}`),
    async targets() {
      const answer = await api<{ activeTargets: ActiveTarget[] }>('targets?state=active');
      if (answer.status !== 'success') throw new Error(`targets: ${answer.error}`);
      return answer.data.activeTargets;
    },
    logTail: (lines = 20) => logTail(path.join(dir, 'prometheus.log'), lines),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (exitOf(child) === undefined) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, STOP_GRACE_MS))) {
          child.kill('SIGKILL');
          await waitForExit(child, STOP_GRACE_MS);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
