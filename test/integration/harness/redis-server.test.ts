import { createConnection } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RUN_DIR_ENV } from '../../harness/process-registry.js';
import { startRedisServer } from '../../harness/redis-server.js';
import type { RedisServerHandle } from '../../harness/redis-server.js';
import { sendCommand } from '../../harness/resp.js';

const started: RedisServerHandle[] = [];
async function start(...args: Parameters<typeof startRedisServer>): Promise<RedisServerHandle> {
  const server = await startRedisServer(...args);
  started.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe('startRedisServer', () => {
  it('starts a throw-away server on a free loopback port, not 6379, without persistence', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).not.toBe(6379);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await server.cli('PING')).toBe('PONG');
    expect(await server.cli('CONFIG', 'GET', 'save')).toBe('save');
    expect(await server.cli('CONFIG', 'GET', 'appendonly')).toBe('appendonly\nno');
    expect(await server.cli('CONFIG', 'GET', 'dir')).toBe(`dir\n${server.dir}`);
  });

  it('records its pid in the run dir and removes dir and pid file on stop', async () => {
    const server = await start();
    const runDir = process.env[RUN_DIR_ENV];
    expect(runDir).toBeTruthy();
    expect(readdirSync(runDir ?? '')).toContain(`${server.pid}.pid`);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    expect(readdirSync(runDir ?? '')).not.toContain(`${server.pid}.pid`);
    await expect(sendCommand(server.host, server.port, ['PING'])).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps AOF data across SIGKILL and restart on the same port', async () => {
    const server = await start({ appendonly: true, appendfsync: 'always' });
    expect(await server.cli('SET', 'durable', 'yes')).toBe('OK');
    const firstPid = server.pid;
    await server.kill();
    await expect(sendCommand(server.host, server.port, ['PING'])).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    expect(server.pid).not.toBe(firstPid);
    expect(await server.cli('GET', 'durable')).toBe('yes');
  });

  it('loses data across restart without persistence', async () => {
    const server = await start();
    await server.cli('SET', 'volatile', 'yes');
    await server.kill();
    await server.restart();
    expect(await server.cli('EXISTS', 'volatile')).toBe('0');
  });

  it('freezes (PING times out) and thaws (PING answers)', async () => {
    const server = await start();
    server.freeze();
    await expect(sendCommand(server.host, server.port, ['PING'], { timeoutMs: 300 })).rejects.toThrow(/timed out/);
    server.thaw();
    expect(await sendCommand(server.host, server.port, ['PING'])).toBe('PONG');
  });

  it('stops a frozen server', async () => {
    const server = await start();
    server.freeze();
    await server.stop();
    await expect(sendCommand(server.host, server.port, ['PING'])).rejects.toThrow(/ECONNREFUSED/);
  });

  it('passes extra args and authenticates cli/command with the password', async () => {
    const server = await start({ password: 's3cret', args: ['--notify-keyspace-events', 'KEA'] });
    expect(await server.cli('CONFIG', 'GET', 'notify-keyspace-events')).toMatch(/^notify-keyspace-events\n\w*K\w*/);
    expect(await server.command('PING')).toBe('PONG');
    const anonymous = await sendCommand(server.host, server.port, ['GET', 'x']);
    expect(String((anonymous as { message?: string }).message)).toMatch(/^NOAUTH/);
  });

  it('fails with the log tail when the server cannot start', async () => {
    await expect(startRedisServer({ args: ['--no-such-option', 'x'] })).rejects.toThrow(/no-such-option/);
  });

  it('fails clearly when a fixed port is already taken', async () => {
    const holder = await start();
    await expect(startRedisServer({ port: holder.port })).rejects.toThrow(/Address already in use/i);
  });

  it('serves the shared default server provided by the global setup', async () => {
    const url = new URL(inject('redisUrl'));
    expect(url.port).not.toBe('6379');
    expect(await sendCommand(url.hostname, Number(url.port), ['PING'])).toBe('PONG');
    const socket = createConnection({ host: url.hostname, port: Number(url.port) });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.destroy();
  });
});
