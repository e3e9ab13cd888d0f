import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmbeddedServer } from '../../../src/embedded.js';
import type { RedisClient } from '../../../src/client/redis-client.js';
import { ConfigError, InvalidKeyError, ValidationError } from '../../../src/internal/errors.js';
import { PRICE_CACHE_DEFAULTS, PriceCache } from '../../../src/prices/price-cache.js';
import type { PriceInit } from '../../../src/prices/price-data.js';
import { recordingLogger } from '../../harness/cache/context.js';

const FIXTURE = readFileSync(new URL('../../fixtures/wire/prices/AAPL.price-data.json', import.meta.url), 'utf8');

function quote(symbol: string, mid = '150.25', timestamp: string | Date = new Date()): PriceInit {
  return { symbol, bid: '150.24', ask: '150.26', mid, bidSize: 300, askSize: 200, timestamp, exchange: 'V' };
}

describe('PriceCache on the embedded backend', () => {
  let client: RedisClient;

  beforeEach(async () => {
    client = await createEmbeddedServer().createClient().connect();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await client.close();
  });

  it('set writes the canonical PriceData JSON under price:{symbol} with the 300 s default TTL; get reads it back', async () => {
    const prices = new PriceCache(client);
    const init = { ...quote('AAPL'), timestamp: '2025-01-17T14:30:15.123456+00:00' };
    expect(await prices.set(init)).toBe(true);
    expect(await client.get('price:AAPL')).toBe(FIXTURE);
    const ttl = await client.ttl('price:AAPL');
    expect(ttl).toBeGreaterThan(PRICE_CACHE_DEFAULTS.ttlSeconds - 5);
    expect(ttl).toBeLessThanOrEqual(300);
    expect(await prices.get('AAPL')).toMatchObject({ symbol: 'AAPL', mid: '150.25', bid: '150.24', ask: '150.26', nonconforming: [] });
    expect(prices.stats()).toMatchObject({ sets: 1, hits: 1, misses: 0, hitRate: 1 });
    expect(prices.key('AAPL')).toBe('price:AAPL');
  });

  it('ttlSeconds from the options, per write, and 0 for no expiry', async () => {
    const prices = new PriceCache(client, { ttlSeconds: 60 });
    await prices.set(quote('A'));
    expect(await client.ttl('price:A')).toBeLessThanOrEqual(60);
    expect(await client.ttl('price:A')).toBeGreaterThan(55);
    await prices.set(quote('B'), { ttlSeconds: 0 });
    expect(await client.ttl('price:B')).toBe(-1);
    await new PriceCache(client, { ttlSeconds: 0 }).set(quote('C'));
    expect(await client.ttl('price:C')).toBe(-1);
  });

  it('getMany answers in one MGET, as a Map in input order, null for absent, invalid and stale values', async () => {
    const prices = new PriceCache(client);
    await prices.set(quote('AAPL'));
    await prices.set(quote('OLD', '1', new Date(Date.now() - 60_000)));
    // Fresh, so that the mid check (after the age check, as upstream) is what refuses it.
    await client.set('price:BAD', JSON.stringify({ symbol: 'BAD', mid: '0', timestamp: new Date().toISOString() }));
    const mget = vi.spyOn(client, 'mget');
    const get = vi.spyOn(client, 'get');
    const many = await prices.getMany(['NONE', 'AAPL', 'BAD', 'OLD'], { maxAgeMs: 30_000 });
    expect(mget).toHaveBeenCalledTimes(1);
    expect(mget).toHaveBeenCalledWith(['price:NONE', 'price:AAPL', 'price:BAD', 'price:OLD']);
    expect(get).not.toHaveBeenCalled();
    expect([...many.keys()]).toEqual(['NONE', 'AAPL', 'BAD', 'OLD']);
    expect(many.get('AAPL')?.mid).toBe('150.25');
    expect([many.get('NONE'), many.get('BAD'), many.get('OLD')]).toEqual([null, null, null]);
    expect(prices.stats()).toMatchObject({ hits: 1, misses: 3, invalid: 1, stale: 1, errors: 0, hitRate: 0.25 });
  });

  it('getMany of nothing sends nothing', async () => {
    const mget = vi.spyOn(client, 'mget');
    expect((await new PriceCache(client).getMany([])).size).toBe(0);
    expect(mget).not.toHaveBeenCalled();
  });

  it('never deletes a value it refuses: it reads as null, is counted and logged, and stays for other readers', async () => {
    const log = recordingLogger();
    const prices = new PriceCache(client, { logger: log });
    const foreign = ['not json', '{"symbol":"MSFT","mid":"1","timestamp":"2025-01-17T14:30:15+00:00"}', '[1]', '{"symbol":"AAPL","mid":"-1","timestamp":"2025-01-17"}'];
    for (const value of foreign) {
      await client.set('price:AAPL', value);
      expect(await prices.get('AAPL')).toBeNull();
      expect((await prices.getMany(['AAPL'])).get('AAPL')).toBeNull();
      expect(await client.get('price:AAPL')).toBe(value);
    }
    expect(prices.stats()).toMatchObject({ invalid: 8, misses: 8, hits: 0 });
    expect(log.records.filter((r) => r.level === 'warn')).toHaveLength(8);
    expect(log.records[0]).toMatchObject({ level: 'warn', fields: { key: 'price:AAPL', reason: 'not JSON' } });
  });

  it('maxAgeMs from the options, overridden per read; a stale price is logged at debug and left in place', async () => {
    const log = recordingLogger();
    const prices = new PriceCache(client, { maxAgeMs: 30_000, logger: log });
    await prices.set(quote('AAPL', '150.25', new Date(Date.now() - 40_000)));
    expect(await prices.get('AAPL')).toBeNull();
    expect(await prices.get('AAPL', { maxAgeMs: 60_000 })).not.toBeNull();
    expect(await new PriceCache(client).get('AAPL')).not.toBeNull();
    expect(prices.stats()).toMatchObject({ stale: 1, hits: 1, misses: 1, invalid: 0 });
    expect(log.records).toEqual([{ level: 'debug', fields: { key: 'price:AAPL', reason: expect.stringMatching(/ms old, at most 30000 allowed$/) }, msg: 'stale price; read as a miss' }]);
    expect(await client.get('price:AAPL')).not.toBeNull();
  });

  it('reads a value the Python service wrote (the wire vector) exactly', async () => {
    await client.set('price:AAPL', FIXTURE);
    expect(await new PriceCache(client).get('AAPL')).toEqual({
      symbol: 'AAPL',
      mid: '150.25',
      bid: '150.24',
      ask: '150.26',
      bidSize: 300,
      askSize: 200,
      timestamp: '2025-01-17T14:30:15.123456+00:00',
      timestampMs: Date.parse('2025-01-17T14:30:15.123Z'),
      exchange: 'V',
      nonconforming: [],
    });
  });

  it('fails open once the client is closed: reads are null, writes false, errors counted and logged', async () => {
    const log = recordingLogger();
    const prices = new PriceCache(client, { logger: log });
    await client.close();
    expect(await prices.get('AAPL')).toBeNull();
    expect([...(await prices.getMany(['A', 'B'])).values()]).toEqual([null, null]);
    expect(await prices.set(quote('A'))).toBe(false);
    expect(prices.stats()).toMatchObject({ errors: 3, misses: 3, hits: 0, sets: 0, hitRate: 0 });
    expect(log.records.map((r) => r.msg)).toEqual(['price read failed; treating as a miss', 'price read failed; treating as a miss', 'price write failed']);
    prices.resetStats();
    expect(prices.stats()).toEqual({ hits: 0, misses: 0, invalid: 0, stale: 0, errors: 0, sets: 0, hitRate: 0 });
  });

  it('refuses bad symbols, fields and per-call options before anything is sent', async () => {
    const prices = new PriceCache(client);
    const mget = vi.spyOn(client, 'mget');
    const get = vi.spyOn(client, 'get');
    const set = vi.spyOn(client, 'set');
    await expect(prices.get('A:B')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(prices.getMany(['AAPL', 'A B'])).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(prices.set(quote('A*'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(prices.set({ ...quote('A'), mid: 150.25 as unknown as string })).rejects.toMatchObject({ issues: [{ path: 'mid' }] });
    for (const maxAgeMs of [-1, 1.5, Number.NaN]) {
      await expect(prices.get('A', { maxAgeMs })).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'maxAgeMs' }] });
      await expect(prices.getMany(['A'], { maxAgeMs })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(prices.set(quote('A'), { ttlSeconds: -1 })).rejects.toMatchObject({ issues: [{ path: 'ttlSeconds' }] });
    expect(mget).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
    expect(set).not.toHaveBeenCalled();
  });

  it('refuses bad constructor options with a ConfigError naming the option', () => {
    expect(() => new PriceCache(client, { ttlSeconds: -1 })).toThrow(ConfigError);
    expect(() => new PriceCache(client, { ttlSeconds: 1.5 })).toThrow(/ttlSeconds/);
    expect(() => new PriceCache(client, { maxAgeMs: -5 })).toThrow(/maxAgeMs/);
    expect(Object.isFrozen(PRICE_CACHE_DEFAULTS)).toBe(true);
  });
});
