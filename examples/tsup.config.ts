/**
 * Build of the runnable examples (`npm run build:examples`): one ESM bundle per entry in
 * `.tmp/examples-build/` (git-ignored). The SDK stays external, so at run time
 * `@trading-platform/redis-client` resolves through the package's own `exports` to `dist/`,
 * exactly as in a user's project (run `npm run build` first).
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    'signal-service': 'examples/signal-service/src/main.ts',
    'execution-gateway': 'examples/execution-gateway/src/main.ts',
    orchestrator: 'examples/orchestrator/src/main.ts',
    demo: 'examples/demo/main.ts',
    'market-data-feed': 'examples/market-data-feed/src/main.ts',
    'pnl-service': 'examples/pnl-service/src/main.ts',
    'demo-live': 'examples/demo/live.ts',
  },
  outDir: '.tmp/examples-build',
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  sourcemap: true,
  clean: true,
  dts: false,
  // Fastify's plugins resolve files and require Node built-ins at run time: never bundled, like Fastify itself.
  external: ['@trading-platform/redis-client', '@trading-platform/redis-client/embedded', 'fastify', '@fastify/static', 'prom-client', 'decimal.js', 'valibot'],
});
