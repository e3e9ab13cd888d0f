import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { SignalEvent } from '../../../src/events/signal-event.js';

/** Runs `fn` with `key` defined on Object.prototype (as a polluted runtime would have it). */
function withPolluted<T>(key: string, value: unknown, fn: () => T): T {
  Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true, enumerable: false });
  try {
    return fn();
  } finally {
    delete (Object.prototype as Record<string, unknown>)[key];
  }
}

describe('init objects: only own properties reach the wire', () => {
  it('a payload field inherited from a polluted Object.prototype is missing, not taken', () => {
    const init = { symbols: ['AAPL'], numSignals: 1, asOfDate: '2025-01-17' };
    const error = withPolluted('strategyId', 'polluted', () => {
      try {
        new SignalEvent(init as unknown as ConstructorParameters<typeof SignalEvent>[0]);
      } catch (err) {
        return err;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['strategy_id']);
  });

  it('inherited envelope fields (eventType, timestamp, eventId) are ignored: the defaults apply', () => {
    const event = withPolluted('eventType', 'orders.executed', () =>
      withPolluted('timestamp', '2000-01-01T00:00:00Z', () =>
        withPolluted('eventId', 'not-a-uuid', () => new SignalEvent({ strategyId: 's', symbols: ['AAPL'], numSignals: 1, asOfDate: '2025-01-17' })),
      ),
    );
    expect(event.eventType).toBe('signals.generated');
    expect(event.timestamp).not.toBe('2000-01-01T00:00:00Z');
    expect(event.eventId).not.toBe('not-a-uuid');
  });
});
