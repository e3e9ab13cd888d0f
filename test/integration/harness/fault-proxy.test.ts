import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../harness/fault-proxy.js';
import type { FaultProxyHandle } from '../../harness/fault-proxy.js';
import { startRedisServer } from '../../harness/redis-server.js';
import type { RedisServerHandle } from '../../harness/redis-server.js';
import { encodeCommand, parseResp, sendCommand } from '../../harness/resp.js';
import type { RespValue } from '../../harness/resp.js';
import { waitFor } from '../../harness/wait-for.js';

/** A long-lived raw connection that reads one reply per command, in order. */
class RawConnection {
  private buf = Buffer.alloc(0);
  private readonly waiters: ((v: RespValue) => void)[] = [];
  readonly closed: Promise<Error | undefined>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      for (let parsed = parseResp(this.buf); parsed; parsed = parseResp(this.buf)) {
        this.buf = this.buf.subarray(parsed.next);
        this.waiters.shift()?.(parsed.value);
      }
    });
    this.closed = new Promise((resolve) => {
      let error: Error | undefined;
      socket.on('error', (err) => (error = err));
      socket.on('close', () => resolve(error));
    });
  }

  static open(port: number): Promise<RawConnection> {
    const socket = net.connect({ host: '127.0.0.1', port });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(...args: string[]): Promise<RespValue> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.socket.write(encodeCommand(args));
    });
  }
}

type Outcome = { settled: false } | { settled: true; value: RespValue };
function track(p: Promise<RespValue>): { readonly outcome: Outcome } {
  const state: { outcome: Outcome } = { outcome: { settled: false } };
  void p.then((value) => (state.outcome = { settled: true, value }));
  return state;
}

let server: RedisServerHandle;
let proxy: FaultProxyHandle;
const conns: RawConnection[] = [];
async function connect(): Promise<RawConnection> {
  const c = await RawConnection.open(proxy.port);
  conns.push(c);
  return c;
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  proxy = await startFaultProxy({ targetPort: server.port });
});
afterEach(async () => {
  conns.splice(0).forEach((c) => c.socket.destroy());
  await proxy.close();
});

describe('fault proxy', () => {
  it('passes commands through to the server', async () => {
    expect(proxy.port).not.toBe(server.port);
    expect(proxy.url).toBe(`redis://127.0.0.1:${proxy.port}`);
    const c = await connect();
    expect(await c.send('SET', 'proxied', '1')).toBe('OK');
    expect(await server.cli('GET', 'proxied')).toBe('1');
  });

  it('blackholes existing and new connections, then resumes delivery on pass', async () => {
    const existing = await connect();
    expect(await existing.send('PING')).toBe('PONG');
    await proxy.setMode('blackhole');
    const held = track(existing.send('INCR', 'bh-counter'));
    await expect(sendCommand('127.0.0.1', proxy.port, ['PING'], { timeoutMs: 300 })).rejects.toThrow(/timed out/);
    // The server never saw the INCR while the proxy held it.
    expect(await server.cli('GET', 'bh-counter')).toBe('');
    expect(held.outcome.settled).toBe(false);
    await proxy.setMode('pass');
    await waitFor(() => held.outcome.settled, { timeoutMs: 5000, description: 'held INCR delivered' });
    expect(held.outcome).toEqual({ settled: true, value: 1 });
    expect(await sendCommand('127.0.0.1', proxy.port, ['PING'])).toBe('PONG');
  });

  it('delays both directions while in latency mode and releases in order on pass', async () => {
    const c = await connect();
    await proxy.setMode('latency', 60_000);
    const replies = Promise.all([c.send('RPUSH', 'lat', 'a'), c.send('RPUSH', 'lat', 'b')]);
    const pending = track(replies.then((r) => r.length));
    // Still held by the proxy: the server has not seen the writes and nothing came back.
    expect(await server.cli('LLEN', 'lat')).toBe('0');
    expect(pending.outcome.settled).toBe(false);
    await proxy.setMode('pass');
    expect(await replies).toEqual([1, 2]);
    expect(await server.cli('LRANGE', 'lat', '0', '-1')).toBe('a\nb');
  });

  it('delivers through a short latency in order', async () => {
    const c = await connect();
    await proxy.setMode('latency', 30);
    const replies = await Promise.all(['x', 'y', 'z'].map((v) => c.send('RPUSH', 'lat2', v)));
    expect(replies).toEqual([1, 2, 3]);
    expect(await server.cli('LRANGE', 'lat2', '0', '-1')).toBe('x\ny\nz');
  });

  it('resets open and new connections, then accepts again on pass', async () => {
    const c = await connect();
    expect(await c.send('PING')).toBe('PONG');
    await proxy.setMode('reset');
    expect(await c.closed).toMatchObject({ code: 'ECONNRESET' });
    await expect(sendCommand('127.0.0.1', proxy.port, ['PING'])).rejects.toThrow(/ECONNRESET|closed before a reply/);
    await proxy.setMode('pass');
    expect(await sendCommand('127.0.0.1', proxy.port, ['PING'])).toBe('PONG');
  });

  it('refuses new connections, keeps open ones, and listens again on the same port', async () => {
    const c = await connect();
    await proxy.setMode('refuse');
    await expect(sendCommand('127.0.0.1', proxy.port, ['PING'])).rejects.toThrow(/ECONNREFUSED/);
    expect(await c.send('PING')).toBe('PONG');
    await proxy.setMode('pass');
    expect(await sendCommand('127.0.0.1', proxy.port, ['PING'])).toBe('PONG');
  });

  it('closes the client side when the server dies', async () => {
    const victim = await startRedisServer();
    const p = await startFaultProxy({ targetPort: victim.port });
    try {
      const c = await RawConnection.open(p.port);
      conns.push(c);
      expect(await c.send('PING')).toBe('PONG');
      await victim.kill();
      await c.closed;
      expect(p.connections).toBe(0);
    } finally {
      await p.close();
      await victim.stop();
    }
  });
});
