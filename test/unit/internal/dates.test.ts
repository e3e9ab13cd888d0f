import { describe, expect, it } from 'vitest';
import { daysInMonth, isoDateProblem } from '../../../src/internal/dates.js';

describe('calendar dates', () => {
  it('accepts real days of years 0001-9999, leap days by the Gregorian rule', () => {
    for (const date of ['0001-01-01', '2024-02-29', '2000-02-29', '9999-12-31', '2025-04-30']) expect(isoDateProblem(date)).toBeUndefined();
  });

  it('names what is wrong with anything else', () => {
    expect(isoDateProblem('0000-01-01')).toBe('year must be 0001 or later');
    expect(isoDateProblem('1900-02-29')).toBe('day 29 does not exist in 1900-02');
    expect(isoDateProblem('2025-13-01')).toBe('month 13 does not exist');
    expect(isoDateProblem('2025-04-31')).toBe('day 31 does not exist in 2025-04');
    expect(isoDateProblem('2025-1-17')).toBe('expected YYYY-MM-DD');
    expect(isoDateProblem(20250117)).toBe('expected YYYY-MM-DD');
  });

  it('knows the month lengths', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
  });
});
