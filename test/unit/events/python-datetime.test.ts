import { describe, expect, it } from 'vitest';
import { formatPythonUtc, laxAwareTimestamp, pythonDatetime, pythonDatetimeToDate } from '../../../src/events/python-datetime.js';
import type { PythonDatetime } from '../../../src/events/python-datetime.js';
import { LaxProblem } from '../../../src/events/python-lax.js';

// Expectations read off pydantic 2.13.4 / pydantic-core 2.46.4: a `datetime` field validated with
// model_validate_json, the instant compared through model_dump_json (UTC shown as `Z`).

function instant(value: unknown): string {
  const datetime = pythonDatetime(value);
  if (datetime instanceof LaxProblem) throw new Error(`refused: ${datetime.message}`);
  const date = pythonDatetimeToDate(datetime);
  return `${date.toISOString().slice(0, 19)}.${String(datetime.micros).padStart(6, '0')} ${datetime.offsetSeconds ?? 'naive'}`;
}

describe('pythonDatetime: RFC 3339 text', () => {
  const accepted: Array<[string, string]> = [
    ['2025-01-18T09:00:00Z', '2025-01-18T09:00:00.000000 0'],
    ['2025-01-18t09:00:00z', '2025-01-18T09:00:00.000000 0'],
    ['2025-01-18 09:00:00Z', '2025-01-18T09:00:00.000000 0'],
    ['2025-01-18_09:00:00Z', '2025-01-18T09:00:00.000000 0'],
    ['2025-01-18T09:00Z', '2025-01-18T09:00:00.000000 0'], // seconds are optional
    ['2025-01-18T09:00:00+0000', '2025-01-18T09:00:00.000000 0'],
    ['2025-01-18T09:00:00+05:30', '2025-01-18T03:30:00.000000 19800'],
    ['2025-01-18T09:00:00.5+0530', '2025-01-18T03:30:00.500000 19800'],
    ['2025-01-18T09:00:00\u221205:00', '2025-01-18T14:00:00.000000 -18000'], // U+2212 MINUS
    ['2025-01-18T09:00:00-23:59', '2025-01-19T08:59:00.000000 -86340'],
    ['2025-01-18T09:00:00.1Z', '2025-01-18T09:00:00.100000 0'],
    ['2025-01-18T09:00:00,5Z', '2025-01-18T09:00:00.500000 0'],
    ['2025-01-18T09:00:00.123456789Z', '2025-01-18T09:00:00.123456 0'], // digits past the sixth dropped
    ['2025-01-18T09:00:00.9999999Z', '2025-01-18T09:00:00.999999 0'],
    ['2024-02-29T09:00:00Z', '2024-02-29T09:00:00.000000 0'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000000 0'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000000 0'],
    ['2025-01-18T09:00:00', '2025-01-18T09:00:00.000000 naive'],
    ['2025-01-18', '2025-01-18T00:00:00.000000 naive'], // a date alone: a naive midnight
  ];
  for (const [text, expected] of accepted) {
    it(`reads ${JSON.stringify(text)}`, () => {
      expect(instant(text)).toBe(expected);
    });
  }

  const refused = [
    '2025-01-18T09Z',
    '2025-01-18T09:00:00+00',
    '2025-01-18T09:00:00+24:00',
    '2025-01-18T09:00:00+23:60',
    '2025-01-18T09:00:00.Z',
    '2025-01-18T09:00:60Z',
    '2025-01-18T23:59:60Z',
    '2025-01-18T24:00:00Z',
    '2025-02-29T09:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-01-00T00:00:00Z',
    '0000-01-01T00:00:00Z', // Python datetimes start at year 1
    '20250118T090000Z',
    '2025-01-18Z',
    '2025-1-18T09:00:00Z',
    '2025-01-18T9:00:00Z',
    ' 2025-01-18T09:00:00Z',
    '2025-01-18T09:00:00Z ',
    '2025-01-18T09:00:00 Z',
    '2025-01-18T09:00:00UTC',
    '2025-01-18T09:00:00+00:00:00',
    '2025-01-18T09:00.5Z',
    '2025-01-18T09:00:00+05:3',
    '\uff12\uff10\uff12\uff15-01-18T09:00:00Z',
    '',
  ];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(pythonDatetime(text)).toBeInstanceOf(LaxProblem);
    });
  }
});

describe('pythonDatetime: Unix times', () => {
  const accepted: Array<[unknown, string]> = [
    [1737190800, '2025-01-18T09:00:00.000000 0'],
    [1737190800.5, '2025-01-18T09:00:00.500000 0'],
    ['1737190800', '2025-01-18T09:00:00.000000 0'],
    ['1737190800.5', '2025-01-18T09:00:00.500000 0'],
    [1737190800000, '2025-01-18T09:00:00.000000 0'], // above 2e10: milliseconds
    [-1, '1969-12-31T23:59:59.000000 0'],
    [-1.5, '1969-12-31T23:59:58.500000 0'],
    ['-1.5', '1969-12-31T23:59:58.500000 0'],
    [0, '1970-01-01T00:00:00.000000 0'],
    ['+5', '1970-01-01T00:00:05.000000 0'],
    ['5.', '1970-01-01T00:00:05.000000 0'],
    ['.5', '1970-01-01T00:00:00.500000 0'],
    ['1.5e3', '1970-01-01T00:25:00.000000 0'],
    [20000000000, '2603-10-11T11:33:20.000000 0'],
    [20000000001, '1970-08-20T11:33:20.001000 0'],
    [-20000000001, '1969-05-14T12:26:39.999000 0'],
    // The JSON-number path splits the fraction by the size of the whole number, the string path
    // after scaling: the same digits read differently, exactly as pydantic-core does.
    [20000000000.5, '2603-10-11T11:33:20.000500 0'],
    ['20000000000.5', '1970-08-20T11:33:20.000500 0'],
    [-1.0000005, '1969-12-31T23:59:58.000001 0'],
    ['-1.0000005', '1969-12-31T23:59:58.999999 0'],
    [Number('1737190800.9999999'), '2025-01-18T09:00:01.000000 0'], // the double JSON.parse makes of it
    [253402300799999, '9999-12-31T23:59:59.999000 0'],
    [-62135596800000, '0001-01-01T00:00:00.000000 0'],
  ];
  for (const [value, expected] of accepted) {
    it(`reads ${JSON.stringify(value)}`, () => {
      expect(instant(value)).toBe(expected);
    });
  }

  const refused: unknown[] = [253402300800000, -62135596800001, 1e20, Infinity, Number.NaN, '1e3', '1_000', '1737190800,5', '5 ', ' 1737190800', '0x10', '.', '-', '+', '1.5.5', '9223372036854775808', true, null, [], {}];
  for (const value of refused) {
    it(`refuses ${JSON.stringify(value) ?? String(value)}`, () => {
      expect(pythonDatetime(value)).toBeInstanceOf(LaxProblem);
    });
  }

  it('wraps a 20-digit string as speedate\'s i64 loop does: garbage, but the same garbage', () => {
    // 19000000000000000000 wraps to 554255926290448384, which is milliseconds far past 9999.
    expect(pythonDatetime('19000000000000000000')).toBeInstanceOf(LaxProblem);
    expect(pythonDatetime('123456789012345678901')).toBeInstanceOf(LaxProblem);
  });
});

describe('laxAwareTimestamp', () => {
  it('keeps an aware string as written and refuses a naive one', () => {
    for (const text of ['2025-01-18T09:00:00Z', '2025-01-18 09:00+0530', '1737190800']) expect(laxAwareTimestamp(text)).toBe(text);
    expect((laxAwareTimestamp('2025-01-18T09:00:00') as LaxProblem).message).toMatch(/naive/);
    expect((laxAwareTimestamp('2025-01-18') as LaxProblem).message).toMatch(/naive/);
  });

  it('writes a Unix-time number as model_dump_json does', () => {
    expect(laxAwareTimestamp(1737190800)).toBe('2025-01-18T09:00:00Z');
    expect(laxAwareTimestamp(1737190800.5)).toBe('2025-01-18T09:00:00.500000Z');
    expect(laxAwareTimestamp(-1)).toBe('1969-12-31T23:59:59Z');
    expect(laxAwareTimestamp(true)).toBeInstanceOf(LaxProblem);
  });

  it('formats microseconds with six digits', () => {
    const datetime: PythonDatetime = { wallSeconds: 0, micros: 5, offsetSeconds: 0 };
    expect(formatPythonUtc(datetime)).toBe('1970-01-01T00:00:00.000005Z');
  });
});
