/** The dashboard's P&L curve history (public/curve-history.js, run here in Node): one point per curve interval from updates, so it spans what the snapshot's curve spans. */
import { describe, expect, it } from 'vitest';

interface CurveHistory {
  readonly t: number[];
  readonly y: number[];
  reset(points: ReadonlyArray<{ t: string; total_pl: string }>, intervalMs: number): void;
  add(point: { t: string; total_pl: string }): void;
}
const { createCurveHistory } = (await import(new URL('../public/curve-history.js', import.meta.url).href)) as { createCurveHistory: (maxPoints?: number) => CurveHistory };

const at = (ms: number): string => new Date(ms).toISOString();
const span = (h: CurveHistory): number => (h.t.at(-1) as number) - (h.t[0] as number);

describe('P&L curve history (dashboard)', () => {
  it('after 20 minutes of updates 10 a second, spans the time the service curve (one point a second, 600 kept) spans; the last point is the latest value', () => {
    const start = Date.UTC(2024, 3, 1, 14, 30, 0, 370);
    const page = createCurveHistory();
    page.reset([], 1000);
    const served: Array<{ t: string; total_pl: string }> = [];
    for (let ms = 0; ms <= 20 * 60_000; ms += 100) {
      const point = { t: at(start + ms), total_pl: String(ms / 100) };
      page.add(point);
      expect(page.y.at(-1)).toBe(ms / 100);
      // The service samples its curve every second.
      if (ms % 1000 === 0) served.push(point);
    }
    const reconnected = createCurveHistory();
    reconnected.reset(served.slice(-600), 1000);
    expect(page.t).toHaveLength(600);
    expect(reconnected.t).toHaveLength(600);
    expect(Math.abs(span(page) - span(reconnected))).toBeLessThanOrEqual(1);
    expect(span(page)).toBeGreaterThan(590);
  });

  it('keeps the snapshot curve as sent, ignores points older than the newest, and follows the interval the snapshot gives', () => {
    const start = Date.UTC(2024, 3, 1, 14, 30);
    const history = createCurveHistory();
    history.reset([{ t: at(start), total_pl: '1' }, { t: at(start + 400), total_pl: '2' }, { t: 'no time', total_pl: '3' }, { t: at(start + 100), total_pl: '4' }], 5000);
    expect(history.y).toEqual([1, 2]);
    history.add({ t: at(start + 300), total_pl: '9' });
    expect(history.y).toEqual([1, 2]);
    // Same 5-second interval as the newest point: replaces it.
    history.add({ t: at(start + 4_900), total_pl: '5' });
    expect(history.y).toEqual([1, 5]);
    history.add({ t: at(start + 5_000), total_pl: '6' });
    expect(history.y).toEqual([1, 5, 6]);
    expect(history.t.at(-1)).toBe((start + 5_000) / 1000);
  });
});
