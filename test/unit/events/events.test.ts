import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { CHANNELS } from '../../../src/events/channels.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import type { SignalEventInit } from '../../../src/events/schemas.js';

const RUN_ID = '550e8400-e29b-41d4-a716-446655440000';
const UUID_RE = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/;
const NOW_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const signalInit: SignalEventInit = {
  strategyId: 'alpha_baseline',
  symbols: ['AAPL', 'MSFT'],
  numSignals: 2,
  asOfDate: '2025-01-17',
};

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

function paths(error: ValidationError): string[] {
  return [...new Set(error.issues.map((i) => i.path))];
}

describe('construction defaults (Python: default event types, timestamp, id)', () => {
  it('fills event_type, a microsecond UTC timestamp and a UUID event id', () => {
    const before = Date.now();
    const event = new SignalEvent(signalInit);
    const after = Date.now();
    expect(event.eventType).toBe('signals.generated');
    expect(event.timestamp).toMatch(NOW_RE);
    expect(event.date.getTime()).toBeGreaterThanOrEqual(before);
    expect(event.date.getTime()).toBeLessThanOrEqual(after);
    expect(event.eventId).toMatch(UUID_RE);
    expect(new SignalEvent(signalInit).eventId).not.toBe(event.eventId);
  });

  it('defaults each class to its own event type and channel', () => {
    const order = new OrderEvent({ runId: RUN_ID, strategyId: 's', numOrders: 1, numAccepted: 1, numRejected: 0 });
    const position = new PositionEvent({
      symbol: 'AAPL', action: 'fill', qtyChange: 1, newQty: 1, price: '1', strategyId: 's',
    });
    expect([order.eventType, order.channel, OrderEvent.channel]).toEqual(Array(3).fill(CHANNELS.ORDERS));
    expect([position.eventType, position.channel, PositionEvent.channel]).toEqual(Array(3).fill(CHANNELS.POSITIONS));
    expect(new SignalEvent(signalInit).channel).toBe(SignalEvent.channel);
  });

  it('keeps a given timestamp string and event id as they are', () => {
    const event = new SignalEvent({ ...signalInit, timestamp: '2025-01-18T04:00:00.5-05:00', eventId: 'evt-1' });
    expect(event.timestamp).toBe('2025-01-18T04:00:00.5-05:00');
    expect(event.eventId).toBe('evt-1');
    expect(event.date.toISOString()).toBe('2025-01-18T09:00:00.500Z');
  });

  it('formats a Date timestamp as RFC 3339 UTC with 6 fractional digits', () => {
    const event = new SignalEvent({ ...signalInit, timestamp: new Date('2025-01-18T09:00:00.123Z') });
    expect(event.timestamp).toBe('2025-01-18T09:00:00.123000Z');
  });

  it('rejects an invalid Date as a timestamp', () => {
    const error = validationError(() => new SignalEvent({ ...signalInit, timestamp: new Date(Number.NaN) }));
    expect(paths(error)).toEqual(['timestamp']);
  });
});

describe('Python model test cases', () => {
  it('rejects a naive timestamp', () => {
    const error = validationError(() => new SignalEvent({ ...signalInit, timestamp: '2025-01-18T09:00:00' }));
    expect(paths(error)).toEqual(['timestamp']);
    expect(error.issues[0]?.message).toMatch(/naive/);
  });

  it('rejects a missing timestamp on the wire', () => {
    const wire = { event_type: 'signals.generated', strategy_id: 's', symbols: ['A'], num_signals: 1, as_of_date: '2025-01-17' };
    expect(paths(validationError(() => SignalEvent.fromJSON(wire)))).toEqual(['timestamp']);
  });

  it('rejects empty symbols', () => {
    expect(paths(validationError(() => new SignalEvent({ ...signalInit, symbols: [] })))).toEqual(['symbols']);
  });

  it('rejects negative counts', () => {
    expect(paths(validationError(() => new SignalEvent({ ...signalInit, numSignals: -1 })))).toEqual(['num_signals']);
    const error = validationError(
      () => new OrderEvent({ runId: RUN_ID, strategyId: 's', numOrders: -1, numAccepted: -2, numRejected: -3 }),
    );
    expect(paths(error)).toEqual(['num_orders', 'num_accepted', 'num_rejected']);
  });

  it('rejects an invalid position action', () => {
    const init = { symbol: 'AAPL', action: 'short', qtyChange: 1, newQty: 1, price: '1', strategyId: 's' };
    // @ts-expect-error 'short' is not a PositionAction: the type rules it out, the schema too.
    expect(paths(validationError(() => new PositionEvent(init)))).toEqual(['action']);
  });

  it('accepts a partial rejection (num_rejected > 0)', () => {
    const event = new OrderEvent({ runId: RUN_ID, strategyId: 's', numOrders: 5, numAccepted: 3, numRejected: 2 });
    expect([event.numOrders, event.numAccepted, event.numRejected]).toEqual([5, 3, 2]);
  });

  it('round-trips every class through JSON', () => {
    const events = [
      new SignalEvent(signalInit),
      new OrderEvent({ runId: RUN_ID, strategyId: 's', numOrders: 3, numAccepted: 3, numRejected: 0 }),
      new PositionEvent({ symbol: 'MSFT', action: 'sell', qtyChange: -50, newQty: -50, price: '380.5000', strategyId: 's' }),
    ];
    for (const event of events) {
      const copy = (event.constructor as typeof SignalEvent).fromJSON(JSON.stringify(event));
      expect(copy).toBeInstanceOf(event.constructor);
      expect({ ...copy }).toEqual({ ...event });
      expect(copy.toWire()).toBe(event.toWire());
    }
  });
});

describe('construction errors', () => {
  it('lists every bad field at once, by snake_case wire path, with the ValiError as cause', () => {
    const error = validationError(
      () =>
        new PositionEvent({
          timestamp: '2025-02-30T09:00:00Z',
          symbol: 7 as unknown as string,
          action: 'hold' as 'buy',
          qtyChange: 1.5,
          newQty: Number.NaN,
          price: '12,5',
          strategyId: 's',
          eventId: '',
        }),
    );
    expect(paths(error)).toEqual(['timestamp', 'symbol', 'action', 'qty_change', 'new_qty', 'price', 'event_id']);
    expect(error.code).toBe('E_VALIDATION');
    expect(error.message).toMatch(/^Invalid PositionEvent: timestamp: .*event_id: /);
    expect(v.isValiError(error.cause)).toBe(true);
  });

  it('names array elements by index', () => {
    const error = validationError(() => new SignalEvent({ ...signalInit, symbols: ['A', 3 as unknown as string] }));
    expect(paths(error)).toEqual(['symbols.1']);
  });

  it('rejects an event type that does not match the class', () => {
    const init = { ...signalInit, eventType: 'orders.executed' } as unknown as SignalEventInit;
    expect(paths(validationError(() => new SignalEvent(init)))).toEqual(['event_type']);
  });

  it('rejects a run id that is not a UUID and a price given as a number', () => {
    const order = validationError(
      () => new OrderEvent({ runId: 'run-1', strategyId: 's', numOrders: 1, numAccepted: 1, numRejected: 0 }),
    );
    expect(paths(order)).toEqual(['run_id']);
    const position = validationError(
      () =>
        new PositionEvent({
          symbol: 'A', action: 'buy', qtyChange: 1, newQty: 1, price: 150.25 as unknown as string, strategyId: 's',
        }),
    );
    expect(paths(position)).toEqual(['price']);
  });

  it('ignores unknown init keys instead of sending them', () => {
    const init = { ...signalInit, producer: 'x', __proto__: { polluted: true } } as SignalEventInit;
    const wire = new SignalEvent(init).toJSON();
    expect(Object.keys(wire)).toEqual([
      'event_type', 'timestamp', 'strategy_id', 'symbols', 'num_signals', 'as_of_date', 'event_id',
    ]);
  });
});

describe('serialisation', () => {
  it('writes snake_case wire JSON in schema order, event_id last', () => {
    const event = new SignalEvent({ ...signalInit, timestamp: '2025-01-18T09:00:00Z', eventId: 'e1' });
    expect(event.toWire()).toBe(
      '{"event_type":"signals.generated","timestamp":"2025-01-18T09:00:00Z","strategy_id":"alpha_baseline",' +
        '"symbols":["AAPL","MSFT"],"num_signals":2,"as_of_date":"2025-01-17","event_id":"e1"}',
    );
    expect(JSON.stringify(event)).toBe(event.toWire());
  });

  it('omits event_id for a parsed event that had none', () => {
    const event = SignalEvent.fromJSON(
      '{"event_type":"signals.generated","timestamp":"2025-01-18T09:00:00Z","strategy_id":"s","symbols":["A"],"num_signals":1,"as_of_date":"2025-01-17"}',
    );
    expect(event.eventId).toBeUndefined();
    expect(Object.hasOwn(event.toJSON(), 'event_id')).toBe(false);
    expect(event.toWire()).not.toContain('event_id');
  });

  it('is immutable: the wire object and arrays are frozen, and the init array is not shared', () => {
    const symbols = ['AAPL'];
    const event = new SignalEvent({ ...signalInit, symbols });
    symbols.push('MSFT');
    expect(event.symbols).toEqual(['AAPL']);
    expect(Object.isFrozen(event.toJSON())).toBe(true);
    expect(Object.isFrozen(event.symbols)).toBe(true);
    expect(() => (event.symbols as string[]).push('X')).toThrow(TypeError);
  });

  it('accepts JSON bytes as well as text and objects', () => {
    const text = new SignalEvent(signalInit).toWire();
    expect(SignalEvent.fromJSON(new TextEncoder().encode(text)).toWire()).toBe(text);
    expect(SignalEvent.fromJSON(JSON.parse(text)).toWire()).toBe(text);
  });

  it('returns a new Date each time from date', () => {
    const event = SignalEvent.fromJSON({ ...new SignalEvent(signalInit).toJSON(), timestamp: '2025-01-18T09:00:00.123456+00:00' });
    const first = event.date;
    first.setTime(0);
    expect(event.date.toISOString()).toBe('2025-01-18T09:00:00.123Z');
  });
});
