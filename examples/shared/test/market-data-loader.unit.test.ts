import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MarketDataError } from '../errors.js';
import { loadMarketData, MarketData } from '../market-data/market-data.js';
import { parseMarketCsv } from '../market-data/parse.js';

const dataDir = fileURLToPath(new URL('../market-data/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'market-data-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HEADER = 'date,symbol,open,high,low,close,volume,vwap';

function errorOf(run: () => unknown): MarketDataError {
  try {
    run();
  } catch (error) {
    if (error instanceof MarketDataError) return error;
    throw error;
  }
  throw new Error('expected a MarketDataError');
}

describe('loadMarketData', () => {
  it('loads the committed data set from its directory, sorted by date per symbol', async () => {
    const data = await loadMarketData(dataDir);
    expect(data.symbols()).toHaveLength(20);
    expect(data.tradingDays()).toHaveLength(300);
    const bars = data.bars.get('AAPL') ?? [];
    expect(bars).toHaveLength(300);
    expect(bars.map((bar) => bar.date)).toEqual([...data.tradingDays()]);
    expect(bars[0]).toEqual({
      date: '2024-01-02', open: 380.43, high: 388.41, low: 378.52, close: 384.2,
      volume: 3482519, vwap: 383.96,
    });
  });

  it('answers barsUpTo, closeOn and tradingDays', async () => {
    const data = await loadMarketData(join(dataDir, 'ohlcv.csv'));
    const history = data.barsUpTo('MSFT', '2024-01-05');
    expect(history.map((bar) => bar.date)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    // A Saturday: the history stops at Friday.
    expect(data.barsUpTo('MSFT', '2024-01-06').at(-1)?.date).toBe('2024-01-05');
    expect(data.barsUpTo('MSFT', '2023-12-29')).toEqual([]);
    expect(data.barsUpTo('NOPE', '2024-01-05')).toEqual([]);
    expect(data.closeOn('MSFT', '2024-01-03')).toBe(21.22);
    expect(data.closeOn('MSFT', '2024-01-06')).toBeUndefined();
    expect(data.tradingDays().slice(0, 5)).toEqual([
      '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08',
    ]);
  });

  it('reads a user CSV with reordered columns, extra columns, CRLF and unsorted rows', async () => {
    const path = join(scratch, 'user.csv');
    writeFileSync(
      path,
      [
        'symbol,date,close,open,high,low,vwap,volume,note',
        'ZZ,2024-02-02,10.5,10,11,9.5,10.2,500,b',
        'ZZ,2024-02-01,10,9,10,8.5,9.6,400,a',
        '',
      ].join('\r\n'),
    );
    const data = await loadMarketData(path);
    expect(data.bars.get('ZZ')).toEqual([
      { date: '2024-02-01', open: 9, high: 10, low: 8.5, close: 10, volume: 400, vwap: 9.6 },
      { date: '2024-02-02', open: 10, high: 11, low: 9.5, close: 10.5, volume: 500, vwap: 10.2 },
    ]);
  });

  it('rejects an unreadable path naming it', async () => {
    const missing = join(scratch, 'absent.csv');
    await expect(loadMarketData(missing)).rejects.toThrow(MarketDataError);
    await expect(loadMarketData(missing)).rejects.toThrow(/absent\.csv: cannot read market data/);
  });
});

describe('parseMarketCsv errors name the line and the column', () => {
  const row = (fields: string): string => `${HEADER}\n2024-01-02,AAA,10,11,9,10,100,10\n${fields}\n`;

  it.each([
    ['2024-01-03,AAA,10,11,9,abc,100,10', 'close', /expected a number > 0, got 'abc'/],
    ['2024-01-03,AAA,10,11,9,10,-5,10', 'volume', /expected a number >= 0, got '-5'/],
    ['2024-01-03,AAA,0,11,9,10,100,10', 'open', /expected a number > 0/],
    ['2024-01-03,AAA,10,11,9,10,100,', 'vwap', /got ''/],
    ['2024-02-30,AAA,10,11,9,10,100,10', 'date', /date must be a date YYYY-MM-DD: "2024-02-30"/],
    ['0000-01-03,AAA,10,11,9,10,100,10', 'date', /date must be a date YYYY-MM-DD: "0000-01-03".*year must be 0001 or later/],
    ['2024-1-03,AAA,10,11,9,10,100,10', 'date', /date must be a date YYYY-MM-DD/],
    ['2024-01-03,A A,10,11,9,10,100,10', 'symbol', /expected a symbol/],
    ['2024-01-03,AAA,10,9.5,9,10,100,10', 'high', /high 9.5 is below open, close or low/],
    ['2024-01-03,AAA,10,11,10.5,10.2,100,10', 'low', /low 10.5 is above open or close/],
  ])('%s -> column %s', (fields, column, message) => {
    const error = errorOf(() => parseMarketCsv(row(fields), 'user.csv'));
    expect(error.line).toBe(3);
    expect(error.column).toBe(column);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(new RegExp(`^user\\.csv, line 3, column '${column}': `));
  });

  it('rejects a row with the wrong number of fields', () => {
    const error = errorOf(() => parseMarketCsv(row('2024-01-03,AAA,10,11'), 'user.csv'));
    expect(error.message).toBe('user.csv, line 3: expected 8 fields, got 4');
  });

  it('rejects a header without a required column, or repeating one', () => {
    const missing = errorOf(() => parseMarketCsv('date,symbol,open,high,low,close,volume\n', 'u.csv'));
    expect(missing.line).toBe(1);
    expect(missing.message).toMatch(/header lacks column 'vwap'/);
    const repeated = errorOf(() => parseMarketCsv(`${HEADER},close\n`, 'u.csv'));
    expect(repeated.message).toMatch(/header repeats column 'close'/);
  });

  it('rejects an empty file', () => {
    expect(() => parseMarketCsv('', 'u.csv')).toThrow(/empty file/);
  });

  it('rejects a duplicate (symbol, date) pair', () => {
    const rows = parseMarketCsv(row('2024-01-02,AAA,10,11,9,10,100,10'), 'u.csv');
    expect(() => MarketData.fromRows(rows, 'u.csv')).toThrow(/duplicate bar for AAA on 2024-01-02/);
  });
});
