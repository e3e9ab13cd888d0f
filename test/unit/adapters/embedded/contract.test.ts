import { describe, expect, it } from 'vitest';
import { ConfigError, RedisCommandError } from '../../../../src/index.js';
import { createEmbeddedClient, createEmbeddedServer } from '../../../../src/embedded.js';
import { describeClientContract } from '../../../harness/client/contract.js';
import { waitFor } from '../../../harness/index.js';

const server = createEmbeddedServer();
describeClientContract('embedded (ioredis-mock)', () => server.createClient({ commandTimeoutMs: 1000 }));

describe('embedded backend specifics', () => {
  it('keeps separate embedded servers isolated', async () => {
    const a = await createEmbeddedClient().connect();
    const b = await createEmbeddedClient().connect();
    await a.set('shared-name', 'a');
    expect(await b.get('shared-name')).toBeNull();
    await Promise.all([a.close(), b.close()]);
  });

  it('shares keys and pub/sub between clients of one embedded server', async () => {
    const shared = createEmbeddedServer();
    await using a = await createEmbeddedClient({ server: shared }).connect();
    await using b = await shared.createClient().connect();
    await a.set('k', 'from-a');
    expect(await b.get('k')).toBe('from-a');
    const received: string[] = [];
    await b.subscribe(['chan'], (m) => received.push(m));
    expect(await a.publish('chan', 'hello')).toBe(1);
    await waitFor(() => received.length === 1, { timeoutMs: 2000, description: 'embedded message' });
    expect(received).toEqual(['hello']);
  });

  it('reports kind embedded and an endpoint without connection details', async () => {
    const client = createEmbeddedClient();
    expect(client.kind).toBe('embedded');
    expect(String(client)).toBe('RedisClient(embedded, closed)');
    await client.connect();
    expect(JSON.stringify(client)).toBe('{"endpoint":"embedded","status":"ready","kind":"embedded"}');
    await client.close();
  });

  it('appends, ranges and counts stream entries', async () => {
    await using client = await createEmbeddedClient().connect();
    const first = await client.streams.add('s', { a: '1' });
    const second = await client.streams.add('s', { b: '2' });
    expect(await client.streams.length('s')).toBe(2);
    expect(await client.streams.range('s')).toEqual([
      { id: first, fields: { a: '1' } },
      { id: second, fields: { b: '2' } },
    ]);
  });

  it('streams.add takes maxEntries or its deprecated alias maxLen; the two given apart reject with a ConfigError', async () => {
    await using client = await createEmbeddedClient().connect();
    expect(await client.streams.add('t', { a: '1' }, { maxEntries: 10 })).toMatch(/^\d+-\d+$/);
    expect(await client.streams.add('t', { a: '2' }, { maxLen: 10 })).toMatch(/^\d+-\d+$/);
    expect(await client.streams.add('t', { a: '3' }, { maxEntries: 10, maxLen: 10 })).toMatch(/^\d+-\d+$/);
    const err: unknown = await client.streams.add('t', { a: '4' }, { maxEntries: 10, maxLen: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('maxEntries (10) and its deprecated alias maxLen (5) disagree: give maxEntries only');
    expect(await client.streams.length('t')).toBe(3);
  });

  it('rejects consumer-group commands with a RedisCommandError naming the command', async () => {
    await using client = await createEmbeddedClient().connect();
    const err: unknown = await client.streams.createGroup('s', 'g').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisCommandError);
    expect((err as Error).message).toContain('XGROUP');
  });

  it('closes at the end of an await using scope', async () => {
    let outer: ReturnType<typeof createEmbeddedClient> | undefined;
    {
      await using client = await createEmbeddedClient().connect();
      outer = client;
      expect(outer.status).toBe('ready');
    }
    expect(outer.status).toBe('closed');
  });
});
