import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidKeyError, ValidationError } from '../../../src/internal/errors.js';
import { encodePriceData, FUTURE_TOLERANCE_MS, readPriceData } from '../../../src/prices/price-data.js';
import type { CachedPrice, PriceInit, PriceRejection } from '../../../src/prices/price-data.js';

const FIXTURE = readFileSync(new URL('../../fixtures/wire/prices/AAPL.price-data.json', import.meta.url), 'utf8');
const NOW = Date.parse('2025-01-17T14:31:00Z');
const TS = '2025-01-17T14:30:15+00:00';

function accepted(raw: string, maxAgeMs?: number, now = NOW): CachedPrice {
  const read = readPriceData(raw, 'AAPL', now, maxAgeMs);
  if (!('symbol' in read)) throw new Error(`refused: ${read.reason}`);
  return read;
}

function refused(raw: string, maxAgeMs?: number, now = NOW): PriceRejection {
  const read = readPriceData(raw, 'AAPL', now, maxAgeMs);
  if ('symbol' in read) throw new Error(`accepted ${raw}`);
  return read;
}

const price = (fields: Record<string, unknown>): string => JSON.stringify({ symbol: 'AAPL', mid: '1', timestamp: TS, ...fields });

describe('encodePriceData writes what Pydantic model_dump_json() writes, byte for byte', () => {
  it('reproduces the Python market-data service vector (test/fixtures/wire/prices/AAPL.price-data.json)', () => {
    const init: PriceInit = {
      symbol: 'AAPL',
      bid: '150.24',
      ask: '150.26',
      mid: '150.25',
      bidSize: 300,
      askSize: 200,
      timestamp: '2025-01-17T14:30:15.123456+00:00',
      exchange: 'V',
    };
    expect(encodePriceData(init)).toBe(FIXTURE);
    expect(Buffer.from(encodePriceData(init), 'utf8').equals(readFileSync(new URL('../../fixtures/wire/prices/AAPL.price-data.json', import.meta.url)))).toBe(true);
  });

  // Expected bytes written down from PriceData(**fields).model_dump_json() (Pydantic 2.13).
  it.each([
    [
      { symbol: 'MSFT', bid: '0410.50', ask: '410.6', mid: '1e2', timestamp: '2025-01-17T14:30:16+00:00' },
      '{"symbol":"MSFT","bid":"410.50","ask":"410.6","mid":"1E+2","bid_size":0,"ask_size":0,"timestamp":"2025-01-17T14:30:16+00:00","exchange":null}',
    ],
    [
      { symbol: 'BRK.B', bid: '0.0000001', ask: '0.000001', mid: '0.00050', bidSize: 0, askSize: 12345678901, timestamp: '2025-01-17T09:30:00.5-05:00', exchange: 'NYSE\u00e9\u0001"/' },
      '{"symbol":"BRK.B","bid":"1E-7","ask":"0.000001","mid":"0.00050","bid_size":0,"ask_size":12345678901,"timestamp":"2025-01-17T09:30:00.5-05:00","exchange":"NYSE\u00e9\\u0001\\"/"}',
    ],
    [
      { symbol: 'X', bid: '1.', ask: '.5', mid: '1.5E3', timestamp: '2025-01-17T14:30:15Z', exchange: '' },
      '{"symbol":"X","bid":"1","ask":"0.5","mid":"1.5E+3","bid_size":0,"ask_size":0,"timestamp":"2025-01-17T14:30:15Z","exchange":""}',
    ],
  ] as Array<[PriceInit, string]>)('%#', (init, expected) => {
    expect(encodePriceData(init)).toBe(expected);
  });

  it('writes a Date as Python datetime.isoformat() writes an aware UTC datetime', () => {
    const at = (iso: string): string => JSON.parse(encodePriceData({ symbol: 'A', bid: '1', ask: '1', mid: '1', timestamp: new Date(iso) })).timestamp;
    expect(at('2025-01-17T14:30:15.000Z')).toBe('2025-01-17T14:30:15+00:00');
    expect(at('2025-01-17T14:30:15.123Z')).toBe('2025-01-17T14:30:15.123000+00:00');
    expect(at('0001-01-01T00:00:00.000Z')).toBe('0001-01-01T00:00:00+00:00');
  });

  it('refuses a bad symbol with InvalidKeyError before looking at the rest', () => {
    expect(() => encodePriceData({ symbol: 'A:B', bid: '1', ask: '1', mid: '1', timestamp: TS })).toThrow(InvalidKeyError);
  });

  it('refuses every bad field at once, each named by its wire name', () => {
    let error: unknown;
    try {
      encodePriceData({
        symbol: 'AAPL',
        bid: 150.24 as unknown as string,
        ask: '-1',
        mid: '0.00',
        bidSize: 1.5,
        askSize: -1,
        timestamp: '2025-01-17T14:30:15',
        exchange: 'A\uD800',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual(['bid', 'ask', 'mid', 'bid_size', 'ask_size', 'timestamp', 'exchange']);
    expect(issues[0]?.message).toMatch(/decimal string >= 0.*the number 150.24/);
    expect(issues[2]?.message).toMatch(/> 0/);
    expect(issues[5]?.message).toMatch(/naive/);
    expect((error as ValidationError).message).toMatch(/^Invalid PriceData: bid: /);
  });

  it.each([
    ['bid', ' 1'],
    ['bid', '1_000'],
    ['ask', 'NaN'],
    ['ask', 'Infinity'],
    ['mid', ''],
    ['mid', '0E+5'],
  ] as const)('refuses %s %j', (field, value) => {
    expect(() => encodePriceData({ symbol: 'A', bid: '1', ask: '1', mid: '1', timestamp: TS, [field]: value })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: field })] }),
    );
  });

  it('refuses an invalid Date and a timestamp of another type', () => {
    for (const timestamp of [new Date(Number.NaN), new Date('+010000-01-01T00:00:00Z'), 1737124215 as unknown as string]) {
      expect(() => encodePriceData({ symbol: 'A', bid: '1', ask: '1', mid: '1', timestamp })).toThrow(
        expect.objectContaining({ issues: [expect.objectContaining({ path: 'timestamp' })] }),
      );
    }
  });
});

// Each verdict written down from upstream parse_redis_price_json(raw, expected_symbol="AAPL")
// (libs/data/market_data/types.py), run with Python 3.11.
describe('readPriceData accepts and refuses what parse_redis_price_json does', () => {
  it('reads the fixture: every field, exact decimal text, conforming', () => {
    expect(accepted(FIXTURE)).toEqual({
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

  it.each([
    ['the upstream docstring example', '{"symbol":"AAPL","mid":"150.00","timestamp":"2026-04-06T10:00:00+00:00"}', Date.parse('2026-04-06T10:00:00Z')],
    ['mid as a JSON number', price({ mid: 150.25 }), undefined],
    ['mid as a JSON integer', price({ mid: 150 }), undefined],
    ['mid with spaces and underscores', price({ mid: ' 1_50.25 ' }), undefined],
    ['a naive timestamp (read as UTC)', price({ timestamp: '2025-01-17T14:30:15' }), undefined],
    ['a date-only timestamp', price({ timestamp: '2025-01-17' }), undefined],
    ['a Z timestamp', price({ timestamp: '2025-01-17T14:30:15Z' }), undefined],
    ['a basic-format timestamp', price({ timestamp: '20250117T143015' }), undefined],
    ['an integer timestamp Python reads as a basic date', price({ timestamp: 20250117 }), undefined],
    ['bid, ask and sizes that no check looks at', price({ bid: 'abc', ask: -5, bid_size: 'x' }), undefined],
    ['unknown extra fields', price({ venue: 'X' }), undefined],
    ['a NaN token in another field (json.loads reads it)', '{"symbol":"AAPL","mid":"1","bid":NaN,"timestamp":"2025-01-17T14:30:15+00:00"}', undefined],
  ])('accepts %s', (_name, raw, now) => {
    expect(accepted(raw, undefined, now ?? NOW).symbol).toBe('AAPL');
  });

  it.each([
    ['mid "0"', price({ mid: '0' }), /mid/],
    ['mid "-0.0"', price({ mid: '-0.0' }), /mid/],
    ['mid "-1"', price({ mid: '-1' }), /mid/],
    ['mid "NaN"', price({ mid: 'NaN' }), /mid/],
    ['mid "Infinity"', price({ mid: 'Infinity' }), /mid/],
    ['mid NaN token', '{"symbol":"AAPL","mid":NaN,"timestamp":"2025-01-17T14:30:15+00:00"}', /mid/],
    ['mid "abc"', price({ mid: 'abc' }), /mid/],
    ['mid true', price({ mid: true }), /mid/],
    ['mid [1]', price({ mid: [1] }), /mid/],
    ['mid null', price({ mid: null }), /mid missing/],
    ['no mid', JSON.stringify({ symbol: 'AAPL', timestamp: TS }), /mid missing/],
    ['no symbol', JSON.stringify({ mid: '1', timestamp: TS }), /symbol missing/],
    ['symbol null', price({ symbol: null }), /symbol missing/],
    ['another symbol', price({ symbol: 'MSFT' }), /"MSFT" does not match/],
    ['a lowercase symbol', price({ symbol: 'aapl' }), /does not match/],
    ['a numeric symbol', price({ symbol: 1 }), /does not match/],
    ['no timestamp', JSON.stringify({ symbol: 'AAPL', mid: '1' }), /timestamp missing/],
    ['timestamp null', price({ timestamp: null }), /timestamp missing/],
    ['an epoch-seconds timestamp', price({ timestamp: 1737124215 }), /ISO 8601/],
    ['timestamp "yesterday"', price({ timestamp: 'yesterday' }), /ISO 8601/],
    ['timestamp true', price({ timestamp: true }), /ISO 8601/],
    ['text that is not JSON', 'not json', /not JSON/],
    ['a JSON list', '[1,2]', /not a JSON object/],
    ['a JSON string', '"AAPL"', /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
    ['a JSON number', '5', /not a JSON object/],
  ])('refuses %s as invalid', (_name, raw, reason) => {
    const read = refused(raw);
    expect(read.kind).toBe('invalid');
    expect(read.reason).toMatch(reason);
  });

  it('refuses a timestamp more than 5 s ahead (clock skew allowed), whatever maxAgeMs says', () => {
    const ahead = (ms: number): string => price({ timestamp: new Date(NOW + ms).toISOString() });
    expect(refused(ahead(3_600_000)).reason).toMatch(/in the future/);
    expect(refused(ahead(FUTURE_TOLERANCE_MS + 1)).kind).toBe('invalid');
    expect(accepted(ahead(FUTURE_TOLERANCE_MS)).symbol).toBe('AAPL');
    expect(accepted(ahead(3000), 0).symbol).toBe('AAPL');
  });

  it('refuses as stale a price older than maxAgeMs, checked before mid as upstream does', () => {
    const old = price({ timestamp: new Date(NOW - 40_000).toISOString() });
    expect(refused(old, 30_000)).toEqual({ kind: 'stale', reason: '40000 ms old, at most 30000 allowed' });
    expect(accepted(old, 60_000).symbol).toBe('AAPL');
    expect(accepted(old, 40_000).symbol).toBe('AAPL');
    expect(refused(price({ timestamp: new Date(NOW - 40_000).toISOString(), mid: '0' }), 30_000).kind).toBe('stale');
  });
});

describe('readPriceData reports what it found, never converting decimals to floats', () => {
  it('keeps decimal text as stored and lists the fields set() would have written otherwise', () => {
    const read = accepted(price({ mid: ' 1_50.25 ', bid: '0150.240', ask: 150.26, bid_size: 300.5, ask_size: -1, timestamp: '2025-01-17T14:30:15', exchange: 7 }));
    expect(read).toMatchObject({ mid: ' 1_50.25 ', bid: '0150.240', ask: '150.26', bidSize: null, askSize: null, exchange: null, timestamp: '2025-01-17T14:30:15' });
    expect(read.nonconforming).toEqual(['mid', 'bid', 'ask', 'bid_size', 'ask_size', 'timestamp', 'exchange']);
  });

  it('keeps 30 significant digits exactly', () => {
    expect(accepted(price({ mid: '123456789012345678901234567890.5' })).mid).toBe('123456789012345678901234567890.5');
  });

  it('reads absent sizes as the model default 0 and absent bid, ask, exchange as null', () => {
    const read = accepted(price({}));
    expect(read).toMatchObject({ bid: null, ask: null, bidSize: 0, askSize: 0, exchange: null });
    expect(read.nonconforming).toEqual(['bid', 'ask']);
  });

  it('reads a bid or ask that is not a decimal >= 0 as null, keeps -0 (>= 0 for Python)', () => {
    expect(accepted(price({ bid: '-1', ask: 'abc' }))).toMatchObject({ bid: null, ask: null });
    expect(accepted(price({ bid: '-0', ask: '0' }))).toMatchObject({ bid: '-0', ask: '0' });
  });

  it('a NaN token outside strings reads as null; the same text inside a string is kept', () => {
    const read = accepted('{"symbol":"AAPL","mid":"1","bid":-Infinity,"ask":"1","exchange":"NaN Infinity","timestamp":"2025-01-17T14:30:15+00:00"}');
    expect(read).toMatchObject({ bid: null, ask: '1', exchange: 'NaN Infinity' });
  });

  it('a conforming value has a shared, frozen empty list', () => {
    const a = accepted(FIXTURE);
    const b = accepted(FIXTURE);
    expect(a.nonconforming).toBe(b.nonconforming);
    expect(Object.isFrozen(a.nonconforming)).toBe(true);
  });
});

describe('what set() writes, a strict reader reads back whole', () => {
  it('round-trips every field, conforming', () => {
    const init: PriceInit = { symbol: 'AAPL', bid: '0150.240', ask: '150.26', mid: '1.5025e2', bidSize: 1, askSize: 2, timestamp: new Date('2025-01-17T14:30:15.5Z'), exchange: 'Q' };
    const read = accepted(encodePriceData(init));
    expect(read).toEqual({
      symbol: 'AAPL',
      bid: '150.240',
      ask: '150.26',
      mid: '150.25',
      bidSize: 1,
      askSize: 2,
      timestamp: '2025-01-17T14:30:15.500000+00:00',
      timestampMs: Date.parse('2025-01-17T14:30:15.5Z'),
      exchange: 'Q',
      nonconforming: [],
    });
  });
});
