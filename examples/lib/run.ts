/**
 * Running an example service as a process: start it, close it on SIGINT/SIGTERM, and turn a
 * start-up failure (bad configuration, unreadable data) into one message and exit code 1.
 */
import type { FastifyInstance } from 'fastify';

/** Where and how to listen. */
export interface ListenOptions {
  port: number;
  host: string;
}

/**
 * Starts `build()`'s app on `listen` and closes it (and so its Redis client) on SIGINT/SIGTERM.
 * Any start-up error is printed as `<name>: <message>` and exits with code 1.
 */
export async function runService(name: string, build: () => Promise<{ app: FastifyInstance; listen: ListenOptions }>): Promise<void> {
  let app: FastifyInstance;
  try {
    const built = await build();
    app = built.app;
    const address = await app.listen(built.listen);
    process.stderr.write(`${name} listening on ${address}\n`);
  } catch (err) {
    process.stderr.write(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const shutdown = (signal: string): void => {
    process.stderr.write(`${name}: ${signal} received, shutting down\n`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${name}: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
