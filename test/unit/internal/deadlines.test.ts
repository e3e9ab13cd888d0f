import { describe, expect, it } from 'vitest';
import { RedisTimeoutError } from '../../../src/index.js';
import { DeadlineScheduler } from '../../../src/internal/deadlines.js';

/** Tracks a call that never settles by itself; resolves with the rejection reason. */
function tracked(s: DeadlineScheduler, ms: number, what: string, order: string[]) {
  let reject!: (err: Error) => void;
  const outcome = new Promise<Error>((resolve) => {
    reject = (err) => {
      order.push(what);
      resolve(err);
    };
  });
  const entry = s.track(performance.now() + ms, ms, what, reject);
  return { entry, outcome };
}

describe('DeadlineScheduler', () => {
  it('rejects an unsettled call with RedisTimeoutError no earlier than its deadline', async () => {
    const s = new DeadlineScheduler();
    const order: string[] = [];
    const start = performance.now();
    const { outcome } = tracked(s, 40, 'GET', order);
    const err = await outcome;
    expect(performance.now() - start).toBeGreaterThanOrEqual(39);
    expect(err).toBeInstanceOf(RedisTimeoutError);
    expect(err.message).toBe('GET did not complete within 40 ms');
    expect((err as RedisTimeoutError).context).toEqual({ command: 'GET', timeoutMs: 40 });
  });

  it('never rejects settled calls, in or out of order, while later ones still time out', async () => {
    const s = new DeadlineScheduler();
    const order: string[] = [];
    const a = tracked(s, 30, 'a', order);
    const b = tracked(s, 30, 'b', order);
    const c = tracked(s, 30, 'c', order);
    const d = tracked(s, 30, 'd', order);
    s.settle(b.entry); // behind an unsettled head
    s.settle(a.entry); // now a and b leave the lane
    await d.outcome;
    expect(order).toEqual(['c', 'd']);
    await c.outcome;
  });

  it('keeps separate lanes per timeout: a shorter deadline added later fires first', async () => {
    const s = new DeadlineScheduler();
    const order: string[] = [];
    const long = tracked(s, 80, 'long', order);
    const short = tracked(s, 20, 'short', order);
    await Promise.all([long.outcome, short.outcome]);
    expect(order).toEqual(['short', 'long']);
  });

  it('serves new calls after a lane has emptied', async () => {
    const s = new DeadlineScheduler();
    const order: string[] = [];
    const first = tracked(s, 10, 'first', order);
    s.settle(first.entry);
    const second = tracked(s, 10, 'second', order);
    await second.outcome;
    expect(order).toEqual(['second']);
  });
});
