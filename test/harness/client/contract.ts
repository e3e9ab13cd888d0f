/**
 * The behavioural contract every `RedisClient` backend must honour, run against the embedded
 * (ioredis-mock) backend by a unit test and against a real redis-server by an integration
 * test. Only behaviour both backends support belongs here; backend-specific behaviour (faults,
 * consumer groups, RESP versions) is tested next to the backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisClosedError, type RedisClient } from '../../../src/index.js';
import { keygen, waitFor, type KeyGen } from '../index.js';

/** Makes a new, unconnected client; every client it makes must reach the same data. */
export type ClientMaker = () => RedisClient | Promise<RedisClient>;

/**
 * Declares the contract suite for one backend. `makeClient` returns an unconnected client;
 * the suite connects it, uses `duplicate()` for a second connection to the same server (pub/sub),
 * and closes everything it opened after each test.
 */
export function describeClientContract(name: string, makeClient: ClientMaker): void {
  describe(`RedisClient contract: ${name}`, () => {
    let client: RedisClient;
    let keys: KeyGen;
    const opened: RedisClient[] = [];

    const open = async (c: RedisClient): Promise<RedisClient> => {
      opened.push(c);
      return c.connect();
    };

    beforeEach(async () => {
      keys = keygen('contract');
      client = await open(await makeClient());
    });

    afterEach(async () => {
      if (client.isReady) {
        const own: string[] = [];
        for await (const key of client.scan({ match: keys.pattern })) own.push(key);
        await client.del(own);
      }
      await Promise.all(opened.splice(0).map((c) => c.close()));
    });

    it('is ready after connect and reports its status', () => {
      expect(client.status).toBe('ready');
      expect(client.isReady).toBe(true);
    });

    it('sets and gets strings, and gets null for a missing key', async () => {
      const key = keys.key('greeting');
      await client.set(key, 'héllo wörld');
      expect(await client.get(key)).toBe('héllo wörld');
      expect(await client.get(keys.key('missing'))).toBeNull();
    });

    it('round-trips binary values through getBuffer', async () => {
      const key = keys.key('bin');
      const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80]);
      await client.set(key, bytes);
      expect(await client.getBuffer(key)).toEqual(bytes);
      expect(await client.getBuffer(keys.key('missing'))).toBeNull();
    });

    it('sets a TTL with ttlSeconds, and reports -1 without expiry and -2 when missing', async () => {
      const withTtl = keys.key('ttl');
      const without = keys.key('forever');
      await client.set(withTtl, 'v', { ttlSeconds: 100 });
      await client.set(without, 'v');
      const ttl = await client.ttl(withTtl);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(100);
      expect(await client.ttl(without)).toBe(-1);
      expect(await client.ttl(keys.key('missing'))).toBe(-2);
    });

    it('expires an existing key and reports false for a missing one', async () => {
      const key = keys.key('exp');
      await client.set(key, 'v');
      expect(await client.expire(key, 50)).toBe(true);
      const ttl = await client.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(50);
      expect(await client.expire(keys.key('missing'), 50)).toBe(false);
    });

    it('mgets in key order with nulls for missing keys, and [] for no keys', async () => {
      const [a, b, c] = [keys.key('a'), keys.key('b'), keys.key('c')];
      await client.setMany([
        { key: a, value: '1' },
        { key: c, value: '3', ttlSeconds: 60 },
      ]);
      expect(await client.mget([a, b, c])).toEqual(['1', null, '3']);
      expect(await client.mget([])).toEqual([]);
      expect(await client.mgetBuffer([c, b])).toEqual([Buffer.from('3'), null]);
    });

    it('deletes and unlinks, counting only existing keys', async () => {
      const [a, b, c] = [keys.key('a'), keys.key('b'), keys.key('c')];
      await client.setMany([a, b, c].map((key) => ({ key, value: 'x' })));
      expect(await client.del([a, keys.key('missing')])).toBe(1);
      expect(await client.unlink([b, c, keys.key('missing')])).toBe(2);
      expect(await client.mget([a, b, c])).toEqual([null, null, null]);
      expect(await client.del()).toBe(0);
      expect(await client.unlink([])).toBe(0);
    });

    it('scans every key matching a pattern, and none of the others', async () => {
      const mine = Array.from({ length: 230 }, (_, i) => keys.key(`scan:${i}`));
      const other = keygen('contract-other');
      await client.setMany([...mine.map((key) => ({ key, value: '1' })), { key: other.key('x'), value: '1' }]);
      const seen = new Set<string>();
      for await (const key of client.scan({ match: `${keys.prefix}:scan:*`, count: 40 })) seen.add(key);
      expect([...seen].sort()).toEqual([...mine].sort());
      await client.del([other.key('x')]);
    });

    it('answers ping with a round-trip time and healthCheck with true', async () => {
      const rtt = await client.ping();
      expect(Number.isFinite(rtt)).toBe(true);
      expect(rtt).toBeGreaterThanOrEqual(0);
      expect(await client.healthCheck()).toBe(true);
    });

    it('parses INFO into fields', async () => {
      const info = await client.info('server');
      expect(info['redis_version']).toMatch(/^\d+\.\d+/);
      expect(Object.keys(info).some((k) => k.startsWith('#'))).toBe(false);
    });

    it('delivers a publish to a subscriber on a duplicate connection, with the receiver count', async () => {
      const subscriber = await open(client.duplicate());
      const channel = keys.key('chan');
      const received: Array<[string, string]> = [];
      await subscriber.subscribe([channel], (message, ch) => received.push([message, ch]));
      expect(await client.publish(channel, 'one')).toBe(1);
      expect(await client.publish(channel, 'two')).toBe(1);
      await waitFor(() => received.length >= 2, { timeoutMs: 5000, description: 'two messages' });
      expect(received).toEqual([
        ['one', channel],
        ['two', channel],
      ]);
      await subscriber.unsubscribe([channel]);
      expect(await client.publish(channel, 'three')).toBe(0);
    });

    it('delivers pattern messages with the pattern', async () => {
      const subscriber = await open(client.duplicate());
      const pattern = `${keys.prefix}:p:*`;
      const received: Array<[string, string, string | undefined]> = [];
      await subscriber.psubscribe([pattern], (message, ch, pat) => received.push([message, ch, pat]));
      expect(await client.publish(`${keys.prefix}:p:1`, 'hi')).toBe(1);
      await waitFor(() => received.length >= 1, { timeoutMs: 5000, description: 'pattern message' });
      expect(received[0]?.[0]).toBe('hi');
      expect(received[0]?.[1]).toBe(`${keys.prefix}:p:1`);
      await subscriber.punsubscribe([pattern]);
    });

    it('closes: status closed, calls reject with RedisClosedError, healthCheck false', async () => {
      const events: string[] = [];
      client.on('close', () => events.push('close'));
      await client.close();
      expect(client.status).toBe('closed');
      expect(client.isReady).toBe(false);
      expect(events).toEqual(['close']);
      await expect(client.get(keys.key('k'))).rejects.toBeInstanceOf(RedisClosedError);
      expect(await client.healthCheck()).toBe(false);
      await client.close();
      expect(events).toEqual(['close']);
    });
  });
}
