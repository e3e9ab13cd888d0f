import { describe, expect, it, vi } from 'vitest';
import { backoffCeiling, backoffDelay, RetryTimer } from '../../../src/internal/backoff.js';

describe('backoff', () => {
  it('grows exponentially from the base up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 60].map((a) => backoffCeiling(a, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('draws full-jitter delays between 0 and the ceiling', () => {
    const spy = vi.spyOn(Math, 'random');
    spy.mockReturnValueOnce(0).mockReturnValueOnce(0.999999);
    expect(backoffDelay(3, 100, 1000)).toBe(0);
    expect(backoffDelay(3, 100, 1000)).toBe(800);
    spy.mockRestore();
  });

  it('RetryTimer waits the ceilings in turn, one run at a time, until reset', () => {
    vi.useFakeTimers();
    try {
      const runs: number[] = [];
      const timer = new RetryTimer(() => runs.push(Date.now()), 100, 300);
      const start = Date.now();
      for (let i = 0; i < 4; i++) {
        timer.schedule();
        timer.schedule(); // no-op while one is pending
        vi.runOnlyPendingTimers();
      }
      expect(runs.map((t, i) => t - (i === 0 ? start : runs[i - 1]!))).toEqual([100, 200, 300, 300]);
      timer.reset();
      timer.schedule();
      timer.cancel();
      vi.advanceTimersByTime(1000);
      expect(runs).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
