import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-platform/redis-client';
import { dateVar, intVar, listVar } from '../env.js';

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('dateVar', () => {
  it('returns a real calendar day, trimmed, and undefined when unset or empty', () => {
    expect(dateVar({ START_DATE: ' 2024-02-29 ' }, 'START_DATE')).toBe('2024-02-29');
    expect(dateVar({ START_DATE: '0001-01-01' }, 'START_DATE')).toBe('0001-01-01');
    expect(dateVar({ START_DATE: '9999-12-31' }, 'START_DATE')).toBe('9999-12-31');
    expect(dateVar({}, 'START_DATE')).toBeUndefined();
    expect(dateVar({ START_DATE: '  ' }, 'START_DATE')).toBeUndefined();
  });

  // The SDK's IsoDateSchema is the rule: year 0000 and impossible days are refused, with its reason.
  it.each([
    ['0000-01-01', 'START_DATE must be a date YYYY-MM-DD: "0000-01-01" is not a real calendar date (year must be 0001 or later)'],
    ['2024-02-30', 'START_DATE must be a date YYYY-MM-DD: "2024-02-30" is not a real calendar date (day 30 does not exist in 2024-02)'],
    ['2023-02-29', 'START_DATE must be a date YYYY-MM-DD: "2023-02-29" is not a real calendar date (day 29 does not exist in 2023-02)'],
    ['2024-13-01', 'START_DATE must be a date YYYY-MM-DD: "2024-13-01" is not a real calendar date (month 13 does not exist)'],
    ['2024-1-02', 'START_DATE must be a date YYYY-MM-DD: "2024-1-02" is not an ISO date (YYYY-MM-DD)'],
    ['yesterday', 'START_DATE must be a date YYYY-MM-DD: "yesterday" is not an ISO date (YYYY-MM-DD)'],
  ])('refuses %s naming the variable and the reason', (value, message) => {
    const error = configErrorOf(() => dateVar({ START_DATE: value }, 'START_DATE'));
    expect(error.message).toBe(message);
    expect(error.context).toMatchObject({ variable: 'START_DATE' });
  });
});

describe('intVar and listVar', () => {
  it('parse in range and fall back when unset', () => {
    expect(intVar({ DAYS: '7' }, 'DAYS', 10, 1)).toBe(7);
    expect(intVar({}, 'DAYS', 10, 1)).toBe(10);
    expect(listVar({ SYMBOLS: ' aapl, msft ' }, 'SYMBOLS', ['KO'])).toEqual(['AAPL', 'MSFT']);
    expect(listVar({}, 'SYMBOLS', ['KO'])).toEqual(['KO']);
  });

  it('refuse out-of-range integers and empty list items naming the variable', () => {
    expect(configErrorOf(() => intVar({ DAYS: '0' }, 'DAYS', 10, 1)).message).toBe('DAYS must be an integer from 1 to 9007199254740991, got "0"');
    expect(configErrorOf(() => listVar({ SYMBOLS: 'AAPL,,KO' }, 'SYMBOLS', [])).message).toBe(
      'SYMBOLS must be a comma-separated list without empty items, got "AAPL,,KO"',
    );
  });
});
