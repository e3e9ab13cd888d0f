import { describe, expect, it } from 'vitest';
import { parsePythonIsoDatetime } from '../../../src/prices/iso-datetime.js';

const at = (iso: string): number => Date.parse(iso);

// Each expected instant written down from Python 3.11: datetime.fromisoformat(text), naive read as
// UTC (upstream parse_redis_price_json: price_ts.replace(tzinfo=UTC)).
describe('parsePythonIsoDatetime reads what datetime.fromisoformat (3.11) reads', () => {
  it.each([
    ['2025-01-17T14:30:15.123456+00:00', '2025-01-17T14:30:15.123Z'],
    ['2025-01-17T14:30:15Z', '2025-01-17T14:30:15Z'],
    ['2025-01-17T14:30:15.123Z', '2025-01-17T14:30:15.123Z'],
    ['2025-01-17T14:30:15', '2025-01-17T14:30:15Z'],
    ['2025-01-17', '2025-01-17T00:00:00Z'],
    ['20250117', '2025-01-17T00:00:00Z'],
    ['2025-01-17T14', '2025-01-17T14:00:00Z'],
    ['2025-01-17T14:30', '2025-01-17T14:30:00Z'],
    ['2025-01-17 14:30:15Z', '2025-01-17T14:30:15Z'],
    ['2025-01-17x14:30:15', '2025-01-17T14:30:15Z'],
    ['2025-01-17\u{1F600}14:30', '2025-01-17T14:30:00Z'],
    ['2025-01-17T14:30:15.1', '2025-01-17T14:30:15.100Z'],
    ['2025-01-17T14:30:15.123456789+00:00', '2025-01-17T14:30:15.123Z'],
    ['2025-01-17T14:30:15,5Z', '2025-01-17T14:30:15.500Z'],
    ['2025-01-17T143015', '2025-01-17T14:30:15Z'],
    ['20250117T143015Z', '2025-01-17T14:30:15Z'],
    ['2025-01-17T14:30:15+0530', '2025-01-17T09:00:15Z'],
    ['2025-01-17T14:30:15+05', '2025-01-17T09:30:15Z'],
    ['2025-01-17T14:30:15+05:30:10', '2025-01-17T09:00:05Z'],
    ['2025-01-17T14:30:15-05:00', '2025-01-17T19:30:15Z'],
    ['2025-01-17T14:30:15-00:00', '2025-01-17T14:30:15Z'],
    ['2025-01-17T14:30:15+23:59', '2025-01-16T14:31:15Z'],
    ['2025-01-17T14:30:15+05:75', '2025-01-17T08:15:15Z'],
    ['2025-01-17T14.5', '2025-01-17T14:00:00.500Z'],
    ['2025-01-17T14:30:15.+00:00', '2025-01-17T14:30:15Z'],
    ['2025-01-17+05:00', '2025-01-17T05:00:00Z'],
    ['2025-W03-5', '2025-01-17T00:00:00Z'],
    ['2025W035T10', '2025-01-17T10:00:00Z'],
    ['2025-W03', '2025-01-13T00:00:00Z'],
    ['2026-W53-1', '2026-12-28T00:00:00Z'],
    ['2020-W53-7', '2021-01-03T00:00:00Z'],
    ['2024-02-29T23:59:59-12:00', '2024-03-01T11:59:59Z'],
    ['1969-12-31T23:59:59.999', '1969-12-31T23:59:59.999Z'],
  ])('%s', (text, expected) => {
    expect(parsePythonIsoDatetime(text)).toBe(at(expected));
  });

  it('reads years before 100 and the extremes Python allows', () => {
    expect(parsePythonIsoDatetime('0001-01-01T00:00:00')).toBe(-62_135_596_800_000);
    expect(parsePythonIsoDatetime('9999-12-31T23:59:59.999999+00:00')).toBe(253_402_300_799_999);
    expect(parsePythonIsoDatetime('9999-W52-5')).toBe(at('9999-12-31T00:00:00Z'));
  });

  it('truncates to milliseconds once, after applying a sub-second offset, as Python computes the instant', () => {
    expect(parsePythonIsoDatetime('2025-01-17T14:30:15-23:59:59.999999')).toBe(1_737_210_614_999);
  });

  it.each([
    '2025-01-17T14:30:15z',
    '2025-01-17T24:00:00',
    '2025-02-29T00:00:00',
    '2025-01-17T14:30:60',
    '2025-01-17T14:30:15+24:00',
    '1737124215',
    '2025-01-17T14:30:15.',
    '2025-1-17',
    ' 2025-01-17',
    '2025-01-17T14:30:15 ',
    '2025-01-17T14:3',
    '0000-01-17',
    '2025-01-17T',
    '2025-01-17T14:30:15Z+00:00',
    '2025-01-17T1430:15',
    '2025-01-17T14:3015',
    '2025-01-17T14:30:15.123-',
    '2025-01-17T14:30:15+',
    '2025-01-17T14:30:15+5',
    '2025-01-17T14:30:15+053',
    '2025-01-17T14:30:15Zx',
    '2025-01-17T14:30:15-05:00Z',
    '2025-01-17T1',
    '2025-01-17T14:',
    '2025-0117',
    '202501-17',
    '2025-01-17T14:30:15.123,4',
    '2025-01-17T14:30:15.1a',
    '2025-W53-1',
    '2025-W00-1',
    '2025-W03-8',
    '9999-W52-6',
    'yesterday',
    '',
  ])('refuses %j as Python does', (text) => {
    expect(parsePythonIsoDatetime(text)).toBeUndefined();
  });
});

describe('the isoformat() fast path and the general parser agree', () => {
  it('on 2000 generated timestamps, read with "T" (fast path) and with " " (general parser)', () => {
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    for (let i = 0; i < 2000; i++) {
      const date = `${pad(1 + next(9999), 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(31), 2)}`;
      const time = `${pad(next(25), 2)}:${pad(next(61), 2)}:${pad(next(61), 2)}`;
      const fraction = ['', `.${pad(next(10), 1)}`, `.${pad(next(1000), 3)}`, `.${pad(next(1_000_000), 6)}`][next(4)];
      const zone = ['', 'Z', '+00:00', `-${pad(next(25), 2)}:${pad(next(80), 2)}`, `+${pad(next(24), 2)}:${pad(next(60), 2)}`][next(5)];
      const fast = parsePythonIsoDatetime(`${date}T${time}${fraction}${zone}`);
      expect(parsePythonIsoDatetime(`${date} ${time}${fraction}${zone}`), `${date}T${time}${fraction}${zone}`).toBe(fast);
    }
  });
});
