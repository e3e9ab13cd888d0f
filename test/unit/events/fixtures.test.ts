import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { parseEvent, parseEventForChannel } from '../../../src/events/parse.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { thrownBy } from '../../harness/events/thrown.js';
import { listEventFixtures, readEventFixture } from '../../harness/events/wire-fixtures.js';

type EventClass = typeof SignalEvent | typeof OrderEvent | typeof PositionEvent;

/** Every valid vector, its class, and every field it must carry (camelCase). */
const VALID: Record<string, { cls: EventClass; fields: Record<string, unknown> }> = {
  'order-event.partial-rejection.json': {
    cls: OrderEvent,
    fields: {
      eventType: 'orders.executed',
      timestamp: '2025-01-18T09:01:00.5Z',
      runId: '550e8400-e29b-41d4-a716-446655440000',
      strategyId: 'alpha_baseline',
      numOrders: 5,
      numAccepted: 3,
      numRejected: 2,
      eventId: undefined,
    },
  },
  'order-event.pydantic.json': {
    cls: OrderEvent,
    fields: {
      eventType: 'orders.executed',
      timestamp: '2025-01-18T09:01:00Z',
      runId: '550e8400-e29b-41d4-a716-446655440000',
      strategyId: 'alpha_baseline',
      numOrders: 3,
      numAccepted: 3,
      numRejected: 0,
      eventId: undefined,
    },
  },
  'position-event.buy.json': {
    cls: PositionEvent,
    fields: {
      eventType: 'positions.updated',
      timestamp: '2025-01-18T09:01:30Z',
      symbol: 'AAPL',
      action: 'buy',
      qtyChange: 100,
      newQty: 100,
      price: '150.25',
      strategyId: 'alpha_baseline',
      eventId: undefined,
    },
  },
  'position-event.partial-fill.json': {
    cls: PositionEvent,
    fields: {
      eventType: 'positions.updated',
      timestamp: '2025-01-18T10:00:00+00:00',
      symbol: 'BRK.B',
      action: 'partial_fill',
      qtyChange: 7,
      newQty: 107,
      price: '412.1',
      strategyId: 'alpha_baseline',
      eventId: undefined,
    },
  },
  'position-event.sell.json': {
    cls: PositionEvent,
    fields: {
      eventType: 'positions.updated',
      timestamp: '2025-01-18T15:59:59.999999Z',
      symbol: 'MSFT',
      action: 'sell',
      qtyChange: -50,
      newQty: -50,
      price: '380.5000',
      strategyId: 'alpha_baseline',
      eventId: undefined,
    },
  },
  'signal-event.isoformat-micros.json': {
    cls: SignalEvent,
    fields: {
      eventType: 'signals.generated',
      timestamp: '2025-01-18T09:00:00.123456+00:00',
      strategyId: 'alpha_baseline',
      symbols: ['AAPL'],
      numSignals: 1,
      asOfDate: '2025-01-17',
      eventId: undefined,
    },
  },
  'signal-event.offset-and-extra.json': {
    cls: SignalEvent,
    fields: {
      eventType: 'signals.generated',
      timestamp: '2025-01-18T04:00:00-05:00',
      strategyId: 'alpha_baseline',
      symbols: ['AAPL', 'MSFT'],
      numSignals: 0,
      asOfDate: '2025-01-17',
      eventId: '0b9f4c4e-2f7e-4f39-9a4f-1f0a3c1f6d11',
    },
  },
  'signal-event.pydantic.json': {
    cls: SignalEvent,
    fields: {
      eventType: 'signals.generated',
      timestamp: '2025-01-18T09:00:00Z',
      strategyId: 'alpha_baseline',
      symbols: ['AAPL', 'MSFT', 'GOOGL'],
      numSignals: 3,
      asOfDate: '2025-01-17',
      eventId: undefined,
    },
  },
};

/** Every invalid vector, the class it claims to be, and the wire path its error must name. */
const INVALID: Record<string, { cls: EventClass; path: string }> = {
  'order-negative-count.json': { cls: OrderEvent, path: 'num_orders' },
  'position-invalid-action.json': { cls: PositionEvent, path: 'action' },
  'position-price-as-float.json': { cls: PositionEvent, path: 'price' },
  'signal-empty-symbols.json': { cls: SignalEvent, path: 'symbols' },
  'signal-fractional-count.json': { cls: SignalEvent, path: 'num_signals' },
  'signal-impossible-date.json': { cls: SignalEvent, path: 'timestamp' },
  'signal-missing-timestamp.json': { cls: SignalEvent, path: 'timestamp' },
  'signal-naive-timestamp.json': { cls: SignalEvent, path: 'timestamp' },
  'signal-negative-num-signals.json': { cls: SignalEvent, path: 'num_signals' },
};

function catchValidation(fn: () => unknown): ValidationError {
  return thrownBy(fn, ValidationError);
}

describe('valid wire vectors', () => {
  it('covers every file in events/valid/ but the price updates (price-update-event.test.ts reads those)', () => {
    expect(Object.keys(VALID).sort()).toEqual(listEventFixtures('valid').filter((file) => !file.startsWith('price-updated.')));
  });

  for (const [file, { cls, fields }] of Object.entries(VALID)) {
    describe(file, () => {
      const text = readEventFixture(`valid/${file}`);

      it('parses into the right class with every field intact', () => {
        const viaClass = cls.fromJSON(text);
        const viaParse = parseEvent(text);
        for (const event of [viaClass, viaParse]) {
          expect(event).toBeInstanceOf(cls);
          expect({ ...event }).toEqual(fields);
          expect(event.channel).toBe(cls.channel);
        }
        expect(parseEventForChannel(cls.channel, text)).toBeInstanceOf(cls);
      });

      it('round-trips: same known fields, timestamp string unchanged, unknown fields dropped', () => {
        const original = JSON.parse(text) as Record<string, unknown>;
        const event = cls.fromJSON(text);
        const wire = JSON.parse(event.toWire()) as Record<string, unknown>;
        const { producer: _dropped, ...known } = original;
        expect(wire).toEqual(known);
        expect(wire['timestamp']).toBe(original['timestamp']);
        expect(JSON.stringify(event)).toBe(event.toWire());
        expect(cls.fromJSON(event.toWire()).toWire()).toBe(event.toWire());
      });
    });
  }
});

describe('invalid wire vectors', () => {
  it('covers every file in events/invalid/', () => {
    expect([...Object.keys(INVALID), 'not-json.txt'].sort()).toEqual(listEventFixtures('invalid'));
  });

  for (const [file, { cls, path }] of Object.entries(INVALID)) {
    it(`${file} is rejected naming ${path}`, () => {
      const text = readEventFixture(`invalid/${file}`);
      const error = catchValidation(() => cls.fromJSON(text));
      expect(error.issues.map((i) => i.path)).toContain(path);
      expect(error.message).toContain(path);
      expect(error.cause).toBeInstanceOf(Error);
      const viaChannel = catchValidation(() => parseEventForChannel(cls.channel, text));
      expect(viaChannel.issues.map((i) => i.path)).toContain(path);
    });
  }

  it('not-json.txt is rejected as not JSON, by every entry point', () => {
    const text = readEventFixture('invalid/not-json.txt');
    for (const parse of [
      () => parseEvent(text),
      () => SignalEvent.fromJSON(text),
      () => parseEventForChannel('signals.generated', text),
    ]) {
      const error = catchValidation(parse);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.message).toMatch(/not valid JSON/);
      expect(error.cause).toBeInstanceOf(SyntaxError);
    }
  });
});

/** Every nonconforming vector: where it breaks the SDK's rules (its values are all kept). */
const NONCONFORMING: Record<string, { cls: EventClass; nonconforming: string[]; reads?: Record<string, unknown> }> = {
  'orders.executed.foreign-event-type.json': { cls: OrderEvent, nonconforming: ['event_type'] },
  'orders.executed.run-id-not-uuid.json': { cls: OrderEvent, nonconforming: ['run_id'] },
  'positions.updated.price-not-decimal.json': { cls: PositionEvent, nonconforming: ['price'] },
  // Pydantic's lax int reads "2" as 2, and that is what it writes back.
  'signals.generated.lax-int-free-date.json': { cls: SignalEvent, nonconforming: ['as_of_date'], reads: { num_signals: 2 } },
};

describe('nonconforming wire vectors: read like Python, write strictly', () => {
  it('covers every file in events/nonconforming/', () => {
    expect(Object.keys(NONCONFORMING).sort()).toEqual(listEventFixtures('nonconforming'));
  });

  for (const [file, { cls, nonconforming, reads }] of Object.entries(NONCONFORMING)) {
    describe(file, () => {
      const text = readEventFixture(`nonconforming/${file}`);
      const sent = JSON.parse(text) as Record<string, unknown>;

      it('parses on the channel its name starts with, keeping every value, and says where it does not conform', () => {
        expect(file.startsWith(`${cls.channel}.`)).toBe(true);
        for (const event of [parseEventForChannel(cls.channel, text), cls.fromJSON(text), cls.fromJSON(new TextEncoder().encode(text))]) {
          expect(event).toBeInstanceOf(cls);
          expect(event.toJSON()).toEqual({ ...sent, ...reads });
          expect(event.conforms).toBe(false);
          expect(event.nonconforming.map((issue) => issue.path)).toEqual(nonconforming);
          expect(event.eventType).toBe(cls.channel);
          expect(Object.isFrozen(event.nonconforming)).toBe(true);
          // Re-serialising emits the values it read.
          expect(JSON.parse(event.toWire())).toEqual({ ...sent, ...reads });
          expect(cls.fromJSON(event.toWire()).toWire()).toBe(event.toWire());
        }
      });

      it('is refused when built with a constructor, naming the same fields', () => {
        const init = Object.fromEntries(Object.entries(sent).map(([key, value]) => [key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), value]));
        const error = catchValidation(() => new (cls as new (init: unknown) => unknown)(init));
        for (const path of nonconforming) expect(error.issues.map((issue) => issue.path)).toContain(path);
      });
    });
  }

  it('orders.executed.foreign-event-type.json read without a channel goes by its event_type: a (broken) signal', () => {
    const error = catchValidation(() => parseEvent(readEventFixture('nonconforming/orders.executed.foreign-event-type.json')));
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['symbols', 'num_signals', 'as_of_date']));
  });
});

describe('hostile wire vectors', () => {
  it('covers every file in events/hostile/', () => {
    expect(listEventFixtures('hostile')).toEqual(['proto-pollution.json']);
  });

  it('proto-pollution.json parses without touching any shared prototype', () => {
    const text = readEventFixture('hostile/proto-pollution.json');
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const events = [parseEvent(text), SignalEvent.fromJSON(text), SignalEvent.fromJSON(JSON.parse(text))];
    for (const event of events) {
      expect(event).toBeInstanceOf(SignalEvent);
      const wire = event.toJSON();
      expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
      expect(Object.keys(wire)).toEqual(['event_type', 'timestamp', 'strategy_id', 'symbols', 'num_signals', 'as_of_date']);
      expect(Object.hasOwn(wire, '__proto__')).toBe(false);
      expect(Object.hasOwn(wire, 'constructor')).toBe(false);
      expect(Object.getPrototypeOf(event)).toBe(SignalEvent.prototype);
      expect(event.toWire()).not.toContain('polluted');
      expect(SignalEvent.fromJSON(event.toWire()).toWire()).toBe(event.toWire());
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((SignalEvent.prototype as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.constructor).toBe(Object);
  });
});
