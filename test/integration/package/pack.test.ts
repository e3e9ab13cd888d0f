import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Packs the package as npm would publish it, installs the tarball into a throw-away consumer
 * project, and loads it the ways users do: `import`, `require`, and TypeScript under NodeNext
 * for an ESM and a CJS consumer. Needs `npm run build` first (the test script does it).
 */
const root = resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
let consumer: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
}

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'redis-client-consumer-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', consumer], root)) as Array<{ filename: string }>;
  const tarball = join(consumer, packed[0]!.filename);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const typescript = join(root, 'node_modules', 'typescript');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'ioredis@^5', 'ioredis-mock@^8', typescript, join(root, 'node_modules', '@types', 'node')], consumer);
}, 300_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships only dist, package.json, README, LICENSE and CHANGELOG', () => {
    const listing = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], root)) as Array<{ files: Array<{ path: string }> }>;
    const paths = listing[0]!.files.map((f) => f.path);
    expect(paths.filter((p) => !p.startsWith('dist/')).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
    expect(paths).toContain('dist/index.d.cts');
    expect(paths).toContain('dist/embedded.d.ts');
  });

  it('loads with import (ESM) and reports the package version', () => {
    writeFileSync(
      join(consumer, 'esm.mjs'),
      `import { RedisClient, VERSION } from '${pkg.name}';
       import { createEmbeddedClient } from '${pkg.name}/embedded';
       const c = await createEmbeddedClient().connect();
       await c.set('k', 'v');
       console.log(JSON.stringify({ version: VERSION, isClass: typeof RedisClient, value: await c.get('k') }));
       await c.close();`,
    );
    expect(JSON.parse(run('node', ['esm.mjs'], consumer))).toEqual({ version: pkg.version, isClass: 'function', value: 'v' });
  });

  it('loads with require (CJS)', () => {
    writeFileSync(
      join(consumer, 'cjs.cjs'),
      `const { RedisClient, VERSION, ConfigError } = require('${pkg.name}');
       const { createEmbeddedClient } = require('${pkg.name}/embedded');
       let code;
       try { new RedisClient({ port: -1 }); } catch (e) { code = e instanceof ConfigError && e.code; }
       console.log(JSON.stringify({ version: VERSION, code, embedded: typeof createEmbeddedClient }));`,
    );
    expect(JSON.parse(run('node', ['cjs.cjs'], consumer))).toEqual({ version: pkg.version, code: 'E_CONFIG', embedded: 'function' });
  });

  it.each(['module', 'commonjs'] as const)('type-checks a consumer under NodeNext as %s', (type) => {
    const dir = join(consumer, `ts-${type}`);
    run('mkdir', ['-p', dir], consumer);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(consumer, 'node_modules', '@types')] }, files: ['main.ts'] }),
    );
    writeFileSync(
      join(dir, 'main.ts'),
      `import { RedisClient, type RedisClientOptions, RedisTimeoutError } from '${pkg.name}';
       import { createEmbeddedClient } from '${pkg.name}/embedded';
       const options: RedisClientOptions = { url: 'redis://localhost:6379', commandTimeoutMs: 100 };
       const client: RedisClient = createEmbeddedClient();
       export const check: [RedisClientOptions, RedisClient, boolean] = [options, client, new RedisTimeoutError('x').code === 'E_TIMEOUT'];`,
    );
    expect(() => run(join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', dir], consumer)).not.toThrow();
  }, 180_000);
});
