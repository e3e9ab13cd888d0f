import { describe, expect, it } from 'vitest';
import {
  datePattern,
  DEFAULT_FEATURE_PREFIX,
  escapeGlob,
  featureKey,
  FeatureKeys,
  KEY_MEMO_SIZE,
  symbolPattern,
  validateDate,
  validatePrefix,
  validateSymbol,
} from '../../../src/cache/keys.js';
import { ConfigError, InvalidKeyError } from '../../../src/internal/errors.js';

function keyError(fn: () => unknown): InvalidKeyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKeyError);
    return error as InvalidKeyError;
  }
  throw new Error('expected an InvalidKeyError');
}

describe('validateSymbol', () => {
  it.each(['AAPL', 'BRK.B', 'RDS-A', 'a', '7203.T', 'X'.repeat(32)])('accepts %s', (symbol) => {
    expect(validateSymbol(symbol)).toBe(symbol);
  });

  it.each([
    ['', /must not be empty/],
    ['X'.repeat(33), /33 characters long, at most 32/],
    ['AA PL', /letters, digits/],
    ['AAPL:2025', /letters, digits/],
    ['AAPL*', /letters, digits/],
    ['ÄPFEL', /letters, digits/],
    ['AAPL\n', /letters, digits/],
  ])('rejects %j naming the symbol and why', (symbol, why) => {
    const error = keyError(() => validateSymbol(symbol));
    expect(error.message).toContain(JSON.stringify(symbol));
    expect(error.message).toMatch(why);
    expect(error.context.symbol).toBe(symbol);
  });

  it('rejects a non-string from a JavaScript caller', () => {
    expect(keyError(() => validateSymbol(42 as unknown as string)).message).toMatch(/must be a string/);
  });
});

describe('validateDate', () => {
  it.each(['2025-01-17', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2025-04-30'])('accepts %s', (date) => {
    expect(validateDate(date)).toBe(date);
  });

  it.each([
    ['2025-02-29', /day 29 does not exist in 2025-02/],
    ['1900-02-29', /day 29 does not exist/],
    ['2025-04-31', /day 31 does not exist/],
    ['2025-13-01', /month 13/],
    ['2025-00-10', /month 00/],
    ['2025-01-00', /day 00/],
    ['0000-01-01', /year must be 0001/],
    ['2025-1-17', /YYYY-MM-DD/],
    ['20250117', /YYYY-MM-DD/],
    ['2025-01-17T00:00:00Z', /YYYY-MM-DD/],
    [' 2025-01-17', /YYYY-MM-DD/],
    ['2025-01-17\n', /YYYY-MM-DD/],
    ['２０２５-01-17', /YYYY-MM-DD/],
  ])('rejects %j naming the date and why', (date, why) => {
    const error = keyError(() => validateDate(date));
    expect(error.message).toContain(JSON.stringify(date));
    expect(error.message).toMatch(why);
  });
});

describe('validatePrefix', () => {
  it.each(['features', 'prod:features', 'f.v2'])('accepts %s', (prefix) => {
    expect(validatePrefix(prefix)).toBe(prefix);
  });

  it.each(['', 'feat*', 'feat?', 'f[a]', 'f\\x', 'my features', 'f\t', 'f\u0000'])('rejects %j with ConfigError', (prefix) => {
    expect(() => validatePrefix(prefix)).toThrow(ConfigError);
  });
});

describe('featureKey', () => {
  it('builds the key Python uses', () => {
    expect(featureKey(DEFAULT_FEATURE_PREFIX, 'AAPL', '2025-01-17')).toBe('features:AAPL:2025-01-17');
  });

  it('throws InvalidKeyError before building a key from a bad part', () => {
    keyError(() => featureKey('features', 'AA PL', '2025-01-17'));
    keyError(() => featureKey('features', 'AAPL', '2025-02-30'));
  });
});

describe('glob patterns', () => {
  it('escapes every glob character', () => {
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
    expect(escapeGlob('plain:text.-')).toBe('plain:text.-');
  });

  it('builds SCAN MATCH patterns per symbol and per date', () => {
    expect(symbolPattern('features', 'AAPL')).toBe('features:AAPL:*');
    expect(datePattern('features', '2025-01-17')).toBe('features:*:2025-01-17');
  });

  it('validates the symbol and date of a pattern', () => {
    keyError(() => symbolPattern('features', 'AAPL*'));
    keyError(() => datePattern('features', '2025-01-*'));
  });
});

describe('FeatureKeys', () => {
  it('builds keys and patterns under its prefix', () => {
    const keys = new FeatureKeys('p.x');
    expect(keys.key('AAPL', '2025-01-17')).toBe('p.x:AAPL:2025-01-17');
    expect(keys.keys(['AAPL', 'BRK.B'], '2025-01-17')).toEqual(['p.x:AAPL:2025-01-17', 'p.x:BRK.B:2025-01-17']);
    expect(keys.keys([], '2025-01-17')).toEqual([]);
    expect(keys.symbolPattern('AAPL')).toBe('p.x:AAPL:*');
    expect(keys.datePattern('2025-01-17')).toBe('p.x:*:2025-01-17');
  });

  it('keys() gives the right keys when the date changes, and checks every symbol it has not kept', () => {
    const keys = new FeatureKeys('p');
    for (const date of ['2025-01-16', '2025-01-17', '2025-01-16']) {
      expect(keys.keys(['A', 'B'], date)).toEqual([`p:A:${date}`, `p:B:${date}`]);
    }
    keyError(() => keys.keys(['A', 'B:X'], '2025-01-16'));
    keyError(() => keys.keys(['A', 7 as unknown as string], '2025-01-16'));
    keyError(() => keys.keys(['A'], '2025-13-01'));
    // An empty batch still checks its date.
    keyError(() => keys.keys([], '2025-02-30'));
  });

  it(`keeps at most ${KEY_MEMO_SIZE} symbols per date; symbols past the bound are still built and checked`, () => {
    const keys = new FeatureKeys('p');
    const many = Array.from({ length: KEY_MEMO_SIZE + 5 }, (_, i) => `M${i}`);
    const built = keys.keys(many, '2025-01-17');
    expect(built[KEY_MEMO_SIZE + 4]).toBe(`p:M${KEY_MEMO_SIZE + 4}:2025-01-17`);
    expect(keys.keys(many, '2025-01-17')).toEqual(built);
    keyError(() => keys.keys([...many, 'bad*'], '2025-01-17'));
  });
});
