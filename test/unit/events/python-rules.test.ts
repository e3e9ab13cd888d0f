/**
 * The upstream Python models (LeeeWayyy/trading_platform, libs/core/redis_client/events.py,
 * Pydantic v2) against the SDK's parser. Each row is a message, the verdict the Python model gives
 * in JSON mode (`model_validate_json`) and why, read from the model's code: `event_type`,
 * `strategy_id`, `run_id`, `as_of_date`, `symbol`, `price` are plain `str` (any string, but only a
 * string); counts are `int` with `ge=0` and quantities plain `int`, both in lax mode; `timestamp`
 * is a `datetime` whose validator refuses a naive value; `symbols` is `list[str]` with
 * `min_length=1`; `action`'s validator allows four values; unknown fields are ignored. The
 * price rows follow libs/data/market_data/types.py's `PriceUpdateEvent` (see PRICE below). Every
 * verdict was also confirmed by running the models (pydantic 2.13.4).
 *
 * An accepted row must parse on its channel, keep the values it read (`reads`: the wire fields
 * after parsing where they differ from the message, i.e. what Pydantic converted from another JSON
 * type; a string is kept exactly, where model_dump_json would normalise a Decimal or a datetime)
 * and say where it breaks the SDK's own rules (`nonconforming`); a refused row must be a
 * ValidationError naming Python's field.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import type { Channel } from '../../../src/events/channels.js';
import { OrderEventLenientSchema, PositionEventLenientSchema, PriceUpdateEventLenientSchema, SignalEventLenientSchema } from '../../../src/events/lenient-schemas.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { parseEventForChannel } from '../../../src/events/parse.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import { POSITION_ACTIONS } from '../../../src/events/schemas.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { thrownBy } from '../../harness/events/thrown.js';

const SIGNAL = {
  event_type: 'signals.generated',
  timestamp: '2025-01-18T09:00:00Z',
  strategy_id: 'alpha_baseline',
  symbols: ['AAPL'],
  num_signals: 1,
  as_of_date: '2025-01-17',
};
const ORDER = {
  event_type: 'orders.executed',
  timestamp: '2025-01-18T09:01:00Z',
  run_id: '550e8400-e29b-41d4-a716-446655440000',
  strategy_id: 'alpha_baseline',
  num_orders: 3,
  num_accepted: 3,
  num_rejected: 0,
};
const POSITION = {
  event_type: 'positions.updated',
  timestamp: '2025-01-18T09:01:30Z',
  symbol: 'AAPL',
  action: 'buy',
  qty_change: 100,
  new_qty: 100,
  price: '150.25',
  strategy_id: 'alpha_baseline',
};
// libs/data/market_data/types.py: event_type is Literal["price.updated"] with that default; price
// is a Decimal with ge=0; bid, ask, bid_price, ask_price are Decimal | None; the sizes and volume
// int | None; exchange str | None; timestamp a plain str. As model_dump_json writes it.
const PRICE = {
  event_type: 'price.updated',
  symbol: 'AAPL',
  price: '150.25',
  timestamp: '2025-01-17T14:30:15.123456+00:00',
  bid: null,
  ask: null,
  bid_price: null,
  ask_price: null,
  bid_size: null,
  ask_size: null,
  exchange: null,
  volume: null,
};
const BASES = { 'signals.generated': SIGNAL, 'orders.executed': ORDER, 'positions.updated': POSITION, 'price.updated.AAPL': PRICE } as const;
type Base = keyof typeof BASES;

/** The base message of `channel` with `changes` (a key set to `undefined` is removed). */
function message(channel: Base, changes: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...BASES[channel], ...changes });
}

interface Accepted {
  why: string;
  channel: Base;
  text: string;
  /** Wire fields after parsing that differ from the message (Pydantic converted them). */
  reads?: Record<string, unknown>;
  /** Paths where the message breaks the SDK's own rules; none when it conforms. */
  nonconforming?: string[];
}

interface Refused {
  why: string;
  channel: Base;
  text: string;
  /** The field Python's error names (`''` for the whole message). */
  path: string;
}

const S = 'signals.generated';
const O = 'orders.executed';
const P = 'positions.updated';
const Q = 'price.updated.AAPL';
const NO_QUOTE = { bid: undefined, ask: undefined, bid_price: undefined, ask_price: undefined, bid_size: undefined, ask_size: undefined, exchange: undefined, volume: undefined };

const ACCEPTED: Accepted[] = [
  { why: 'every field as the models write them', channel: S, text: message(S) },
  { why: 'run_id: str, any string; the SDK writes UUIDs', channel: O, text: message(O, { run_id: 'run-2025-01-17-001' }), nonconforming: ['run_id'] },
  { why: 'as_of_date: str, any string; the SDK writes YYYY-MM-DD', channel: S, text: message(S, { as_of_date: '2025-01-17T00:00:00' }), nonconforming: ['as_of_date'] },
  { why: 'as_of_date: str, even empty', channel: S, text: message(S, { as_of_date: '' }), nonconforming: ['as_of_date'] },
  { why: 'price: str, any string; the SDK writes decimal strings', channel: P, text: message(P, { price: 'abc' }), nonconforming: ['price'] },
  { why: 'price: str, even empty', channel: P, text: message(P, { price: '' }), nonconforming: ['price'] },
  { why: 'strategy_id: str, even empty (the SDK has no stricter rule)', channel: O, text: message(O, { strategy_id: '' }) },
  { why: 'event_type: str, any string; the channel decides the class', channel: S, text: message(S, { event_type: 'anything' }), nonconforming: ['event_type'] },
  { why: 'event_type has a default: absent, it is the model type', channel: S, text: message(S, { event_type: undefined }), reads: { event_type: 'signals.generated' } },
  { why: 'lax int: a numeric string', channel: S, text: message(S, { num_signals: '5' }), reads: { num_signals: 5 } },
  { why: 'lax int: surrounding whitespace is trimmed', channel: S, text: message(S, { num_signals: ' 5 ' }), reads: { num_signals: 5 } },
  { why: 'lax int: an explicit plus sign', channel: S, text: message(S, { num_signals: '+5' }), reads: { num_signals: 5 } },
  { why: 'lax int: a fraction of zeros', channel: S, text: message(S, { num_signals: '5.00' }), reads: { num_signals: 5 } },
  { why: 'lax int: underscores between digits', channel: S, text: message(S, { num_signals: '1_000' }), reads: { num_signals: 1000 } },
  { why: 'lax int: true is 1', channel: S, text: message(S, { num_signals: true }), reads: { num_signals: 1 } },
  { why: 'lax int: false is 0', channel: O, text: message(O, { num_rejected: false }), reads: { num_rejected: 0 } },
  { why: 'lax int: "3.0" is 3', channel: O, text: message(O, { num_accepted: '3.0' }), reads: { num_accepted: 3 } },
  { why: 'lax int: a signed string for a signed field', channel: P, text: message(P, { qty_change: '-50' }), reads: { qty_change: -50 } },
  { why: 'lax int: whitespace around a negative', channel: P, text: message(P, { new_qty: ' -7 ' }), reads: { new_qty: -7 } },
  { why: 'lax int: a JSON number with a zero fraction', channel: S, text: message(S).replace('"num_signals":1', '"num_signals":2.0'), reads: { num_signals: 2 } },
  { why: 'lax int: an exponent that lands on an integer', channel: S, text: message(S).replace('"num_signals":1', '"num_signals":1e3'), reads: { num_signals: 1000 } },
  { why: 'datetime: a space instead of T (the SDK reads that too)', channel: S, text: message(S, { timestamp: '2025-01-18 09:00:00Z' }) },
  { why: 'datetime: an offset and one fractional digit', channel: S, text: message(S, { timestamp: '2025-01-18T09:00:00.5+05:30' }) },
  { why: 'datetime: digits past the sixth are dropped by Python, kept as text here', channel: S, text: message(S, { timestamp: '2025-01-18T09:00:00.123456789Z' }), nonconforming: ['timestamp'] },
  { why: 'datetime: seconds are optional', channel: S, text: message(S, { timestamp: '2025-01-18T09:00Z' }), nonconforming: ['timestamp'] },
  { why: 'datetime: an offset without a colon', channel: S, text: message(S, { timestamp: '2025-01-18T09:00:00+0530' }), nonconforming: ['timestamp'] },
  { why: 'datetime: an underscore between date and time', channel: S, text: message(S, { timestamp: '2025-01-18_09:00:00Z' }), nonconforming: ['timestamp'] },
  { why: 'datetime: U+2212 MINUS in the offset', channel: S, text: message(S, { timestamp: '2025-01-18T09:00:00\u221205:00' }), nonconforming: ['timestamp'] },
  { why: 'datetime: a Unix time number is UTC, kept as the text Pydantic writes', channel: S, text: message(S, { timestamp: 1737190800 }), reads: { timestamp: '2025-01-18T09:00:00Z' } },
  { why: 'datetime: a Unix time string is UTC, kept as written', channel: S, text: message(S, { timestamp: '1737190800' }), nonconforming: ['timestamp'] },
  { why: 'unknown fields are ignored', channel: S, text: message(S, { producer: 'signal_service', nested: { a: [1] } }) },
  { why: "unknown fields may hold Python's NaN token", channel: S, text: message(S).replace(/}$/, ',"score":NaN}') },
  { why: 'and its Infinity tokens', channel: S, text: message(S).replace(/}$/, ',"hi":Infinity,"lo":-Infinity}') },
  { why: 'list[str] with min_length=1: one empty string is a list of one', channel: S, text: message(S, { symbols: [''] }) },
  { why: "action's validator allows partial_fill", channel: P, text: message(P, { action: 'partial_fill' }) },
  { why: 'event_id is no field of the models: a number there is ignored, and dropped', channel: O, text: message(O, { event_id: 5 }) },
  { why: 'price update as model_dump_json writes it', channel: Q, text: message(Q) },
  { why: 'Decimal takes a JSON number, written back as model_dump_json writes the Decimal', channel: Q, text: message(Q, { price: 150.25 }), reads: { price: '150.25' } },
  { why: 'Decimal takes exponent notation', channel: Q, text: message(Q, { price: '1e2' }) },
  { why: 'Decimal strips whitespace; kept as written', channel: Q, text: message(Q, { price: ' 150.25' }), nonconforming: ['price'] },
  { why: 'Decimal takes underscores; kept as written', channel: Q, text: message(Q, { ask_price: '1_000.5' }), nonconforming: ['ask_price'] },
  { why: "price: ge=0 holds for -0", channel: Q, text: message(Q, { price: '-0' }) },
  { why: 'bid: Decimal | None has no ge=0; the SDK writes no negative price', channel: Q, text: message(Q, { bid: '-1' }), nonconforming: ['bid'] },
  { why: 'bid_size: int | None, lax', channel: Q, text: message(Q, { bid_size: '300' }), reads: { bid_size: 300 } },
  { why: 'volume: int | None, lax: true is 1', channel: Q, text: message(Q, { volume: true }), reads: { volume: 1 } },
  { why: 'timestamp: str, any string; the SDK writes aware RFC 3339', channel: Q, text: message(Q, { timestamp: 'whenever' }), nonconforming: ['timestamp'] },
  { why: 'the optional quote fields default to None', channel: Q, text: message(Q, NO_QUOTE), reads: { bid: null, ask: null, bid_price: null, ask_price: null, bid_size: null, ask_size: null, exchange: null, volume: null } },
  { why: 'event_type: Literal with a default: absent, it is price.updated', channel: Q, text: message(Q, { event_type: undefined }), reads: { event_type: 'price.updated' } },
  { why: 'the model does not know the channel: a symbol of another channel reads, and is reported', channel: Q, text: message(Q, { symbol: 'MSFT' }), nonconforming: ['symbol'] },
];

const REFUSED: Refused[] = [
  { why: 'the validator refuses a naive datetime', channel: S, text: message(S, { timestamp: '2025-01-18T09:00:00' }), path: 'timestamp' },
  { why: 'a date alone reads as a naive midnight', channel: S, text: message(S, { timestamp: '2025-01-18' }), path: 'timestamp' },
  { why: 'February 31st does not exist', channel: S, text: message(S, { timestamp: '2025-02-31T09:00:00Z' }), path: 'timestamp' },
  { why: 'hour 24 does not exist', channel: S, text: message(S, { timestamp: '2025-01-18T24:00:00Z' }), path: 'timestamp' },
  { why: 'an offset must be under 24 hours', channel: S, text: message(S, { timestamp: '2025-01-18T09:00:00+24:00' }), path: 'timestamp' },
  { why: 'Python datetimes have no year 0', channel: S, text: message(S, { timestamp: '0000-12-31T09:00:00Z' }), path: 'timestamp' },
  { why: 'a Unix time past 9999', channel: S, text: message(S, { timestamp: 1e20 }), path: 'timestamp' },
  { why: 'a boolean is no datetime', channel: S, text: message(S, { timestamp: true }), path: 'timestamp' },
  { why: 'timestamp is required (no default)', channel: S, text: message(S, { timestamp: undefined }), path: 'timestamp' },
  { why: 'symbols: min_length=1', channel: S, text: message(S, { symbols: [] }), path: 'symbols' },
  { why: 'symbols: a string is no list', channel: S, text: message(S, { symbols: 'AAPL' }), path: 'symbols' },
  { why: 'symbols: list[str] refuses a number item', channel: S, text: message(S, { symbols: ['AAPL', 1] }), path: 'symbols.1' },
  { why: 'num_signals: ge=0', channel: S, text: message(S, { num_signals: -1 }), path: 'num_signals' },
  { why: 'lax int: a fractional number', channel: S, text: message(S, { num_signals: 1.5 }), path: 'num_signals' },
  { why: 'lax int: a fractional string', channel: S, text: message(S, { num_signals: '1.5' }), path: 'num_signals' },
  { why: 'lax int: no exponent in a string', channel: S, text: message(S, { num_signals: '1e3' }), path: 'num_signals' },
  { why: 'lax int: null', channel: S, text: message(S, { num_signals: null }), path: 'num_signals' },
  { why: "lax int: NaN is Python's token, not a finite number", channel: S, text: message(S).replace('"num_signals":1', '"num_signals":NaN'), path: 'num_signals' },
  { why: 'num_orders: ge=0 holds for a converted string too', channel: O, text: message(O, { num_orders: '-3' }), path: 'num_orders' },
  { why: 'qty_change: lax int refuses an exponent string', channel: P, text: message(P, { qty_change: '1e2' }), path: 'qty_change' },
  { why: 'run_id: str refuses a number (no coercion to str in Pydantic v2)', channel: O, text: message(O, { run_id: 123 }), path: 'run_id' },
  { why: 'run_id: str refuses null', channel: O, text: message(O, { run_id: null }), path: 'run_id' },
  { why: 'price: str refuses a JSON number', channel: P, text: message(P, { price: 150.25 }), path: 'price' },
  { why: "action's validator: not one of the four", channel: P, text: message(P, { action: 'short' }), path: 'action' },
  { why: "action's validator is case-sensitive", channel: P, text: message(P, { action: 'BUY' }), path: 'action' },
  { why: 'event_type: str refuses null', channel: S, text: message(S, { event_type: null }), path: 'event_type' },
  { why: 'event_type: str refuses a number', channel: S, text: message(S, { event_type: 5 }), path: 'event_type' },
  { why: 'strategy_id is required', channel: S, text: message(S, { strategy_id: undefined }), path: 'strategy_id' },
  { why: 'as_of_date: str refuses a number', channel: S, text: message(S, { as_of_date: 20250117 }), path: 'as_of_date' },
  { why: "jiter refuses an unpaired surrogate escape, even in a str field's value", channel: S, text: message(S, { strategy_id: 'X' }).replace('"X"', '"\\ud800"'), path: '' },
  { why: 'a model is a JSON object, not an array', channel: S, text: `[${message(S)}]`, path: '' },
  { why: 'text that is not JSON', channel: S, text: message(S).slice(0, 40), path: '' },
  { why: 'price: Decimal refuses text that is no number', channel: Q, text: message(Q, { price: 'abc' }), path: 'price' },
  { why: 'price: ge=0', channel: Q, text: message(Q, { price: '-1' }), path: 'price' },
  { why: 'price: required, and not Optional', channel: Q, text: message(Q, { price: null }), path: 'price' },
  { why: 'price: Decimal refuses a boolean', channel: Q, text: message(Q, { price: true }), path: 'price' },
  { why: 'price: Decimal refuses NaN (not finite)', channel: Q, text: message(Q, { price: 'NaN' }), path: 'price' },
  { why: 'event_type: Literal["price.updated"] refuses another type', channel: Q, text: message(Q, { event_type: 'signals.generated' }), path: 'event_type' },
  { why: 'timestamp: str refuses a number', channel: Q, text: message(Q, { timestamp: 1737190800 }), path: 'timestamp' },
  { why: 'bid_size: lax int refuses a fraction', channel: Q, text: message(Q, { bid_size: 1.5 }), path: 'bid_size' },
  { why: 'exchange: str | None refuses a number', channel: Q, text: message(Q, { exchange: 5 }), path: 'exchange' },
  { why: 'symbol is required', channel: Q, text: message(Q, { symbol: undefined }), path: 'symbol' },
];

describe('the upstream Python models, row by row', () => {
  it('has at least 40 rows, both verdicts', () => {
    expect(ACCEPTED.length + REFUSED.length).toBeGreaterThanOrEqual(40);
    expect(ACCEPTED.length).toBeGreaterThan(10);
    expect(REFUSED.length).toBeGreaterThan(10);
  });

  for (const row of ACCEPTED) {
    it(`Python accepts (${row.why}), and so does the SDK`, () => {
      const event = parseEventForChannel(row.channel as Channel, row.text);
      // Python's tokens sit in unknown fields only: null stands for them in this reading.
      const sent = JSON.parse(row.text.replace(/:(?:-?Infinity|NaN)/g, ':null')) as Record<string, unknown>;
      const known = Object.fromEntries(Object.keys(BASES[row.channel]).map((key) => [key, sent[key]]));
      expect(event.toJSON()).toEqual({ ...known, ...row.reads });
      expect(JSON.parse(event.toWire())).toEqual({ ...known, ...row.reads });
      expect(event.nonconforming.map((issue) => issue.path)).toEqual(row.nonconforming ?? []);
      expect(event.conforms).toBe(row.nonconforming === undefined);
      expect(event.eventType).toBe(row.channel === Q ? 'price.updated' : row.channel);
      expect(event.channel).toBe(row.channel === Q ? `price.updated.${String((event.toJSON() as Record<string, unknown>)['symbol'])}` : row.channel);
      expect(Number.isNaN(event.date.getTime())).toBe(row.channel === Q && event.timestamp === 'whenever');
    });
  }

  for (const row of REFUSED) {
    it(`Python refuses (${row.why}), and so does the SDK, naming ${row.path || 'the message'}`, () => {
      const error = thrownBy(() => parseEventForChannel(row.channel as Channel, row.text), ValidationError);
      expect(error.issues.map((issue) => issue.path)).toContain(row.path);
    });
  }
});

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const calendarDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .map((d) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`);
/** Every timestamp form the constructors take: T, t or a space; Z, z or an offset; 0-6 fractional digits; or a Date. */
const timestamp = fc.oneof(
  fc
    .tuple(
      calendarDate,
      fc.constantFrom('T', 't', ' '),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,6}$/)),
      fc.oneof(fc.constantFrom('Z', 'z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`)),
    )
    .map(([date, sep, h, m, sec, fraction, zone]) => `${date}${sep}${pad(h)}:${pad(m)}:${pad(sec)}${fraction}${zone}`),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
);
/** Any UTF-16 text, unpaired surrogates included: the constructors must refuse what Python cannot read. */
const text = fc.string({ unit: 'binary', maxLength: 12 });
const envelope = { timestamp: fc.option(timestamp, { nil: undefined }), eventId: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), { nil: undefined }) };
const count = fc.nat({ max: Number.MAX_SAFE_INTEGER });

const KINDS = [
  {
    channel: 'signals.generated',
    lenient: SignalEventLenientSchema,
    make: fc
      .record({ ...envelope, strategyId: text, symbols: fc.array(text, { minLength: 1, maxLength: 4 }), numSignals: count, asOfDate: calendarDate })
      .map((init) => () => new SignalEvent(init)),
  },
  {
    channel: 'orders.executed',
    lenient: OrderEventLenientSchema,
    make: fc
      .record({ ...envelope, runId: fc.uuid(), strategyId: text, numOrders: count, numAccepted: count, numRejected: count })
      .map((init) => () => new OrderEvent(init)),
  },
  {
    channel: 'positions.updated',
    lenient: PositionEventLenientSchema,
    make: fc
      .record({
        ...envelope,
        symbol: text,
        action: fc.constantFrom(...POSITION_ACTIONS),
        qtyChange: fc.maxSafeInteger(),
        newQty: fc.maxSafeInteger(),
        price: fc.stringMatching(/^[+-]?(?:\d{1,12}(?:\.\d{1,8})?|\.\d{1,8})(?:[eE][+-]?\d{1,3})?$/),
        strategyId: text,
      })
      .map((init) => () => new PositionEvent(init)),
  },
  {
    channel: 'price.updated.',
    lenient: PriceUpdateEventLenientSchema,
    make: fc
      .record({
        ...envelope,
        symbol: fc.stringMatching(/^[A-Za-z0-9.-]{1,32}$/),
        price: fc.stringMatching(/^(?:\d{1,12}(?:\.\d{1,8})?|\.\d{1,8})(?:[eE][+-]?\d{1,3})?$/),
        bid: fc.option(fc.stringMatching(/^\d{1,6}\.\d{1,4}$/), { nil: undefined }),
        ask: fc.option(fc.oneof(fc.constant(null), fc.stringMatching(/^\d{1,6}$/)), { nil: undefined }),
        bidSize: fc.option(fc.oneof(fc.constant(null), count), { nil: undefined }),
        volume: fc.option(count, { nil: undefined }),
        exchange: fc.option(fc.oneof(fc.constant(null), text), { nil: undefined }),
      })
      .map((init) => () => new PriceUpdateEvent(init)),
  },
] as const;

describe('what the strict constructors write, the lenient parser reads back equal', () => {
  for (const kind of KINDS) {
    it(`${kind.channel}: accepted by the Python-rules schema and by the parser, conforming and unchanged`, () => {
      fc.assert(
        fc.property(kind.make, (make) => {
          let event: SignalEvent | OrderEvent | PositionEvent | PriceUpdateEvent;
          try {
            event = make();
          } catch (error) {
            // Only a refused init (e.g. a string Python could not read) is no message at all.
            expect(error).toBeInstanceOf(ValidationError);
            fc.pre(false);
            return;
          }
          const wire = event.toWire();
          const lenient = v.safeParse(kind.lenient, JSON.parse(wire));
          expect(lenient.success).toBe(true);
          expect(lenient.output).toEqual(event.toJSON());
          // A family's channel is the event's own (price.updated.{symbol}).
          const channel = (kind.channel.endsWith('.') ? event.channel : kind.channel) as Channel;
          for (const input of [wire, new TextEncoder().encode(wire)]) {
            const read = parseEventForChannel(channel, input);
            expect(read.conforms).toBe(true);
            expect(read.toWire()).toBe(wire);
            expect({ ...read }).toEqual({ ...event });
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('the constructors refuse a string Python cannot read', () => {
    const init = { strategyId: 'a\ud800', symbols: ['AAPL'], numSignals: 1, asOfDate: '2025-01-17' };
    expect(thrownBy(() => new SignalEvent(init), ValidationError).issues.map((issue) => issue.path)).toEqual(['strategy_id']);
  });
});
