/**
 * `npm run demo`: runs {@link runDemo} and exits 0 when the paper run completed, 1 otherwise.
 */
import { runDemo } from './run-demo.js';

try {
  await runDemo();
  process.exit(0);
} catch (err) {
  process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
