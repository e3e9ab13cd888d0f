import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTimestamp, nowTimestamp, timestampProblem } from '../../../src/events/formats.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Pins the wall clock (and a monotonic clock that agrees with it) to `wallMs` and `micros`. */
function pinClock(wallMs: number, micros: number): void {
  vi.spyOn(Date, 'now').mockReturnValue(wallMs);
  // The monotonic clock is only used relative to its anchor; reading the same value as the wall
  // clock keeps the two in agreement, and `micros` is what it adds within the millisecond.
  vi.spyOn(performance, 'now').mockReturnValue(wallMs + micros / 1000);
}

describe('nowTimestamp (cached per millisecond)', () => {
  it('writes the same text as formatTimestamp for the pinned millisecond, across ms, second, day and year boundaries', () => {
    const instants = [
      Date.parse('2025-01-18T09:00:00.123Z'),
      Date.parse('2025-01-18T09:00:00.123Z'), // same millisecond again: served from the cache
      Date.parse('2025-01-18T09:00:00.124Z'),
      Date.parse('2025-01-18T09:00:00.999Z'),
      Date.parse('2025-01-18T09:00:01.000Z'),
      Date.parse('2025-01-18T23:59:59.999Z'),
      Date.parse('2025-12-31T23:59:59.999Z'),
      Date.parse('2026-01-01T00:00:00.000Z'),
      Date.parse('2025-01-18T09:00:00.123Z'), // back to an earlier millisecond
    ];
    for (const wall of instants) {
      // Re-anchor on every call (the clocks disagree by more than 2 ms), then measure again with
      // the anchor in place, so the microseconds come out as pinned.
      pinClock(wall, 0);
      nowTimestamp();
      const text = nowTimestamp();
      expect(text.slice(0, 23)).toBe(new Date(wall).toISOString().slice(0, 23));
      expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(timestampProblem(text)).toBeUndefined();
      expect(text).toBe(formatTimestamp(new Date(wall), Number(text.slice(23, 26))));
    }
  });

  it('never writes a fraction outside the pinned wall-clock millisecond', () => {
    const wall = Date.parse('2025-06-30T12:34:56.789Z');
    pinClock(wall, 0);
    nowTimestamp();
    for (const micros of [0, 1, 250, 999]) {
      vi.spyOn(performance, 'now').mockReturnValue(wall + micros / 1000);
      const text = nowTimestamp();
      expect(text.slice(0, 23)).toBe('2025-06-30T12:34:56.789');
      expect(timestampProblem(text)).toBeUndefined();
    }
  });
});
