/**
 * Parses market-data CSV text (`date,symbol,open,high,low,close,volume,vwap`, columns in any
 * order, extra columns ignored) into validated rows. Errors name the line and the column.
 */
import type { MarketDataColumn, MarketRow } from './bar.js';
import { MARKET_DATA_COLUMNS } from './bar.js';
import { dateProblem } from '../../lib/dates.js';
import { MarketDataError } from '../errors.js';

const SYMBOL_PATTERN = /^[A-Za-z0-9._-]+$/;
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type ColumnIndex = Readonly<Record<MarketDataColumn, number>>;

function indexHeader(source: string, header: string): ColumnIndex {
  const names = header.split(',').map((name) => name.trim());
  const index: Partial<Record<MarketDataColumn, number>> = {};
  for (const column of MARKET_DATA_COLUMNS) {
    const position = names.indexOf(column);
    if (position === -1) {
      throw new MarketDataError(
        source,
        `header lacks column '${column}' (expected ${MARKET_DATA_COLUMNS.join(',')}, got ${header})`,
        { line: 1 },
      );
    }
    if (names.indexOf(column, position + 1) !== -1) {
      throw new MarketDataError(source, `header repeats column '${column}'`, { line: 1 });
    }
    index[column] = position;
  }
  return index as ColumnIndex;
}


/** Parse CSV text into rows, in file order. `source` labels the text in error messages. */
export function parseMarketCsv(text: string, source = 'market data'): MarketRow[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0];
  if (header === undefined || header.trim() === '') {
    throw new MarketDataError(source, 'empty file: expected a header line', { line: 1 });
  }
  const columns = indexHeader(source, header);
  const width = header.split(',').length;
  const rows: MarketRow[] = [];

  lines.forEach((content, offset) => {
    if (offset === 0 || content.trim() === '') return;
    const line = offset + 1;
    const fields = content.split(',').map((field) => field.trim());
    if (fields.length !== width) {
      throw new MarketDataError(source, `expected ${width} fields, got ${fields.length}`, { line });
    }
    const field = (column: MarketDataColumn): string => fields[columns[column]] ?? '';
    const number = (column: MarketDataColumn, minimum: number, strict: boolean): number => {
      const raw = field(column);
      const value = Number(raw);
      const inRange = strict ? value > minimum : value >= minimum;
      if (!NUMBER_PATTERN.test(raw) || !Number.isFinite(value) || !inRange) {
        const expected = strict ? `a number > ${minimum}` : `a number >= ${minimum}`;
        throw new MarketDataError(source, `expected ${expected}, got '${raw}'`, { line, column });
      }
      return value;
    };

    const date = field('date');
    const dateError = dateProblem(date);
    if (dateError !== undefined) {
      throw new MarketDataError(source, `date ${dateError}`, {
        line,
        column: 'date',
      });
    }
    const symbol = field('symbol');
    if (!SYMBOL_PATTERN.test(symbol)) {
      throw new MarketDataError(source, `expected a symbol of letters, digits, '.', '_' or '-', got '${symbol}'`, {
        line,
        column: 'symbol',
      });
    }
    const row: MarketRow = {
      date,
      symbol,
      open: number('open', 0, true),
      high: number('high', 0, true),
      low: number('low', 0, true),
      close: number('close', 0, true),
      volume: number('volume', 0, false),
      vwap: number('vwap', 0, true),
    };
    if (row.high < Math.max(row.open, row.close, row.low)) {
      throw new MarketDataError(source, `high ${row.high} is below open, close or low`, {
        line,
        column: 'high',
      });
    }
    if (row.low > Math.min(row.open, row.close)) {
      throw new MarketDataError(source, `low ${row.low} is above open or close`, {
        line,
        column: 'low',
      });
    }
    rows.push(row);
  });
  return rows;
}
