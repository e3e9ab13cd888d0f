import { describe, expect, it } from 'vitest';
import { LaxProblem, decimalTextOfNumber, describe as describeValue, laxDecimalText, laxInt } from '../../../src/events/python-lax.js';

// Every expectation below was read off pydantic 2.13.4 / pydantic-core 2.46.4 (an `int` field and a
// `Decimal` field validated with model_validate_json, then model_dump_json).

describe('laxInt: what a Pydantic int field reads in JSON mode', () => {
  const accepted: Array<[unknown, number]> = [
    [5, 5],
    [5.0, 5], // JSON 5.0: a float with no fraction
    [1e3, 1000],
    [-0, 0], // JSON -0.0: Python ints have no negative zero
    [true, 1],
    [false, 0],
    ['5', 5],
    [' 5', 5], // surrounding whitespace is trimmed (Rust str::trim)
    ['5\n', 5],
    ['\u00a05', 5], // no-break space is Unicode White_Space
    ['5\u0085', 5], // so is NEL
    ['+5', 5],
    ['05', 5],
    ['-0', 0],
    ['5.0', 5], // a fraction of zeros is allowed
    ['0005.000', 5],
    ['1_000', 1000], // single underscores between digits
    ['1_000.0', 1000],
    ['-7', -7],
  ];
  for (const [input, expected] of accepted) {
    it(`reads ${JSON.stringify(input)} as ${expected}`, () => {
      const value = laxInt(input);
      expect(value).toBe(expected);
      expect(Object.is(value, -0)).toBe(false);
    });
  }

  const refused: unknown[] = [
    5.5, // int_from_float: a fractional part
    Infinity, // finite_number (JSON 1e400)
    2 ** 63, // int_parsing_size for a float this large
    null,
    [5],
    {},
    '5.5',
    '1e3', // no exponent in an integer string
    '5.', // a point needs digits after it
    '.5',
    '5__0',
    '_5',
    '5_',
    '5_.0',
    '1.0_0',
    '+-5',
    '- 5',
    '0x10',
    '\u0665', // Arabic-Indic five: ASCII digits only
    '\uff15', // fullwidth five
    '\u001c5', // U+001C is not White_Space for Rust (Python's str.strip would take it)
    '\ufeff5', // nor is a BOM
    '',
    '  ',
    'true',
  ];
  for (const input of refused) {
    it(`refuses ${JSON.stringify(input) ?? String(input)}`, () => {
      expect(laxInt(input)).toBeInstanceOf(LaxProblem);
    });
  }

  it('says why, naming what it got', () => {
    expect((laxInt(5.5) as LaxProblem).message).toMatch(/fractional part/);
    expect((laxInt(null) as LaxProblem).message).toMatch(/got null/);
    expect((laxInt('abc') as LaxProblem).message).toMatch(/"abc" is not one/);
  });
});

describe('laxDecimalText: what a Pydantic Decimal field reads in JSON mode', () => {
  const keptAsWritten = ['150.25', '150', '1.50E+2', '1e2', '-0', '-0.0', ' 150.25', '150.25 ', '+150.25', '150.', '.5', '1_000', '1__0', '_1', '1._5', '\u0665\u0660', '\uff15', '1e400', '1E-400', '\u001c5', '5\u0085'];
  for (const text of keptAsWritten) {
    it(`keeps ${JSON.stringify(text)} exactly`, () => {
      expect(laxDecimalText(text, true)).toBe(text);
    });
  }

  const refusedTexts = ['', 'abc', '0x10', '1,000', 'NaN', 'nan', 'sNaN', 'Infinity', 'inf', '-Infinity', '1e', 'e5', '+', '--1', '1 1', '-.', '_ 1', '1\t_', '\ufeff5', '\u200b5'];
  for (const text of refusedTexts) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(laxDecimalText(text, false)).toBeInstanceOf(LaxProblem);
    });
  }

  it('refuses booleans, null, containers and non-finite numbers', () => {
    for (const value of [true, null, [1], {}, Infinity, -Infinity, Number.NaN]) expect(laxDecimalText(value, false)).toBeInstanceOf(LaxProblem);
    expect((laxDecimalText('NaN', false) as LaxProblem).message).toMatch(/finite/);
  });

  it('with ge=0 refuses what is below zero, but not a negative zero', () => {
    for (const text of ['-1', '-0.000001', '-1e-400', '-_1', '-\u0665', -5]) expect(laxDecimalText(text, true)).toBeInstanceOf(LaxProblem);
    for (const text of ['-0', '-0.000', '-0e5', '-\u0660', '-0.0e-10']) expect(laxDecimalText(text, true)).toBe(text);
    expect(laxDecimalText(-0, true)).toBe('-0');
    expect(laxDecimalText('-1', false)).toBe('-1');
  });

  it('writes a number as model_dump_json writes the Decimal Pydantic makes of it', () => {
    expect(laxDecimalText(150.25, true)).toBe('150.25');
    expect(laxDecimalText(150, true)).toBe('150');
    expect(laxDecimalText(-5, false)).toBe('-5');
  });
});

describe('decimalTextOfNumber', () => {
  const cases: Array<[number, string]> = [
    [1e16, '10000000000000000'],
    [1e-7, '1E-7'],
    [1.5e-7, '1.5E-7'],
    [123456789.123, '123456789.123'],
    [1e21, '1000000000000000000000'],
    [5e-324, '5E-324'],
    [1.0, '1'],
    [0, '0'],
    [-0, '-0'],
    [100, '100'],
    [2.5e-5, '0.000025'],
    [0.1, '0.1'],
    [0.30000000000000004, '0.30000000000000004'],
    [3.141592653589793, '3.141592653589793'],
    [12345678901234567000, '12345678901234567000'],
    [0.00012345678901234567, '0.00012345678901234567'],
    // The double is exactly ...42.125: Python's repr writes .12 (even), Pydantic .13 (up).
    [Number('135843487761042.12'), '135843487761042.13'],
    [Number('31133612849312.812'), '31133612849312.813'],
  ];
  for (const [value, text] of cases) {
    it(`writes ${value} as ${text}`, () => {
      expect(decimalTextOfNumber(value)).toBe(text);
    });
  }

  it('spells a large integer out in full', () => {
    expect(decimalTextOfNumber(1.5e300)).toBe(`15${'0'.repeat(299)}`);
  });
});

describe('describe', () => {
  it('names what a reader got', () => {
    expect([null, [], {}, true, 5, 'x'].map(describeValue)).toEqual(['null', 'an array', 'an object', 'a boolean', 'a number', 'the string "x"']);
    expect(describeValue({ '\u0000python-token': 'NaN' })).toBe('NaN');
  });
});
