import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  define: { __SDK_VERSION__: JSON.stringify(pkg.version) },
  test: {
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Measured 95.5 / 92.2 / 95.5 / 97.0 (statements / branches / functions / lines) when set.
      thresholds: { lines: 90, functions: 90, branches: 85, statements: 90 },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Unit files first, then integration: fault tests never share the cores with unit workers.
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts', 'examples/**/test/**/*.unit.test.ts'],
          // Type-level tests only; whole-project type errors are `npm run typecheck`'s job.
          typecheck: { enabled: true, include: ['test/unit/**/*.test-d.ts'], ignoreSourceErrors: true },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts', 'examples/**/test/**/*.int.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Fault tests kill and freeze servers: keep files isolated and the machine unloaded.
          fileParallelism: false,
        },
      },
    ],
  },
});
