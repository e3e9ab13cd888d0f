import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisClient, RedisCommandError } from '../../../src/index.js';
import { keygen, waitFor } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

describe('RedisClient commands against real Redis', () => {
  let client: RedisClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: inject('redisUrl') });
  });

  afterAll(async () => {
    await client.close();
  });

  it('scans 2,000 keys with MATCH across many pages, each exactly once, ignoring other keys', async () => {
    const keys = keygen('scan');
    const mine = Array.from({ length: 2000 }, (_, i) => keys.key(`m:${i}`));
    const noise = Array.from({ length: 50 }, (_, i) => keys.key(`n:${i}`));
    await client.setMany([...mine, ...noise].map((key) => ({ key, value: '1', ttlSeconds: 120 })));
    const seen: string[] = [];
    for await (const key of client.scan({ match: `${keys.prefix}:m:*`, count: 100 })) seen.push(key);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(mine.sort());
    expect(await client.unlink([...mine, ...noise])).toBe(2050);
  });

  it('parses INFO for all sections and for one', async () => {
    const all = await client.info();
    expect(all['redis_version']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(all['connected_clients']).toMatch(/^\d+$/);
    const memory = await client.info('memory');
    expect(memory['used_memory']).toMatch(/^\d+$/);
    expect(memory['redis_version']).toBeUndefined();
  });

  it('pings with a non-negative round trip', async () => {
    const rtt = await client.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(client.commandTimeoutMs);
  });

  it('maps an error reply to RedisCommandError and keeps the connection usable', async () => {
    const key = keygen('wrongtype').key();
    await client.command(['LPUSH', key, 'x']);
    const err: unknown = await client.get(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisCommandError);
    expect((err as Error).message).toContain('WRONGTYPE');
    expect(await client.del([key])).toBe(1);
  });

  it('duplicate() is an independent connection: subscribe on it, publish from the main one', async () => {
    const subscriber = await client.duplicate().connect();
    try {
      const id = (c: RedisClient): Promise<unknown> => c.command(['CLIENT', 'ID'], { idempotent: true });
      expect(await id(subscriber)).not.toEqual(await id(client));
      const channel = keygen('dup').key('chan');
      const received: string[] = [];
      await subscriber.subscribe([channel], (m) => received.push(m));
      expect(await client.publish(channel, 'hello')).toBe(1);
      await waitFor(() => received.length === 1, { timeoutMs: 5000, description: 'message on duplicate' });
      expect(received).toEqual(['hello']);
      // The main connection is not in subscriber mode: ordinary commands still work.
      expect(await client.healthCheck()).toBe(true);
      await subscriber.close();
      expect(client.isReady).toBe(true);
    } finally {
      await subscriber.close();
    }
  });

  it('streams: add, createGroup true then false, readGroup, pending, autoClaim, ack, range, length', async () => {
    const stream = keygen('stream').key('s');
    const s = client.streams;
    expect(await s.createGroup(stream, 'g', '0')).toBe(true);
    expect(await s.createGroup(stream, 'g', '0')).toBe(false);
    const id1 = await s.add(stream, { symbol: 'AAPL', price: '1.5' });
    const id2 = await s.add(stream, { symbol: 'MSFT', price: '2.5' });
    expect(await s.length(stream)).toBe(2);
    expect(await s.range(stream)).toEqual([
      { id: id1, fields: { symbol: 'AAPL', price: '1.5' } },
      { id: id2, fields: { symbol: 'MSFT', price: '2.5' } },
    ]);
    const read = await s.readGroup('g', 'c1', [{ key: stream, id: '>' }], { count: 10 });
    expect(read).toEqual([{ stream, entries: [{ id: id1, fields: { symbol: 'AAPL', price: '1.5' } }, { id: id2, fields: { symbol: 'MSFT', price: '2.5' } }] }]);
    expect(await s.readGroup('g', 'c1', [{ key: stream, id: '>' }], { count: 10 })).toEqual([]);
    const pending = await s.pending(stream, 'g');
    expect(pending.map((p) => [p.id, p.consumer, p.deliveries])).toEqual([
      [id1, 'c1', 1],
      [id2, 'c1', 1],
    ]);
    const claimed = await s.autoClaim(stream, 'g', 'c2', 0, '0-0', 1);
    expect(claimed.entries).toEqual([{ id: id1, fields: { symbol: 'AAPL', price: '1.5' } }]);
    expect(claimed.nextId).toBe(id2);
    expect(claimed.deletedIds).toEqual([]);
    expect((await s.pending(stream, 'g', { consumer: 'c2' })).map((p) => [p.id, p.deliveries])).toEqual([[id1, 2]]);
    expect(await s.ack(stream, 'g', [id1, id2])).toBe(2);
    expect(await s.ack(stream, 'g', [])).toBe(0);
    expect(await s.pending(stream, 'g')).toEqual([]);
    await client.del([stream]);
  });

  it('a blocking readGroup on a duplicate is woken by an entry added while it blocks', async () => {
    const stream = keygen('block').key('s');
    await client.streams.createGroup(stream, 'g', '$');
    const reader = await client.duplicate({ commandTimeoutMs: 300, socketTimeoutMs: 10_000, ping: false }).connect();
    try {
      const pending = reader.streams.readGroup('g', 'c', [{ key: stream, id: '>' }], { count: 1, blockMs: 5000 });
      await waitFor(async () => ((await client.info('clients'))['blocked_clients'] ?? '0') !== '0', { timeoutMs: 5000, description: 'reader blocked' });
      const id = await client.streams.add(stream, { n: '1' });
      expect(await pending).toEqual([{ stream, entries: [{ id, fields: { n: '1' } }] }]);
    } finally {
      await reader.close();
      await client.del([stream]);
    }
  });
});

describe.each([2, 3] as const)('RedisClient.fromNodeRedis with RESP %i', (resp) => {
  const raw = createClient({ url: inject('redisUrl'), RESP: resp });
  let client: RedisClient;

  beforeAll(async () => {
    await raw.connect();
    client = RedisClient.fromNodeRedis(raw);
  });

  afterAll(async () => {
    await client.close();
    expect(raw.isOpen).toBe(false);
  });

  it('is ready at once and exposes the wrapped client', () => {
    expect(client.status).toBe('ready');
    expect(client.raw).toBe(raw);
  });

  it('get, set, mget, getBuffer and scan return plain values', async () => {
    const keys = keygen(`resp${resp}`);
    const [a, b] = [keys.key('a'), keys.key('b')];
    await client.set(a, 'alpha', { ttlSeconds: 60 });
    await client.set(b, Buffer.from([0xff, 0x00]));
    expect(await client.get(a)).toBe('alpha');
    expect(await client.getBuffer(b)).toEqual(Buffer.from([0xff, 0x00]));
    expect(await client.mget([a, keys.key('none')])).toEqual(['alpha', null]);
    const seen: string[] = [];
    for await (const key of client.scan({ match: keys.pattern })) seen.push(key);
    expect(seen.sort()).toEqual([a, b]);
    expect(await client.del([a, b])).toBe(2);
  });

  it('streams normalise RESP replies', async () => {
    const stream = keygen(`resp${resp}-stream`).key();
    expect(await client.streams.createGroup(stream, 'g')).toBe(true);
    const id = await client.streams.add(stream, { k: 'v' });
    const batches = await client.streams.readGroup('g', 'c', [{ key: stream, id: '>' }], { count: 5 });
    expect(batches).toEqual([{ stream, entries: [{ id, fields: { k: 'v' } }] }]);
    expect((await client.streams.pending(stream, 'g')).map((p) => p.id)).toEqual([id]);
    const claimed = await client.streams.autoClaim(stream, 'g', 'c2', 0);
    expect(claimed.entries.map((e) => e.id)).toEqual([id]);
    expect(await client.streams.ack(stream, 'g', [id])).toBe(1);
    expect(await client.streams.range(stream)).toEqual([{ id, fields: { k: 'v' } }]);
    await client.del([stream]);
  });
});
