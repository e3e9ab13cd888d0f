import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Environment variable naming the run directory where spawned pids are recorded. */
export const RUN_DIR_ENV = 'REDIS_HARNESS_RUN_DIR';

interface Tracked {
  pid: number;
  dir: string | undefined;
}

const live = new Map<number, Tracked>();
let exitHookInstalled = false;

function pidFile(pid: number): string | undefined {
  const runDir = process.env[RUN_DIR_ENV];
  return runDir ? path.join(runDir, `${pid}.pid`) : undefined;
}

/** SIGKILLs every process still registered, synchronously (safe inside `process.on('exit')`). */
export function killAllTrackedSync(): void {
  for (const { pid, dir } of live.values()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    const file = pidFile(pid);
    if (file) rmSync(file, { force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}

/**
 * Records a process this harness spawned: kept in memory (killed on `process.on('exit')`) and,
 * when the global setup has set {@link RUN_DIR_ENV}, as a pid file the global teardown reaps.
 * `dir` is removed with it when the process dies with the test process.
 */
export function trackProcess(pid: number, dir?: string): void {
  if (!exitHookInstalled) {
    process.on('exit', killAllTrackedSync);
    exitHookInstalled = true;
  }
  live.set(pid, { pid, dir });
  const file = pidFile(pid);
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${pid}\n${dir ?? ''}\n`);
  }
}

/** Forgets a process that has exited (or was stopped on purpose). */
export function untrackProcess(pid: number): void {
  live.delete(pid);
  const file = pidFile(pid);
  if (file) rmSync(file, { force: true });
}

/** True when `pid` still names a redis-server (Linux: checked via /proc; elsewhere: alive). */
function isRedisServer(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self/cmdline')) {
    try {
      return readFileSync(cmdline, 'utf8').includes('redis-server');
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Only temp dirs this harness creates are ever removed by the reaper. */
function isHarnessDir(dir: string): boolean {
  return dir !== '' && path.dirname(dir) === os.tmpdir() && /^redis-(harness|sentinel)-[A-Za-z0-9]{6}$/.test(path.basename(dir));
}

/**
 * Kills every process recorded in `runDir` that is still a redis-server, then removes the pid
 * files and the servers' temp dirs. Returns the pids it killed. Only pids this harness wrote are ever signalled; the
 * /proc check guards against a recycled pid.
 */
export function reapRunDir(runDir: string): number[] {
  if (!existsSync(runDir)) return [];
  const killed: number[] = [];
  for (const name of readdirSync(runDir)) {
    if (!name.endsWith('.pid')) continue;
    const [pidLine = '', dir = ''] = readFileSync(path.join(runDir, name), 'utf8').split('\n');
    const pid = Number(pidLine.trim());
    if (isHarnessDir(dir)) rmSync(dir, { recursive: true, force: true });
    if (Number.isInteger(pid) && pid > 0 && isRedisServer(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // exited meanwhile
      }
    }
    rmSync(path.join(runDir, name), { force: true });
  }
  return killed;
}
