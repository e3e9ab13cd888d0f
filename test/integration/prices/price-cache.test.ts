import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceCache, RedisClient, RedisKeys, ValidationError, type CachedPrice, type PriceInit } from '../../../src/index.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { callDelta, commandCalls, getRaw, plainClient, type PlainClient } from '../../harness/cache/helpers.js';

/** The exact bytes the Python market-data service stores under price:AAPL (model_dump_json()). */
const PYTHON_BYTES = readFileSync(new URL('../../fixtures/wire/prices/AAPL.price-data.json', import.meta.url));
const PYTHON_FIELDS: PriceInit = {
  symbol: 'AAPL',
  bid: '150.24',
  ask: '150.26',
  mid: '150.25',
  bidSize: 300,
  askSize: 200,
  timestamp: '2025-01-17T14:30:15.123456+00:00',
  exchange: 'V',
};

const WIRE_KEYS = ['symbol', 'bid', 'ask', 'mid', 'bid_size', 'ask_size', 'timestamp', 'exchange'];
const CANONICAL_DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d+)?$|^\d(?:\.\d+)?E[+-]\d+$/;
const AWARE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A strict reader of what the SDK wrote, independent of the SDK's own parser: exactly the
 * PriceData keys in model order, Decimals as canonical non-negative strings, integer sizes,
 * an aware timestamp, a string or null exchange.
 */
function expectStrictPriceData(bytes: Buffer | null, symbol: string): Record<string, unknown> {
  expect(bytes).not.toBeNull();
  const text = (bytes as Buffer).toString('utf8');
  expect(text).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/); // compact: no whitespace outside strings
  const data = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(data)).toEqual(WIRE_KEYS);
  expect(data.symbol).toBe(symbol);
  for (const field of ['bid', 'ask', 'mid']) expect(data[field], field).toMatch(CANONICAL_DECIMAL);
  for (const field of ['bid_size', 'ask_size']) expect(Number.isSafeInteger(data[field]) && (data[field] as number) >= 0, field).toBe(true);
  expect(data.timestamp).toMatch(AWARE_TIMESTAMP);
  expect(data.exchange === null || typeof data.exchange === 'string').toBe(true);
  return data;
}

describe('PriceCache on real Redis, sharing price:{symbol} with a Python-shaped writer', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  let python: PlainClient;

  beforeAll(async () => {
    client = await RedisClient.connect({ url: redis.url, commandTimeoutMs: 500, retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 20 }, reconnect: { baseDelayMs: 20, maxDelayMs: 200 } });
    python = await plainClient(redis.url);
  });
  afterAll(async () => {
    await client.close();
    await python.close();
  });

  it('reads the bytes the Python service wrote, every field exact, decimals as text', async () => {
    await python.set('price:AAPL', PYTHON_BYTES, { EX: 300 });
    const prices = new PriceCache(client);
    const expected: CachedPrice = {
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
    };
    expect(await prices.get('AAPL')).toEqual(expected);
    expect((await prices.getMany(['MSFT', 'AAPL'])).get('AAPL')).toEqual(expected);
    expect(prices.stats()).toMatchObject({ hits: 2, misses: 1, invalid: 0 });
  });

  it('writes the same bytes Python writes for the same quote, with the upstream 300 s TTL', async () => {
    await python.del('price:AAPL');
    expect(await new PriceCache(client).set(PYTHON_FIELDS)).toBe(true);
    const written = await getRaw(python, 'price:AAPL');
    expect(written?.equals(PYTHON_BYTES)).toBe(true);
    const ttl = await python.ttl('price:AAPL');
    expect(ttl).toBeGreaterThan(295);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('what the SDK writes passes a strict PriceData check, read back raw', async () => {
    const prices = new PriceCache(client, { ttlSeconds: 60 });
    await prices.set({ symbol: 'BRK.B', bid: '0412.10', ask: '412.3', mid: '4.122e2', timestamp: new Date('2025-01-17T14:30:15.5Z') });
    const data = expectStrictPriceData(await getRaw(python, 'price:BRK.B'), 'BRK.B');
    expect(data).toEqual({ symbol: 'BRK.B', bid: '412.10', ask: '412.3', mid: '412.2', bid_size: 0, ask_size: 0, timestamp: '2025-01-17T14:30:15.500000+00:00', exchange: null });
    expect(await python.ttl('price:BRK.B')).toBeLessThanOrEqual(60);
    await expect(prices.set({ symbol: 'BRK.B', bid: '1', ask: '1', mid: '0', timestamp: new Date() })).rejects.toBeInstanceOf(ValidationError);
    expect(JSON.parse((await python.get('price:BRK.B')) ?? '{}').mid).toBe('412.2');
  });

  it('getMany of 500 symbols is one MGET, answers in input order', async () => {
    const symbols = Array.from({ length: 500 }, (_, i) => `S${i}`);
    const prices = new PriceCache(client, { ttlSeconds: 60 });
    const now = new Date();
    for (const symbol of symbols.filter((_, i) => i % 2 === 0)) await prices.set({ ...PYTHON_FIELDS, symbol, timestamp: now });
    const before = await commandCalls(redis.server);
    const many = await prices.getMany(symbols, { maxAgeMs: 60_000 });
    expect(callDelta(before, await commandCalls(redis.server))).toEqual({ mget: 1 });
    expect([...many.keys()]).toEqual(symbols);
    expect(symbols.map((s) => many.get(s) !== null)).toEqual(symbols.map((_, i) => i % 2 === 0));
    expect(many.get('S498')?.mid).toBe('150.25');
  });

  it('leaves every value it refuses in Redis, for the writers and readers that can use it', async () => {
    const foreign: Record<string, string> = {
      'price:F1': 'not json',
      'price:F2': '{"symbol":"OTHER","mid":"1","timestamp":"2025-01-17T14:30:15+00:00"}',
      // Fresh, so the zero mid (checked after the age, as upstream) is what refuses it.
      'price:F3': JSON.stringify({ symbol: 'F3', mid: '0', timestamp: new Date().toISOString() }),
      'price:F4': '{"symbol":"F4","mid":"1","timestamp":"2999-01-01T00:00:00+00:00"}',
      'price:F5': '{"symbol":"F5","mid":"1","timestamp":"2020-01-01T00:00:00+00:00"}',
    };
    for (const [key, value] of Object.entries(foreign)) await python.set(key, value);
    const prices = new PriceCache(client);
    const before = await commandCalls(redis.server);
    const many = await prices.getMany(['F1', 'F2', 'F3', 'F4', 'F5'], { maxAgeMs: 60_000 });
    expect([...many.values()]).toEqual([null, null, null, null, null]);
    expect(prices.stats()).toMatchObject({ invalid: 4, stale: 1, misses: 5 });
    expect(callDelta(before, await commandCalls(redis.server))).toEqual({ mget: 1 });
    for (const [key, value] of Object.entries(foreign)) expect(await python.get(key)).toBe(value);
    // Without an age limit the old price is a hit: staleness is the reader's choice, as upstream.
    expect((await prices.get('F5'))?.timestamp).toBe('2020-01-01T00:00:00+00:00');
  });

  it('a price expires with its TTL', async () => {
    const prices = new PriceCache(client, { ttlSeconds: 1 });
    await prices.set({ ...PYTHON_FIELDS, symbol: 'TTL', timestamp: new Date() });
    expect(await prices.get('TTL')).not.toBeNull();
    await waitFor(async () => (await prices.get('TTL')) === null, { timeoutMs: 5000, description: 'price:TTL expired' });
  });

  it('fails open while the server is down and works again after the restart', async () => {
    const prices = new PriceCache(client);
    await prices.set({ ...PYTHON_FIELDS, symbol: 'DOWN', timestamp: new Date() });
    await redis.server.kill();
    try {
      prices.resetStats();
      const outcomes = await Promise.allSettled([prices.get('DOWN'), prices.getMany(['DOWN', 'X']), prices.set({ ...PYTHON_FIELDS, symbol: 'DOWN', timestamp: new Date() })]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const [get, many, set] = outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value);
      expect(get).toBeNull();
      expect([...(many as Map<string, unknown>).values()]).toEqual([null, null]);
      expect(set).toBe(false);
      expect(prices.stats()).toMatchObject({ errors: 3, misses: 3, hits: 0 });
    } finally {
      await redis.server.restart();
    }
    await waitFor(() => client.isReady, { timeoutMs: 20_000, description: 'client reconnected' });
    expect(await prices.set({ ...PYTHON_FIELDS, symbol: 'DOWN', timestamp: new Date() })).toBe(true);
    expect((await prices.get('DOWN'))?.symbol).toBe('DOWN');
    expect(RedisKeys.price('DOWN')).toBe('price:DOWN');
  });
});
