import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALPHA158_HISTORY, computeAlpha158 } from '../features/alpha158.js';
import { ALPHA158_NAMES } from '../features/names.js';
import type { Bar } from '../market-data/bar.js';
import { loadMarketData } from '../market-data/market-data.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/wire/features/alpha158-names.json', import.meta.url), 'utf8'),
) as string[];

/** date index, open, high, low, close, volume, vwap */
const RAW: ReadonlyArray<readonly [number, number, number, number, number, number]> = [
  [10, 11, 9, 10, 100, 10],
  [10, 12, 10, 11, 200, 11],
  [11, 12, 10, 12, 150, 11],
  [12, 13, 11, 11, 300, 12],
  [11, 16, 11, 13, 250, 13],
  [13, 15, 12, 14, 400, 14],
];
const BARS: Bar[] = RAW.map(([open, high, low, close, volume, vwap], i) => ({
  date: `2024-03-0${i + 1}`, open, high, low, close, volume, vwap,
}));

describe('Alpha158 names', () => {
  it('are the 158 names of the wire fixture, in its order', () => {
    expect(ALPHA158_NAMES).toHaveLength(158);
    expect([...ALPHA158_NAMES]).toEqual(fixture);
  });

  it('key the computed record in that order', () => {
    expect(Object.keys(computeAlpha158(BARS, 5))).toEqual(fixture);
  });
});

describe('computeAlpha158 on hand-made bars (last bar: o13 h15 l12 c14 v400 vwap14)', () => {
  const f = computeAlpha158(BARS, 5);
  // Last five closes 11,12,11,13,14 (mean 12.2); highs 12,12,13,16,15; lows 10,10,11,11,12.

  it('computes the k-bar and price features', () => {
    expect(f.KMID).toBeCloseTo(1 / 13, 12);
    expect(f.KLEN).toBeCloseTo(3 / 13, 12);
    expect(f.KMID2).toBeCloseTo(1 / 3, 10);
    expect(f.KUP).toBeCloseTo(1 / 13, 12);
    expect(f.KLOW2).toBeCloseTo(1 / 3, 10);
    expect(f.KSFT).toBeCloseTo((28 - 27) / 13, 12);
    expect(f.OPEN0).toBeCloseTo(13 / 14, 12);
    expect(f.VWAP0).toBe(1);
  });

  it('computes ROC5, MA5 and STD5 (sample std, ddof 1)', () => {
    expect(f.ROC5).toBeCloseTo(10 / 14, 12);
    expect(f.MA5).toBeCloseTo(12.2 / 14, 12);
    // Squared deviations 1.44 + 0.04 + 1.44 + 0.64 + 3.24 = 6.8, over n - 1 = 4.
    expect(f.STD5).toBeCloseTo(Math.sqrt(1.7) / 14, 12);
  });

  it('computes the regression features against x = 1..5', () => {
    // sxy = 7, sxx = 10, syy = 6.8: slope 0.7, fitted last 12.2 + 0.7 * 2 = 13.6.
    expect(f.BETA5).toBeCloseTo(0.05, 12);
    expect(f.RSQR5).toBeCloseTo(49 / 68, 12);
    expect(f.RESI5).toBeCloseTo(0.4 / 14, 12);
  });

  it('computes MAX, MIN, RSV and the first-occurrence IdxMax/IdxMin features', () => {
    expect(f.MAX5).toBeCloseTo(16 / 14, 12);
    expect(f.MIN5).toBeCloseTo(10 / 14, 12);
    expect(f.RSV5).toBeCloseTo(4 / 6, 10);
    expect(f.IMAX5).toBeCloseTo(0.8, 12);
    expect(f.IMIN5).toBeCloseTo(0.2, 12);
    expect(f.IMXD5).toBeCloseTo(0.6, 12);
  });

  it('computes QTLU/QTLD with linear interpolation and RANK as a percentile', () => {
    // Sorted 11,11,12,13,14: q0.8 at position 3.2 -> 13.2, q0.2 at 0.8 -> 11.
    expect(f.QTLU5).toBeCloseTo(13.2 / 14, 12);
    expect(f.QTLD5).toBeCloseTo(11 / 14, 12);
    expect(f.RANK5).toBe(1);
  });

  it('computes CORR and CORD', () => {
    // Pearson of closes with log(volume + 1); of close ratios with log(volume ratio + 1).
    expect(f.CORR5).toBeCloseTo(0.5096834091696326, 12);
    expect(f.CORD5).toBeCloseTo(-0.6235994695970664, 12);
  });

  it('computes the up/down counts and sums on close and volume changes', () => {
    // Close changes +1 +1 -1 +2 +1; volume changes +100 -50 +150 -50 +150.
    expect(f.CNTP5).toBeCloseTo(0.8, 12);
    expect(f.CNTN5).toBeCloseTo(0.2, 12);
    expect(f.CNTD5).toBeCloseTo(0.6, 12);
    expect(f.SUMP5).toBeCloseTo(5 / 6, 10);
    expect(f.SUMN5).toBeCloseTo(1 / 6, 10);
    expect(f.SUMD5).toBeCloseTo(4 / 6, 10);
    expect(f.VSUMP5).toBeCloseTo(0.8, 10);
    expect(f.VSUMN5).toBeCloseTo(0.2, 10);
    expect(f.VSUMD5).toBeCloseTo(0.6, 10);
  });

  it('computes the volume features', () => {
    expect(f.VMA5).toBeCloseTo(260 / 400, 12);
    expect(f.VSTD5).toBeCloseTo(Math.sqrt(9250) / 400, 10);
    // |return| x volume over the last five changes.
    const moves = [0.1 * 200, (1 / 11) * 150, (1 / 12) * 300, (2 / 11) * 250, (1 / 13) * 400];
    const average = moves.reduce((a, b) => a + b, 0) / 5;
    const deviation = Math.sqrt(moves.reduce((a, b) => a + (b - average) ** 2, 0) / 4);
    expect(f.WVMA5).toBeCloseTo(deviation / average, 10);
  });

  it('accepts a date instead of an index', () => {
    expect(computeAlpha158(BARS, '2024-03-06')).toEqual(f);
    expect(computeAlpha158(BARS, '2024-03-03').KMID).toBeCloseTo(1 / 11, 12);
  });

  it('uses no bar after asOf', () => {
    const changedFuture = [...BARS, { ...BARS[0] as Bar, date: '2024-03-07', close: 999 }];
    expect(computeAlpha158(changedFuture, 5)).toEqual(f);
  });

  it('rejects an asOf that is not a bar', () => {
    expect(() => computeAlpha158(BARS, 6)).toThrow(RangeError);
    expect(() => computeAlpha158(BARS, 1.5)).toThrow(RangeError);
    expect(() => computeAlpha158(BARS, '2024-03-09')).toThrow(/no bar dated 2024-03-09/);
  });
});

describe('computeAlpha158 with short or degenerate history', () => {
  it('is NaN where a window lacks bars: d bars on fields, d + 1 on changes', () => {
    const five = computeAlpha158(BARS.slice(0, 5), 4);
    // Closes 10, 11, 12, 11, 13.
    expect(five.MA5).toBeCloseTo(11.4 / 13, 12);
    expect(five.RANK5).not.toBeNaN();
    expect(five.ROC5).toBeNaN();
    expect(five.CNTP5).toBeNaN();
    expect(five.CORD5).toBeNaN();
    expect(five.VSUMP5).toBeNaN();
    const six = computeAlpha158(BARS, 5);
    for (const name of ALPHA158_NAMES) {
      const window = Number(/\d+$/.exec(name)?.[0] ?? 0);
      if (window >= 10) expect(six[name], name).toBeNaN();
      else expect(six[name], name).not.toBeNaN();
    }
  });

  it('is NaN for RSQR and CORR on a constant close, as in Qlib', () => {
    const flat: Bar[] = Array.from({ length: 10 }, (_, i) => ({
      date: `2024-04-${String(i + 1).padStart(2, '0')}`,
      open: 0.1, high: 0.1, low: 0.1, close: 0.1, volume: 100 + i, vwap: 0.1,
    }));
    const f = computeAlpha158(flat, 9);
    expect(f.RSQR5).toBeNaN();
    expect(f.CORR5).toBeNaN();
    expect(f.CORD5).toBeNaN();
    expect(f.BETA5).toBe(0);
    expect(f.RSV5).toBe(0);
  });

  it(`is finite everywhere on the synthetic data with ${ALPHA158_HISTORY} bars or more`, async () => {
    const data = await loadMarketData(fileURLToPath(new URL('../market-data/', import.meta.url)));
    const problems: string[] = [];
    for (const symbol of data.symbols()) {
      const bars = data.bars.get(symbol) ?? [];
      for (const index of [ALPHA158_HISTORY - 1, 150, bars.length - 1]) {
        const features = computeAlpha158(bars, index);
        for (const [name, value] of Object.entries(features)) {
          if (!Number.isFinite(value)) problems.push(`${symbol}@${index} ${name}=${value}`);
        }
      }
      const short = computeAlpha158(bars, ALPHA158_HISTORY - 2);
      if (!Number.isNaN(short.ROC60) || Number.isNaN(short.MA60)) {
        problems.push(`${symbol}: with 60 bars ROC60 must be NaN and MA60 defined`);
      }
    }
    expect(problems).toEqual([]);
  });
});
