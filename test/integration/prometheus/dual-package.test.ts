import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as EmbeddedModule from '../../../src/embedded.js';
import type * as SdkModule from '../../../src/index.js';
import type * as PrometheusModule from '../../../src/prometheus.js';
import { Scrape } from '../../unit/prometheus/scrape.js';

/**
 * The built bundles, as an application that loads both the ESM and the CJS copy of the SDK gets
 * them (a dependency that `require`s it next to code that `import`s it). Needs `npm run build`.
 */
const dist = new URL('../../../dist/', import.meta.url);
const require = createRequire(import.meta.url);

type Sdk = typeof SdkModule;
type Prometheus = typeof PrometheusModule;
type Embedded = typeof EmbeddedModule;

describe('the ESM and CJS bundles in one process', () => {
  beforeAll(() => {
    if (!existsSync(new URL('prometheus.cjs', dist))) throw new Error('dist/prometheus.cjs is missing: run `npm run build` first');
  });

  it('share one registration per registry, the channels and the live objects', async () => {
    const esm = {
      sdk: (await import(new URL('index.js', dist).href)) as Sdk,
      prom: (await import(new URL('prometheus.js', dist).href)) as Prometheus,
      embedded: (await import(new URL('embedded.js', dist).href)) as Embedded,
    };
    const cjs = {
      sdk: require(new URL('index.cjs', dist).pathname) as Sdk,
      prom: require(new URL('prometheus.cjs', dist).pathname) as Prometheus,
      embedded: require(new URL('embedded.cjs', dist).pathname) as Embedded,
    };
    expect(cjs.sdk.FeatureCache).not.toBe(esm.sdk.FeatureCache); // two copies indeed

    const { Registry } = require('prom-client') as typeof PromClient;
    const registry = new Registry();
    const fromEsm = esm.prom.registerMetrics({ registry });
    const fromCjs = cjs.prom.registerMetrics({ registry }); // no "already registered"
    try {
      const a = await esm.embedded.createEmbeddedClient({ name: 'esm' }).connect();
      const b = await cjs.embedded.createEmbeddedClient({ name: 'cjs' }).connect();
      const dup = await b.duplicate({ component: 'cjs-copy' }).connect();
      await new esm.sdk.FeatureCache(a).get('AAPL', '2025-01-17');
      await new cjs.sdk.FeatureCache(b).getMany(['AAPL', 'MSFT'], '2025-01-17');
      const s = new Scrape(await registry.metrics());
      // One registration saw both copies' reads: 1 + 2 misses.
      expect(s.value('trading_platform_cache_requests_total', { tier: 'redis', outcome: 'miss' })).toBe(3);
      expect(s.value('trading_platform_client_connection_status', { component: 'cjs-copy' })).toBe(1);
      await Promise.all([a.close(), b.close(), dup.close()]);
      fromEsm.unregister();
      expect(registry.getSingleMetric('trading_platform_cache_requests_total')).toBeDefined();
    } finally {
      fromEsm.unregister();
      fromCjs.unregister();
    }
    expect(registry.getSingleMetric('trading_platform_cache_requests_total')).toBeUndefined();
    // A ConfigError thrown by either copy is the main entry's class in that copy's format.
    expect(() => cjs.prom.registerMetrics({ prefix: '-' })).toThrow(cjs.sdk.ConfigError);
    expect(() => esm.prom.registerMetrics({ prefix: '-' })).toThrow(esm.sdk.ConfigError);
  });
});
