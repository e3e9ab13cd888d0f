/**
 * `./prometheus` in a process where prom-client cannot be found (a preloaded module makes Node.js's
 * resolver refuse it): both bundles fail with a `ConfigError` naming the optional peer and how to
 * install it, while the main entry loads as before. Needs `npm run build`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../../../dist/', import.meta.url));

/** Preloaded with `--require`: prom-client (and only it) is not found, as when it is not installed. */
const BLOCK = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'prom-client' || request.startsWith('prom-client/')) {
    const err = new Error("Cannot find module '" + request + "'");
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
`;

/** Loads the main entry, then the prometheus entry, and prints what happened as JSON. */
const probe = (main: string, prometheus: string, load: string): string => `
const report = {};
try { report.main = Object.keys(${load}(${JSON.stringify(main)})).includes('FeatureCache'); } catch (e) { report.main = String(e); }
try { ${load}(${JSON.stringify(prometheus)}); report.prometheus = 'loaded'; }
catch (e) { report.prometheus = { name: e.name, code: e.code, message: e.message, dependency: e.context && e.context.dependency }; }
console.log(JSON.stringify(report));
`;

describe('./prometheus without prom-client installed', () => {
  let dir: string;

  beforeAll(() => {
    if (!existsSync(join(dist, 'prometheus.cjs'))) throw new Error('dist/prometheus.cjs is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'tp-missing-peer-'));
    writeFileSync(join(dir, 'block.cjs'), BLOCK);
    writeFileSync(join(dir, 'probe.cjs'), probe(join(dist, 'index.cjs'), join(dist, 'prometheus.cjs'), 'require'));
    writeFileSync(join(dir, 'probe.mjs'), probe(pathToFileURL(join(dist, 'index.js')).href, pathToFileURL(join(dist, 'prometheus.js')).href, 'await import'));
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['probe.cjs', 'probe.mjs'])('%s: a ConfigError naming the optional peer; the main entry unaffected', async (file) => {
    const { stdout } = await run(process.execPath, ['--require', join(dir, 'block.cjs'), join(dir, file)]);
    const report = JSON.parse(stdout) as { main: unknown; prometheus: Record<string, unknown> };
    expect(report.main).toBe(true);
    expect(report.prometheus).toMatchObject({ name: 'ConfigError', code: 'E_CONFIG', dependency: 'prom-client' });
    expect(report.prometheus.message).toContain('npm install prom-client');
  });

  it('loads both bundles when prom-client is there', async () => {
    for (const file of ['probe.cjs', 'probe.mjs']) {
      const { stdout } = await run(process.execPath, [join(dir, file)]);
      expect([file, JSON.parse(stdout)]).toEqual([file, { main: true, prometheus: 'loaded' }]);
    }
  });
});
