import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { RUN_DIR_ENV, reapRunDir } from './process-registry.js';
import { startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared default server started by the integration global setup. */
    redisUrl: string;
  }
}

const NOT_FOUND =
  'redis-server not found on PATH: integration tests need Redis >= 6.2. Install it with ' +
  '`apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)';

/** Parses `Redis server v=7.0.15 ...` into `[7, 0, 15]`. */
export function parseRedisVersion(banner: string): [number, number, number] | undefined {
  const match = /v=(\d+)\.(\d+)\.(\d+)/.exec(banner);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Throws one clear error unless `redis-server` >= 6.2 is on PATH. Returns the version string. */
export function assertRedisServerAvailable(): string {
  let banner: string;
  try {
    banner = execFileSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  } catch {
    throw new Error(NOT_FOUND);
  }
  const version = parseRedisVersion(banner);
  if (!version) throw new Error(`could not read the redis-server version from: ${banner.trim()}`);
  const [major, minor] = version;
  if (major < 6 || (major === 6 && minor < 2)) {
    throw new Error(`redis-server ${version.join('.')} is too old: integration tests need Redis >= 6.2`);
  }
  return version.join('.');
}

/**
 * Vitest globalSetup for the `integration` project: checks redis-server, creates the run dir
 * where every spawned server records its pid, starts one shared default server and provides
 * its URL as `inject('redisUrl')`. The returned teardown stops it and SIGKILLs any leftover
 * harness-spawned server recorded in the run dir.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertRedisServerAvailable();
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'redis-harness-run-'));
  process.env[RUN_DIR_ENV] = runDir;
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return async () => {
    try {
      await server.stop();
    } finally {
      reapRunDir(runDir);
      rmSync(runDir, { recursive: true, force: true });
    }
  };
}
