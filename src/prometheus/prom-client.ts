/** prom-client, the optional peer dependency of `./prometheus`: loaded once, with an error naming it when it is not installed. */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { ConfigError } from '../internal/errors.js';

/** The message when prom-client cannot be found. */
const MISSING = '@trading-platform/redis-client/prometheus needs prom-client, an optional peer dependency: npm install prom-client@^15';

/** prom-client itself is missing (not a module prom-client needs: its name is quoted only as the one not found). */
function notFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes("'prom-client'");
}

/**
 * `require('prom-client')`, resolved from this file, in the ES module bundle and in the CommonJS one
 * (the build maps `import.meta.url` to the file's URL there). prom-client is CommonJS, so both
 * bundles and the application's own `import` of it share one module instance, its global
 * `register` included. A static import would fail before any code of the SDK runs, with a message
 * that says nothing of the optional peer.
 */
function load(): typeof PromClient {
  try {
    return createRequire(import.meta.url)('prom-client') as typeof PromClient;
  } catch (err) {
    if (notFound(err)) throw new ConfigError(MISSING, { cause: err, context: { dependency: 'prom-client' } });
    throw err;
  }
}

/** The prom-client module. */
export const promClient: typeof PromClient = load();
