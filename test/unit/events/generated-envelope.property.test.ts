import fc from 'fast-check';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { OrderEventSchema, POSITION_ACTIONS, PositionEventSchema, SignalEventSchema } from '../../../src/events/schemas.js';
import { SignalEvent } from '../../../src/events/signal-event.js';

// Events whose timestamp and id the SDK generates are checked by the schema with those two
// fields only type-checked. These tests hold that shortcut to the full schema: same verdict, same
// issues, same wire object, and a generated envelope that the full schema accepts.

afterEach(() => {
  vi.restoreAllMocks();
});

type Outcome = { ok: true; keys: string[]; payload: string } | { ok: false; issues: unknown };

/** Builds with `make`; the wire object without its envelope values, or the validation issues. */
function outcome(make: () => { toJSON(): object }): Outcome {
  try {
    const wire = make().toJSON() as Record<string, unknown>;
    const payload = JSON.stringify({ ...wire, timestamp: undefined, event_id: undefined });
    return { ok: true, keys: Object.keys(wire), payload };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { ok: false, issues: error.issues };
  }
}

const FIXED = { timestamp: '2025-01-18T09:00:00.123456Z', eventId: 'fixed-id' };
const junk = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.object());
const orJunk = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: junk });
const date = fc.constantFrom('2025-01-17', '2024-02-29', '2025-02-29', '2025-1-17', '0000-01-01');
const count = fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 }), fc.constant(1.5));

const cases = [
  {
    name: 'SignalEvent',
    schema: SignalEventSchema,
    make: (init: object) => new SignalEvent(init as never),
    init: fc.record({
      eventType: fc.option(fc.constantFrom('signals.generated', 'orders.executed'), { nil: undefined }),
      strategyId: orJunk(fc.string()),
      symbols: orJunk(fc.array(fc.string(), { maxLength: 3 })),
      numSignals: orJunk(count),
      asOfDate: orJunk(date),
    }),
  },
  {
    name: 'OrderEvent',
    schema: OrderEventSchema,
    make: (init: object) => new OrderEvent(init as never),
    init: fc.record({
      runId: orJunk(fc.oneof(fc.uuid(), fc.string())),
      strategyId: orJunk(fc.string()),
      numOrders: orJunk(count),
      numAccepted: orJunk(count),
      numRejected: orJunk(count),
    }),
  },
  {
    name: 'PositionEvent',
    schema: PositionEventSchema,
    make: (init: object) => new PositionEvent(init as never),
    init: fc.record({
      symbol: orJunk(fc.string()),
      action: orJunk(fc.constantFrom(...POSITION_ACTIONS, 'hold')),
      qtyChange: orJunk(fc.integer()),
      newQty: orJunk(fc.integer()),
      price: orJunk(fc.constantFrom('150.25', '-0.5', '1E-7', 'NaN', '1,5')),
      strategyId: orJunk(fc.string()),
    }),
  },
] as const;

describe.each(cases)('$name with a generated timestamp and event id', ({ schema, make, init }) => {
  it('gives the same verdict, issues and wire object as the full schema does with both given', () => {
    fc.assert(
      fc.property(init, (fields) => {
        const generated = outcome(() => make(fields));
        const given = outcome(() => make({ ...fields, ...FIXED }));
        expect(generated).toEqual(given);
      }),
      { numRuns: 300 },
    );
  });

  it('generates an envelope the full schema accepts, leaving the wire object unchanged by it', () => {
    fc.assert(
      fc.property(init, (fields) => {
        let wire: object;
        try {
          wire = make(fields).toJSON();
        } catch {
          return; // Invalid payloads are the other test's business.
        }
        const full = v.safeParse(schema, wire);
        expect(full.success).toBe(true);
        expect(JSON.stringify(full.output)).toBe(JSON.stringify(wire));
      }),
      { numRuns: 200 },
    );
  });
});

describe('generated envelope edge cases', () => {
  const signal = { strategyId: 's', symbols: ['AAPL'], numSignals: 1, asOfDate: '2025-01-17' };

  it('refuses to generate a timestamp outside years 0001-9999, as the full schema would', () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse('9999-12-31T23:59:59.999Z') + 1);
    expect(() => new SignalEvent(signal)).toThrow(ValidationError);
    try {
      new SignalEvent(signal);
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['timestamp']);
    }
  });

  it('accepts the last millisecond of year 9999', () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse('9999-12-31T23:59:59.999Z'));
    expect(new SignalEvent(signal).timestamp).toMatch(/^9999-12-31T23:59:59\.999\d{3}Z$/);
  });

  it('reads timestamp and eventId once, so a getter cannot slip an unchecked value past the schema', () => {
    let reads = 0;
    const answers = [undefined, 'not a timestamp'];
    const init = {
      ...signal,
      get timestamp(): string | undefined {
        reads += 1;
        return answers[Math.min(reads - 1, 1)];
      },
    };
    const event = new SignalEvent(init);
    expect(reads).toBe(1);
    expect(event.timestamp).toMatch(/Z$/);
    let idReads = 0;
    const bad = {
      ...signal,
      get eventId(): string | undefined {
        idReads += 1;
        return idReads === 1 ? undefined : '';
      },
    };
    expect(new SignalEvent(bad).eventId).not.toBe('');
    expect(idReads).toBe(1);
  });
});
