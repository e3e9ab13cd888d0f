import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRedisServerAvailable, parseRedisVersion } from '../../harness/global-setup.js';
import { keygen, sendCommand, useRedisServer, waitFor } from '../../harness/index.js';
import { findFreePort, isPortFree } from '../../harness/ports.js';
import { reapRunDir } from '../../harness/process-registry.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('keygen', () => {
  it('gives each call a distinct colon-free prefix and namespaced keys', () => {
    const a = keygen('cache');
    const b = keygen('cache');
    expect(a.prefix).not.toBe(b.prefix);
    expect(a.prefix).toMatch(/^cache-[^:{}]+$/);
    expect(a.key('x')).toBe(`${a.prefix}:x`);
    expect(a.key()).toBe(`${a.prefix}:2`);
    expect(a.pattern).toBe(`${a.prefix}:*`);
  });
});

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? n : false), { intervalMs: 1 })).toBe(3);
  });

  it('throws a descriptive error with the last failure as cause on timeout', async () => {
    const failing = waitFor(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 50, intervalMs: 5, description: 'server up' },
    );
    await expect(failing).rejects.toThrow(/server up not met within 50 ms .*last error: still down/);
  });
});

describe('useRedisServer', () => {
  const redis = useRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });

  it('provides a running dedicated server with the requested options', async () => {
    expect(await redis.server.cli('CONFIG', 'GET', 'maxmemory-policy')).toBe('maxmemory-policy\nallkeys-lru');
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.server.port}`);
  });
});

describe('useRedisServer before its beforeAll', () => {
  const fixture = useRedisServer();
  let early: unknown;
  try {
    early = fixture.server;
  } catch (err) {
    early = err;
  }

  it('threw a clear error when read at collection time, and serves once the hook ran', async () => {
    expect(early).toBeInstanceOf(Error);
    expect((early as Error).message).toMatch(/only available between beforeAll and afterAll/);
    expect(await fixture.server.command('PING')).toBe('PONG');
  });
});

describe('ports', () => {
  it('finds free ports with free companions and skips excluded ones', async () => {
    const port = await findFreePort({ max: 55_535, companions: (p) => [p + 10_000] });
    expect(port).toBeLessThanOrEqual(55_535);
    expect(await isPortFree(port)).toBe(true);
    expect(await isPortFree(port + 10_000)).toBe(true);
    await expect(findFreePort({ min: 30_000, max: 30_000, exclude: new Set([30_000]) })).rejects.toThrow(/no free/);
  });
});

describe('global setup checks', () => {
  it('parses the redis-server version banner', () => {
    expect(parseRedisVersion('Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc')).toEqual([7, 0, 15]);
    expect(parseRedisVersion('garbage')).toBeUndefined();
    expect(assertRedisServerAvailable()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names the fix when redis-server is not on PATH', () => {
    const saved = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      expect(() => assertRedisServerAvailable()).toThrow(
        'redis-server not found on PATH: integration tests need Redis >= 6.2. Install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)',
      );
    } finally {
      process.env['PATH'] = saved;
    }
  });
});

describe('reapRunDir', () => {
  it('kills recorded redis-servers and removes their dirs, but never touches a pid that is not a redis-server', async () => {
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'redis-harness-reap-'));
    const serverDir = mkdtempSync(path.join(os.tmpdir(), 'redis-harness-'));
    const port = await findFreePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', serverDir], {
      stdio: 'ignore',
    });
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await waitFor(() => sendCommand('127.0.0.1', port, ['PING']), { timeoutMs: 30_000 });
      writeFileSync(path.join(runDir, `${redis.pid}.pid`), `${redis.pid}\n${serverDir}\n`);
      writeFileSync(path.join(runDir, `${other.pid}.pid`), `${other.pid}\n${runDir}\n`);
      expect(reapRunDir(runDir)).toEqual([redis.pid]);
      expect(existsSync(serverDir)).toBe(false);
      // Not a server dir of the harness: left alone.
      expect(existsSync(runDir)).toBe(true);
      await waitFor(() => !alive(redis.pid ?? -1) || redis.exitCode !== null || redis.signalCode !== null, {
        timeoutMs: 10_000,
      });
      expect(redis.signalCode ?? 'SIGKILL').toBe('SIGKILL');
      expect(alive(other.pid ?? -1)).toBe(true);
      expect(existsSync(path.join(runDir, `${other.pid}.pid`))).toBe(false);
    } finally {
      redis.kill('SIGKILL');
      other.kill('SIGKILL');
      rmSync(runDir, { recursive: true, force: true });
      rmSync(serverDir, { recursive: true, force: true });
    }
  });
});
