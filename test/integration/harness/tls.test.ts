import tls from 'node:tls';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCommand } from '../../harness/resp.js';
import { startTlsRedisServer } from '../../harness/tls.js';
import type { TlsRedisServerHandle } from '../../harness/tls.js';

/** Opens a TLS connection and resolves with the verified peer's CN, or rejects with the TLS error. */
function handshake(port: number, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...options });
    socket.once('secureConnect', () => {
      const cn = socket.getPeerCertificate().subject?.CN;
      socket.destroy();
      resolve(String(cn));
    });
    socket.once('error', reject);
  });
}

let server: TlsRedisServerHandle;
let wrongHost: TlsRedisServerHandle;

beforeAll(async () => {
  server = await startTlsRedisServer();
  wrongHost = await startTlsRedisServer({ material: server.tls, wrongHostname: true });
});
afterAll(async () => {
  await wrongHost?.stop();
  await server?.stop();
});

describe('TLS harness', () => {
  it('serves TLS only, with a rediss://localhost URL', async () => {
    expect(server.url).toBe(`rediss://localhost:${server.port}`);
    expect(await server.cli('PING')).toBe('PONG');
    expect(await server.command('PING')).toBe('PONG');
    // A plaintext PING on the TLS port gets no RESP answer.
    await expect(sendCommand('127.0.0.1', server.port, ['PING'], { timeoutMs: 1000 })).rejects.toThrow();
  });

  it('verifies against the generated CA by hostname and by IP', async () => {
    expect(await handshake(server.port, { servername: 'localhost', ca: server.tls.ca.pem })).toBe('localhost');
    expect(await handshake(server.port, { ca: server.tls.ca.pem })).toBe('localhost');
  });

  it('rejects the server against the wrong CA', async () => {
    await expect(handshake(server.port, { servername: 'localhost', ca: server.tls.wrongCa.pem })).rejects.toMatchObject({
      code: expect.stringMatching(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/),
    });
  });

  it('rejects a certificate issued for another hostname', async () => {
    await expect(handshake(wrongHost.port, { servername: 'localhost', ca: server.tls.ca.pem })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('accepts a client certificate signed by the CA', async () => {
    const options = { servername: 'localhost', ca: server.tls.ca.pem, cert: server.tls.clientCert.pem, key: server.tls.clientKey.pem };
    expect(await sendCommand('127.0.0.1', server.port, ['PING'], { tls: options })).toBe('PONG');
  });

  it('works with node-redis over rediss:// with the CA', async () => {
    const client = createClient({ url: server.url, socket: { tls: true, ca: server.tls.ca.pem } });
    await client.connect();
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.destroy();
    }
  });
});
