import { describe, expect, it } from 'vitest';
import {
  decimalProblem,
  formatTimestamp,
  isoDateProblem,
  nowTimestamp,
  timestampProblem,
  timestampToDate,
} from '../../../src/events/formats.js';

describe('timestampProblem', () => {
  it.each([
    '2025-01-18T09:00:00Z',
    '2025-01-18T09:00:00.5Z',
    '2025-01-18T09:00:00.123456+00:00',
    '2025-01-18T04:00:00-05:00',
    '2025-01-18 09:00:00+00:00', // Python str(datetime)
    '2025-01-18t09:00:00z',
    '2024-02-29T23:59:59.999999+14:00',
  ])('accepts %s', (text) => {
    expect(timestampProblem(text)).toBeUndefined();
  });

  it.each([
    ['2025-01-18T09:00:00', /naive/],
    ['2025-01-18T09:00:00.123456', /naive/],
    ['2025-01-18T09:00:00.1234567Z', /more than 6 fractional digits/],
    ['2025-02-31T09:00:00Z', /calendar date/],
    ['2025-02-29T09:00:00Z', /calendar date/],
    ['1900-02-29T09:00:00Z', /calendar date/],
    ['0000-01-01T00:00:00Z', /calendar date/],
    ['2025-13-01T00:00:00Z', /calendar date/],
    ['2025-01-18T24:00:00Z', /time of day/],
    ['2025-01-18T23:60:00Z', /time of day/],
    ['2025-01-18T23:59:60Z', /time of day/],
    ['2025-01-18T09:00:00+24:00', /offset/],
    ['2025-01-18T09:00:00+0000', /RFC 3339/],
    ['2025-01-18', /RFC 3339/],
    ['1737190800', /RFC 3339/],
    ['', /RFC 3339/],
  ])('rejects %s', (text, reason) => {
    expect(timestampProblem(text)).toMatch(reason);
  });
});

describe('isoDateProblem', () => {
  it('accepts real dates and rejects impossible or malformed ones', () => {
    expect(isoDateProblem('2025-01-17')).toBeUndefined();
    expect(isoDateProblem('2000-02-29')).toBeUndefined();
    expect(isoDateProblem('2025-02-29')).toMatch(/calendar date/);
    expect(isoDateProblem('2025-04-31')).toMatch(/calendar date/);
    expect(isoDateProblem('2025-1-17')).toMatch(/YYYY-MM-DD/);
    expect(isoDateProblem('2025-01-17T00:00:00Z')).toMatch(/YYYY-MM-DD/);
  });
});

describe('decimalProblem', () => {
  it.each(['150.25', '380.5000', '412.1', '0', '-0.5', '+3', '.5', '1E-7', '2.5e+3'])('accepts %s', (text) => {
    expect(decimalProblem(text)).toBeUndefined();
  });

  it.each(['abc', '', '1.', '12,5', 'NaN', 'Infinity', '1e', ' 1', '1 ', '0x10'])('rejects %j', (text) => {
    expect(decimalProblem(text)).toMatch(/decimal string/);
  });
});

describe('timestampToDate', () => {
  it('applies the offset and keeps milliseconds', () => {
    expect(timestampToDate('2025-01-18T04:00:00.123456-05:00').toISOString()).toBe('2025-01-18T09:00:00.123Z');
    expect(timestampToDate('2025-01-18T09:00:00.5Z').toISOString()).toBe('2025-01-18T09:00:00.500Z');
    expect(timestampToDate('2025-01-18T05:30:00+05:30').toISOString()).toBe('2025-01-18T00:00:00.000Z');
    expect(timestampToDate('0050-06-01T00:00:00Z').getUTCFullYear()).toBe(50);
  });
});

describe('formatTimestamp and nowTimestamp', () => {
  it('formats RFC 3339 UTC with 6 fractional digits', () => {
    expect(formatTimestamp(new Date('2025-01-18T09:00:00.123Z'))).toBe('2025-01-18T09:00:00.123000Z');
    expect(formatTimestamp(new Date('2025-01-18T09:00:00Z'), 42)).toBe('2025-01-18T09:00:00.000042Z');
  });

  it('produces valid timestamps within the current wall-clock millisecond', () => {
    for (let i = 0; i < 200; i++) {
      const before = Date.now();
      const text = nowTimestamp();
      const after = Date.now();
      expect(timestampProblem(text)).toBeUndefined();
      expect(text).toMatch(/\.\d{6}Z$/);
      const ms = timestampToDate(text).getTime();
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
  });
});
