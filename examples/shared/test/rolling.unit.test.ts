import { describe, expect, it } from 'vitest';
import {
  CORR_ZERO_STD, corr, idxMax, idxMin, linearFit, quantileOfSorted, rankOfLast, sorted, std,
} from '../features/rolling.js';

describe('rolling operators', () => {
  it('rankOfLast averages ties like pandas rank(pct=True)', () => {
    // The 2s hold ranks 2, 3, 4: average 3 of 5.
    expect(rankOfLast([1, 2, 2, 3, 2])).toBeCloseTo(0.6, 15);
    expect(rankOfLast([5, 4, 3])).toBeCloseTo(1 / 3, 15);
    expect(rankOfLast([7, 7, 7, 7])).toBeCloseTo(2.5 / 4, 15);
  });

  it('quantileOfSorted interpolates linearly between order statistics', () => {
    const ascending = sorted([4, 1, 3, 2, 10]);
    expect([...ascending]).toEqual([1, 2, 3, 4, 10]);
    expect(quantileOfSorted(ascending, 0.8)).toBeCloseTo(4 + 0.2 * 6, 12);
    expect(quantileOfSorted(ascending, 0.2)).toBeCloseTo(1.8, 12);
    expect(quantileOfSorted(sorted([3, 1]), 0.8)).toBeCloseTo(2.6, 12);
  });

  it('idxMax and idxMin give the 1-based first occurrence', () => {
    expect(idxMax([1, 3, 3, 2])).toBe(2);
    expect(idxMin([2, 1, 5, 1])).toBe(2);
    expect(idxMax([9])).toBe(1);
  });

  it('std is the sample standard deviation', () => {
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(std([3])).toBeNaN();
  });

  it('linearFit fits against x = 1..n', () => {
    const exact = linearFit([5, 7, 9, 11]);
    expect(exact.slope).toBeCloseTo(2, 12);
    expect(exact.rsquare).toBeCloseTo(1, 12);
    expect(exact.residual).toBeCloseTo(0, 12);
    expect(linearFit([2, 2, 2]).rsquare).toBeNaN();
  });

  it('corr is NaN when a side is constant or within Qlib\'s 2e-5 of it', () => {
    expect(corr([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.9933992677987828, 12);
    expect(corr([1, 2, 3], [6, 4, 2])).toBeCloseTo(-1, 12);
    expect(corr([1, 2, 3], [5, 5, 5])).toBeNaN();
    const almostFlat = [1, 1 + CORR_ZERO_STD / 2, 1];
    expect(corr([1, 2, 3], almostFlat)).toBeNaN();
    expect(corr([1, 2, 3], [1, 1 + CORR_ZERO_STD * 4, 1])).not.toBeNaN();
  });
});
