import net from 'node:net';
import type { Socket } from 'node:net';

/** Fault modes without a parameter; latency is set with `setMode('latency', ms)`. */
export type SimpleFaultMode = 'pass' | 'blackhole' | 'reset' | 'refuse';

/** Target of a {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** Upstream host. @default '127.0.0.1' */
  targetHost?: string;
  targetPort: number;
}

/** A TCP proxy in front of a server that injects network faults on demand. */
export interface FaultProxyHandle {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Number of proxied connections currently open. */
  readonly connections: number;
  /**
   * - `pass`: forward everything (listening again if it was `refuse`); held or delayed bytes
   *   are released at once, in order.
   * - `latency`: delay every chunk by `ms` in each direction, order preserved.
   * - `blackhole`: accept connections but forward nothing, on new and existing connections.
   *   Bytes are held, not lost (like TCP across a partition), and flow again on `pass`.
   * - `reset`: RST every open connection and every new one.
   * - `refuse`: stop listening, so new connections get ECONNREFUSED; open ones are untouched.
   */
  setMode(mode: SimpleFaultMode): Promise<void>;
  setMode(mode: 'latency', ms: number): Promise<void>;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

type Mode = { kind: 'pass' | 'blackhole' | 'reset' | 'refuse' } | { kind: 'latency'; ms: number };

/** One direction of a proxied connection: an ordered queue of chunks with release times. */
class Pipe {
  private readonly queue: { data: Buffer; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly to: Socket,
    private readonly releaseAt: () => number,
  ) {}

  push(data: Buffer): void {
    this.queue.push({ data, at: this.releaseAt() });
    this.pump();
  }

  /** Re-times queued chunks after a mode change: never later than the new mode would send them. */
  retime(): void {
    const release = this.releaseAt();
    for (const item of this.queue) item.at = release === Infinity ? Infinity : Math.min(item.at, release);
    this.pump();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    while (this.queue.length > 0 && (this.queue[0]?.at ?? Infinity) <= now) {
      const item = this.queue.shift();
      if (item && !this.to.destroyed) this.to.write(item.data);
    }
    const next = this.queue[0]?.at;
    if (next !== undefined && next !== Infinity) this.timer = setTimeout(() => this.pump(), next - now);
  }
}

interface Link {
  client: Socket;
  upstream: Socket;
  pipes: [Pipe, Pipe];
}

/**
 * Starts a fault-injecting TCP proxy on a free 127.0.0.1 port in front of `targetPort`.
 *
 * @example
 * const proxy = await startFaultProxy({ targetPort: server.port });
 * await proxy.setMode('blackhole');
 * // ...commands through proxy.url now hang until:
 * await proxy.setMode('pass');
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxyHandle> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const host = '127.0.0.1';
  const links = new Set<Link>();
  let mode: Mode = { kind: 'pass' };
  let listening = false;

  const releaseAt = (): number => {
    if (mode.kind === 'blackhole') return Infinity;
    return mode.kind === 'latency' ? Date.now() + mode.ms : Date.now();
  };

  const drop = (link: Link, rst: boolean): void => {
    if (!links.delete(link)) return;
    link.pipes.forEach((p) => p.stop());
    for (const socket of [link.client, link.upstream]) {
      if (rst && !socket.destroyed && socket.readyState === 'open') socket.resetAndDestroy();
      else socket.destroy();
    }
  };

  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    if (mode.kind === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: targetHost, port: options.targetPort });
    upstream.on('error', () => undefined);
    const link: Link = { client, upstream, pipes: [new Pipe(upstream, releaseAt), new Pipe(client, releaseAt)] };
    links.add(link);
    client.on('data', (chunk: Buffer) => link.pipes[0].push(chunk));
    upstream.on('data', (chunk: Buffer) => link.pipes[1].push(chunk));
    client.on('close', () => drop(link, false));
    upstream.on('close', () => drop(link, false));
  });

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        listening = true;
        resolve();
      });
    });
  const unlisten = (): Promise<void> =>
    new Promise((resolve) => {
      listening = false;
      // close() waits for open connections; its callback is not needed to stop accepting.
      server.close();
      resolve();
    });

  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address');
  const port = address.port;

  async function setMode(kind: SimpleFaultMode | 'latency', ms?: number): Promise<void> {
    mode = kind === 'latency' ? { kind, ms: ms ?? 0 } : { kind };
    if (kind === 'refuse') {
      if (listening) await unlisten();
      return;
    }
    if (!listening) await listen(port);
    if (kind === 'reset') {
      for (const link of [...links]) drop(link, true);
      return;
    }
    for (const link of links) link.pipes.forEach((p) => p.retime());
  }

  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    get connections() {
      return links.size;
    },
    setMode,
    async close() {
      for (const link of [...links]) drop(link, false);
      if (listening) await unlisten();
    },
  };
}
