/**
 * The example services as child processes of a test, run from the examples build
 * (`.tmp/examples-build/`, as `npm run example:*` and the compose file run them) on free loopback
 * ports, with the address each one prints on start-up.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { trackProcess, untrackProcess } from '../../../test/harness/process-registry.js';
import { exitOf, waitForExit } from '../../../test/harness/server-process.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Bundles the examples (`npm run build:examples`) against the built package; throws when
 * `dist/` is missing (`npm test` builds it first).
 */
export async function buildExamples(): Promise<void> {
  if (!existsSync(`${ROOT}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` first');
  await promisify(execFile)('npx', ['tsup', '--config', 'examples/tsup.config.ts', '--silent'], { cwd: ROOT });
}

/** A running example service. */
export interface ServiceProcess {
  readonly name: string;
  /** The `http://127.0.0.1:<port>` it printed it listens on. */
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once its output matches `pattern`; rejects if it exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s; resolves how it exited (`code 0`, `signal SIGKILL`). */
  stop(): Promise<string | undefined>;
}

/**
 * Starts `.tmp/examples-build/<bundle>.js` with `env` (over this process's environment, without
 * its `REDIS_*` variables) and resolves once it printed the address matching `listening`.
 */
export async function startService(name: string, bundle: string, env: Record<string, string>, listening: RegExp): Promise<ServiceProcess> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('REDIS_')));
  const child: ChildProcess = spawn(process.execPath, [`.tmp/examples-build/${bundle}.js`], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const pid = child.pid;
  trackProcess(pid);
  child.once('exit', () => untrackProcess(pid));
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const waitForOutput = (pattern: RegExp, timeoutMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(text)) done(() => resolve());
        else if (exitOf(child) !== undefined) done(() => reject(new Error(`${name} exited (${exitOf(child)}) before printing ${pattern}:\n${text}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${text}`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off('exit', check);
        settle();
      };
      listeners.add(check);
      child.on('exit', check);
      check();
    });
  const stop = async (): Promise<string | undefined> => {
    if (exitOf(child) === undefined) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
    return exitOf(child);
  };
  try {
    await waitForOutput(listening);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = listening.exec(text)?.[1];
  if (url === undefined) throw new Error(`${name}: ${listening} has no address group`);
  return { name, url, output: () => text, waitForOutput, stop };
}
