/**
 * `npm run demo:live`: runs {@link startLiveDemo} until SIGINT/SIGTERM, then shuts everything down
 * and exits 0 (1 when the start or the shutdown failed).
 */
import { ConfigError } from '@trading-platform/redis-client';
import { startLiveDemo } from './run-live.js';

const fail = (what: string, err: unknown): never => {
  // A configuration problem is the message alone: it says what to change.
  const text = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`demo:live ${what}: ${text}\n`);
  process.exit(1);
};

try {
  const demo = await startLiveDemo();
  const stop = (signal: string): void => {
    process.stdout.write(`\n${signal} received: stopping the feed, the services and Redis\n`);
    demo.stop().then(() => {
      process.stdout.write('Stopped cleanly.\n');
      process.exit(0);
    }, (err: unknown) => fail('shutdown failed', err));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  fail('failed to start', err);
}
