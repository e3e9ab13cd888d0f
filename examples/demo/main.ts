/**
 * `npm run demo`: runs {@link runDemo} and exits 0 when the paper run completed, 1 otherwise.
 */
import { ConfigError } from '@trading-platform/redis-client';
import { runDemo } from './run-demo.js';

try {
  await runDemo();
  process.exit(0);
} catch (err) {
  // A configuration problem is the message alone: it says what to change.
  const text = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`demo failed: ${text}\n`);
  process.exit(1);
}
