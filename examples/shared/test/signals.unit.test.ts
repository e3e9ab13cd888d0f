import { describe, expect, it } from 'vitest';
import { rankSignals } from '../model/signals.js';

describe('rankSignals', () => {
  const scores = new Map([
    ['MSFT', -0.02],
    ['AAPL', 0.01],
    ['KO', 0],
    ['PEP', 0.03],
    ['XOM', -0.01],
  ]);

  it('ranks by score, highest first, and weights top longs and bottom shorts equally', () => {
    expect(rankSignals(scores, 2, 1)).toEqual([
      { symbol: 'PEP', score: 0.03, rank: 1, side: 'long', targetWeight: 0.5 },
      { symbol: 'AAPL', score: 0.01, rank: 2, side: 'long', targetWeight: 0.5 },
      { symbol: 'KO', score: 0, rank: 3, side: 'flat', targetWeight: 0 },
      { symbol: 'XOM', score: -0.01, rank: 4, side: 'flat', targetWeight: 0 },
      { symbol: 'MSFT', score: -0.02, rank: 5, side: 'short', targetWeight: -1 },
    ]);
  });

  it('gives long weights summing to +1 and short weights summing to -1', () => {
    const signals = rankSignals(scores, 3, 2);
    const longs = signals.filter((s) => s.targetWeight > 0).reduce((a, s) => a + s.targetWeight, 0);
    const shorts = signals.filter((s) => s.targetWeight < 0).reduce((a, s) => a + s.targetWeight, 0);
    expect(longs).toBeCloseTo(1, 12);
    expect(shorts).toBeCloseTo(-1, 12);
    expect(signals.map((s) => s.side)).toEqual(['long', 'long', 'long', 'short', 'short']);
  });

  it('breaks ties by symbol, whatever the input order', () => {
    const tied = { ZZ: 1, AA: 1, MM: 1, BB: 2 };
    const reversed = { MM: 1, AA: 1, BB: 2, ZZ: 1 };
    const order = rankSignals(tied, 1, 1).map((s) => s.symbol);
    expect(order).toEqual(['BB', 'AA', 'MM', 'ZZ']);
    expect(rankSignals(reversed, 1, 1).map((s) => s.symbol)).toEqual(order);
  });

  it('allows an empty book on either side', () => {
    const signals = rankSignals(scores, 0, 0);
    expect(signals.every((s) => s.side === 'flat' && s.targetWeight === 0)).toBe(true);
    expect(signals.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects overlapping books, bad counts and non-finite scores', () => {
    expect(() => rankSignals(scores, 3, 3)).toThrow(/topN \(3\) \+ bottomN \(3\) exceeds the 5 scored symbols/);
    expect(() => rankSignals(scores, -1, 1)).toThrow(/topN must be a non-negative integer/);
    expect(() => rankSignals(scores, 1, 1.5)).toThrow(/bottomN must be a non-negative integer/);
    expect(() => rankSignals({ A: Number.NaN, B: 1 }, 1, 1)).toThrow(/score of A is not finite/);
  });
});
