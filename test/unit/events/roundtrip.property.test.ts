import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../src/events/parse.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { POSITION_ACTIONS } from '../../../src/events/schemas.js';
import type { OrderEventInit, PositionEventInit, SignalEventInit } from '../../../src/events/schemas.js';
import { SignalEvent } from '../../../src/events/signal-event.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const calendarDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .map((d) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`);

const timeOfDay = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`);

const fraction = fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,6}$/));

const zone = fc.oneof(
  fc.constantFrom('Z', '+00:00'),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
);

/** Any timestamp the Python services could send: every calendar date, offset and precision. */
const timestamp = fc
  .tuple(calendarDate, fc.constantFrom('T', ' '), timeOfDay, fraction, zone)
  .map((parts) => parts.join(''));

const count = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const signed = fc.maxSafeInteger();
const envelope = {
  timestamp: fc.option(timestamp, { nil: undefined }),
  eventId: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
};

const signalInit: fc.Arbitrary<SignalEventInit> = fc.record({
  ...envelope,
  strategyId: fc.string(),
  symbols: fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
  numSignals: count,
  asOfDate: calendarDate,
});

const orderInit: fc.Arbitrary<OrderEventInit> = fc.record({
  ...envelope,
  runId: fc.uuid(),
  strategyId: fc.string(),
  numOrders: count,
  numAccepted: count,
  numRejected: count,
});

const positionInit: fc.Arbitrary<PositionEventInit> = fc.record({
  ...envelope,
  symbol: fc.string(),
  action: fc.constantFrom(...POSITION_ACTIONS),
  qtyChange: signed,
  newQty: signed,
  price: fc.stringMatching(/^-?\d{1,12}(\.\d{1,8})?$/),
  strategyId: fc.string(),
});

/** The init's fields as the event must expose them (defaults aside). */
function expectFieldsKept(event: object, init: object): void {
  for (const [key, value] of Object.entries(init)) {
    if (value === undefined) continue;
    expect((event as Record<string, unknown>)[key]).toEqual(value);
  }
}

describe('round trip through toWire/fromJSON', () => {
  it('keeps every field of any valid SignalEvent init', () => {
    fc.assert(
      fc.property(signalInit, (init) => {
        const event = new SignalEvent(init);
        expectFieldsKept(event, init);
        const copy = SignalEvent.fromJSON(event.toWire());
        expect({ ...copy }).toEqual({ ...event });
        expect(copy.toWire()).toBe(event.toWire());
        expect(parseEvent(event.toWire()).toWire()).toBe(event.toWire());
      }),
    );
  });

  it('keeps every field of any valid OrderEvent init', () => {
    fc.assert(
      fc.property(orderInit, (init) => {
        const event = new OrderEvent(init);
        expectFieldsKept(event, init);
        const copy = OrderEvent.fromJSON(event.toWire());
        expect({ ...copy }).toEqual({ ...event });
        expect(copy.toWire()).toBe(event.toWire());
      }),
    );
  });

  it('keeps every field of any valid PositionEvent init', () => {
    fc.assert(
      fc.property(positionInit, (init) => {
        const event = new PositionEvent(init);
        expectFieldsKept(event, init);
        const copy = PositionEvent.fromJSON(event.toWire());
        expect({ ...copy }).toEqual({ ...event });
        expect(copy.toWire()).toBe(event.toWire());
      }),
    );
  });

  it('date always agrees with the timestamp instant', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z') }), (date) => {
        const event = new SignalEvent({ timestamp: date, strategyId: 's', symbols: ['A'], numSignals: 0, asOfDate: '2025-01-17' });
        expect(event.date.getTime()).toBe(date.getTime());
      }),
    );
  });
});
