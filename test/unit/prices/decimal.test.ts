import { describe, expect, it } from 'vitest';
import { canonicalDecimal, readDecimal } from '../../../src/prices/decimal.js';

// Expected values written down from Python 3.11: str(Decimal(text)), which is what Pydantic's
// model_dump_json() writes for a Decimal field.
describe('canonicalDecimal writes str(Decimal(text))', () => {
  it.each([
    ['150.25', '150.25'],
    ['150.250', '150.250'],
    ['0150.25', '150.25'],
    ['100', '100'],
    ['0', '0'],
    ['0.00', '0.00'],
    ['000.000', '0.000'],
    ['1.', '1'],
    ['.5', '0.5'],
    ['+2', '2'],
    ['1e2', '1E+2'],
    ['1E+2', '1E+2'],
    ['1e+0', '1'],
    ['10e-1', '1.0'],
    ['1.5e3', '1.5E+3'],
    ['0e5', '0E+5'],
    ['0E-9', '0E-9'],
    ['0.000001', '0.000001'],
    ['0.0000001', '1E-7'],
    ['1e-20', '1E-20'],
    ['12345678901234567890123456789.5', '12345678901234567890123456789.5'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it.each(['-1', '-0', ' 1', '1 ', '1_000', '', '.', 'e5', '1e', 'NaN', 'Infinity', '0x10', '1.2.3', '1e1234567890'])(
    'refuses %j (no sign but +, no whitespace or underscores, finite, short exponent)',
    (input) => {
      expect(canonicalDecimal(input)).toBeUndefined();
    },
  );
});

// Verdicts of Python's Decimal(str(value)) in upstream parse_redis_price_json.
describe('readDecimal reads a stored value as Decimal(str(value))', () => {
  it.each([
    ['150.25', false, false],
    [' 1_50.25 ', false, false],
    ['_1', false, false],
    ['1e1_0', false, false],
    ['-0.0', true, true],
    ['0E-9', false, true],
    ['-1.5', true, false],
    ['+.5e-3', false, false],
    [150.25, false, false],
    [0, false, true],
    [-2, true, false],
  ] as const)('%j -> negative %s, zero %s', (value, negative, zero) => {
    expect(readDecimal(value)).toEqual({ negative, zero });
  });

  it.each(['abc', '.', '', '_', '1e', 'e5', 'Inf', '-inf', 'NaN', 'sNaN', 'Infinity', '0x10', true, null, [1], { a: 1 }, Number.NaN, Infinity])(
    'refuses %j as Python does (InvalidOperation or not finite)',
    (value) => {
      expect(readDecimal(value)).toBeUndefined();
    },
  );
});
