import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** How a child process ended (`code 1`, `signal SIGKILL`), or `undefined` while it runs. */
export function exitOf(child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `code ${child.exitCode}`;
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  return undefined;
}

/**
 * Resolves true once `child` has exited, or false after `timeoutMs`. The timer is ref'd so
 * the wait keeps the event loop alive even though the child itself is unref'd.
 */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exitOf(child) !== undefined) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** The last `lines` lines of a log file, or a note when it cannot be read. */
export function logTail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (err) {
    return `(no log at ${file}: ${err instanceof Error ? err.message : String(err)})`;
  }
}
