import net from 'node:net';

/** Options for {@link findFreePort}. */
export interface FindFreePortOptions {
  /** Lowest port to consider. @default 20000 */
  min?: number;
  /** Highest port to consider. @default 55535 */
  max?: number;
  /** Ports derived from the candidate that must also be free (e.g. `p => [p + 10000]` for cluster bus ports). */
  companions?: (port: number) => number[];
  /** Ports not to hand out (e.g. already chosen for sibling nodes). */
  exclude?: ReadonlySet<number>;
}

/** The shared Redis on the machine belongs to someone else: never hand it (or its bus port) out. */
const RESERVED = new Set([6379, 16379, 26379]);

/** Resolves true when `port` can be bound on 127.0.0.1 right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Picks a random loopback port in `[min, max]` that (with its companions) is free right now.
 * There is a window between this check and the server binding it; spawners retry on
 * EADDRINUSE.
 */
export async function findFreePort(options: FindFreePortOptions = {}): Promise<number> {
  const min = options.min ?? 20_000;
  const max = options.max ?? 55_535;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    const all = [port, ...(options.companions?.(port) ?? [])];
    if (all.some((p) => RESERVED.has(p) || options.exclude?.has(p) || p > 65_535)) continue;
    let free = true;
    for (const p of all) {
      if (!(await isPortFree(p))) {
        free = false;
        break;
      }
    }
    if (free) return port;
  }
  throw new Error(`findFreePort: no free loopback port found in [${min}, ${max}] after 200 attempts`);
}
