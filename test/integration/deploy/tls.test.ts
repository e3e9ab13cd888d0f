/**
 * RedisClient over TLS (harness: TLS-only servers with a per-run CA): verified connections with
 * a CA, a client certificate and an explicit servername, and clear `RedisConnectionError`s
 * within `connectTimeoutMs` for a wrong CA, a hostname mismatch and plain text to a TLS port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache, RedisClient, RedisConnectionError, type RedisClientOptions } from '../../../src/index.js';
import { keygen, startTlsRedisServer, type TlsRedisServerHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';
import { vectorFor } from '../../harness/deploy/fixtures.js';

expectNoUnhandledRejections();

const CONNECT_TIMEOUT_MS = 2000;
/** Correctness slack on top of the deadline: the call must settle, not hang. */
const SLACK_MS = 1500;

let server: TlsRedisServerHandle;
let mutual: TlsRedisServerHandle;
let wrongHost: TlsRedisServerHandle;

beforeAll(async () => {
  server = await startTlsRedisServer();
  mutual = await startTlsRedisServer({ material: server.tls, authClients: 'yes' });
  wrongHost = await startTlsRedisServer({ material: server.tls, wrongHostname: true });
});

afterAll(async () => {
  await wrongHost?.stop();
  await mutual?.stop();
  await server?.stop();
});

/** Connects, expecting failure; returns the error and how long the attempt took. */
async function failedConnect(options: RedisClientOptions): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  const error = await RedisClient.connect({ connectTimeoutMs: CONNECT_TIMEOUT_MS, ...options }).then(
    async (c) => {
      await c.close();
      return new Error('connected although it must not');
    },
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - start };
}

describe('RedisClient over TLS', () => {
  it('rediss:// with the CA verifies the server and runs FeatureCache traffic', async () => {
    await using client = await RedisClient.connect({ url: server.url, tls: { ca: server.tls.ca.pem } });
    const cache = new FeatureCache(client, { prefix: keygen('tls').prefix });
    expect(await cache.set('AAPL', '2025-01-17', vectorFor(3))).toBe(true);
    expect(await cache.get('AAPL', '2025-01-17')).toEqual(vectorFor(3));
  });

  it('presents a client certificate to a server that requires one (tls-auth-clients yes)', async () => {
    const tls = { ca: server.tls.ca.pem, cert: server.tls.clientCert.pem, key: server.tls.clientKey.pem };
    await using client = await RedisClient.connect({ url: mutual.url, tls });
    expect(await client.healthCheck()).toBe(true);
    const without = await failedConnect({ url: mutual.url, tls: { ca: server.tls.ca.pem } });
    expect(without.error).toBeInstanceOf(RedisConnectionError);
    // TLS 1.3: the client may finish its side of the handshake before the server checks for a
    // certificate, so the refusal arrives either as the server's alert or as a reset; either
    // way the message must name the client certificate as the likely cause.
    expect((without.error as Error).message).toMatch(/TLS handshake failed .*certificate required|reset the TLS handshake: it may require a client certificate/);
    expect(without.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
  });

  it('verifies an IP connection against an explicit servername', async () => {
    await using client = await RedisClient.connect({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca: server.tls.ca.pem, servername: 'localhost' },
    });
    expect(await client.healthCheck()).toBe(true);
    const mismatch = await failedConnect({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca: server.tls.ca.pem, servername: 'other.example' },
    });
    expect(mismatch.error).toBeInstanceOf(RedisConnectionError);
    expect((mismatch.error as Error).message).toMatch(/TLS handshake failed \(ERR_TLS_CERT_ALTNAME_INVALID\): .*other\.example/);
  });

  it('rejects a server signed by another CA, naming the certificate problem', async () => {
    const { error, ms } = await failedConnect({ url: server.url, tls: { ca: server.tls.wrongCa.pem } });
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/TLS handshake failed \(SELF_SIGNED_CERT_IN_CHAIN\): self-signed certificate in certificate chain/);
    expect((error as Error).message).toContain(`localhost:${server.port}`);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
  });

  it('rejects a certificate issued for another hostname', async () => {
    const { error, ms } = await failedConnect({ url: wrongHost.url, tls: { ca: server.tls.ca.pem } });
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/TLS handshake failed \(ERR_TLS_CERT_ALTNAME_INVALID\): Hostname\/IP does not match certificate's altnames/);
    expect((error as Error).message).toMatch(/wrong-host\.example/);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
  });

  it('plain text to the TLS port fails within connectTimeoutMs with a RedisConnectionError', async () => {
    const { error, ms } = await failedConnect({ host: '127.0.0.1', port: server.port });
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(/ECONNRESET .*TLS-only port .*rediss:\/\//);
    console.log(`plain text to a TLS port: "${(error as Error).message}" after ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
  });
});
