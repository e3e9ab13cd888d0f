import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient, type Logger } from '../../../src/index.js';
import { startFaultProxy, startRedisServer, type FaultProxyHandle, type RedisServerHandle } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

const PASSWORD = 'hunter2-Secret-Zq9';

/** A pino-style logger that keeps every call, child bindings included, as one text line. */
function capturingLogger(lines: string[], bindings: Record<string, unknown> = {}): Logger {
  const log = (level: string) => (fields: Record<string, unknown>, msg: string) => {
    lines.push(`${level} ${msg} ${JSON.stringify({ ...bindings, ...fields })} ${inspect(fields, { depth: 5 })}`);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => capturingLogger(lines, { ...bindings, ...more }),
  };
}

/** Everything an operator could see about an error: message, stack, cause chain and context. */
function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    parts.push(e.message, e.stack ?? '', JSON.stringify((e as { context?: unknown }).context ?? {}));
  }
  return parts.join('\n');
}

/** The rejection of a call that must fail. */
function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
}

describe('a password never shows', () => {
  let server: RedisServerHandle;
  let proxy: FaultProxyHandle;

  beforeAll(async () => {
    server = await startRedisServer({ password: PASSWORD });
    proxy = await startFaultProxy({ targetPort: server.port });
  });

  afterAll(async () => {
    await proxy.close();
    await server.stop();
  });

  it('in String, inspect, JSON, log lines and errors across reconnects, and the URL shows user:***', async () => {
    const lines: string[] = [];
    const errors: Error[] = [];
    const url = `redis://default:${PASSWORD}@127.0.0.1:${proxy.port}`;
    const client = await RedisClient.connect({
      url,
      logger: capturingLogger(lines),
      commandTimeoutMs: 300,
      reconnect: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    client.on('error', (e) => errors.push(e));
    expect(String(client)).toBe(`RedisClient(redis://default:***@127.0.0.1:${proxy.port}, ready)`);
    expect(inspect(client)).toBe(String(client));
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      endpoint: `redis://default:***@127.0.0.1:${proxy.port}`,
      status: 'ready',
      kind: 'standalone',
    });

    // Drop the link a while so the client logs reconnect attempts and connection errors.
    const reconnecting = new Promise<void>((resolve) => client.once('reconnecting', () => resolve()));
    await proxy.setMode('reset');
    await reconnecting;
    errors.push(await failure(client.get('k')));
    const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await proxy.setMode('pass');
    await ready;

    await proxy.setMode('blackhole');
    errors.push(await failure(client.get('k')));
    await proxy.setMode('pass');
    await client.close();

    expect(lines.some((l) => l.includes('reconnecting to Redis'))).toBe(true);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).not.toContain(PASSWORD);
    for (const err of errors) expect(errorText(err)).not.toContain(PASSWORD);
    expect(`${String(client)} ${inspect(client)} ${JSON.stringify(client)}`).not.toContain(PASSWORD);
  });

  it('in the error and logs of a failed connect with the password in the URL', async () => {
    const lines: string[] = [];
    const client = new RedisClient({
      url: `redis://default:${PASSWORD}x@127.0.0.1:${server.port}`,
      logger: capturingLogger(lines),
      connectTimeoutMs: 1000,
    });
    const err: unknown = await client.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(errorText(err)).toContain(`redis://default:***@127.0.0.1:${server.port}`);
    expect(errorText(err)).not.toContain(PASSWORD);
    for (const line of lines) expect(line).not.toContain(PASSWORD);
  });
});
