/** Bundles example sources a benchmark needs but the examples build does not emit (tsup, ESM, the SDK kept external). */
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const root = new URL('../../', import.meta.url);

/**
 * Bundles `entries` (name -> path from the repository root) into `.tmp/<dir>/` and returns that
 * folder's path, ending in a separator. The package, its runtime libraries and the services'
 * own (fastify, @fastify/static, prom-client, decimal.js) stay external, as in the examples build.
 */
export async function bundleExamples(dir, entries) {
  const outDir = fileURLToPath(new URL(`.tmp/${dir}/`, root));
  await build({
    entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, fileURLToPath(new URL(file, root))])),
    outDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    config: false,
    silent: true,
    dts: false,
    sourcemap: false,
    splitting: true,
    clean: true,
    external: ['@trading-platform/redis-client', '@trading-platform/redis-client/embedded', 'fastify', '@fastify/static', 'prom-client', 'decimal.js', 'valibot'],
  });
  return outDir;
}
