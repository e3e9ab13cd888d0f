/**
 * valibot schemas of the events as they travel on the wire (snake_case JSON, exactly as the
 * Python services' Pydantic models write them). They are the single source of truth: the wire
 * types below are inferred from them, and the camelCase init types are derived from those. Each
 * schema's `event_type` literal is written here only: the event classes and the registry
 * (`registry.ts`, which maps each channel to its schema and class) read it from the schema.
 *
 * Unknown fields are tolerated and dropped (`v.object` keeps only known keys, which also keeps
 * `__proto__`/`constructor` keys of hostile input out of the output).
 */
import * as v from 'valibot';
import { decimalProblem, isoDateProblem, nonNegativeDecimalProblem, timestampProblem } from './formats.js';
import type { EventInit } from './init.js';

const MAX_QUOTED = 64;

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}

/** A string schema whose text must pass `problem` (which returns why it does not, or undefined). */
function formattedString(problem: (text: string) => string | undefined) {
  return v.pipe(
    v.string(),
    v.rawCheck<string>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const reason = problem(dataset.value);
      if (reason !== undefined) addIssue({ message: `${quote(dataset.value)} ${reason}` });
    }),
  );
}

/** Timezone-aware RFC 3339 timestamp with `Z` or an offset and at most 6 fractional digits. */
export const TimestampSchema = formattedString(timestampProblem);

/** ISO `YYYY-MM-DD` date that exists in the calendar. */
export const IsoDateSchema = formattedString(isoDateProblem);

/** Finite decimal number written as a string (`"150.25"`); a JSON number is refused. */
export const DecimalStringSchema = formattedString(decimalProblem);

/** A decimal string of a number >= 0 (`"150.25"`, `"0"`). */
export const NonNegativeDecimalStringSchema = formattedString(nonNegativeDecimalProblem);

/**
 * A ticker symbol, the rule of FeatureCache keys: 1 to 32 ASCII letters, digits, `.` or `-`. A
 * price update's channel is made of it, so it never holds a glob character.
 */
export const SymbolSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]{1,32}$/, 'must be 1 to 32 letters, digits, "." or "-" (a ticker such as BRK.B)'));

const CountSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const SignedIntSchema = v.pipe(v.number(), v.safeInteger());
// Not part of the Python models (they ignore it); TypeScript producers send a UUID.
const EventIdSchema = v.exactOptional(v.pipe(v.string(), v.nonEmpty()));

/** The position actions the Python services publish. */
export const POSITION_ACTIONS = ['buy', 'sell', 'fill', 'partial_fill'] as const;

/** One of {@link POSITION_ACTIONS}. */
export type PositionAction = (typeof POSITION_ACTIONS)[number];

/** Wire schema of a `signals.generated` event. */
export const SignalEventSchema = v.object({
  event_type: v.literal('signals.generated'),
  timestamp: TimestampSchema,
  strategy_id: v.string(),
  symbols: v.pipe(v.array(v.string()), v.minLength(1)),
  num_signals: CountSchema,
  as_of_date: IsoDateSchema,
  event_id: EventIdSchema,
});

/** Wire schema of an `orders.executed` event. */
export const OrderEventSchema = v.object({
  event_type: v.literal('orders.executed'),
  timestamp: TimestampSchema,
  run_id: v.pipe(v.string(), v.uuid()),
  strategy_id: v.string(),
  num_orders: CountSchema,
  num_accepted: CountSchema,
  num_rejected: CountSchema,
  event_id: EventIdSchema,
});

/** Wire schema of a `positions.updated` event. */
export const PositionEventSchema = v.object({
  event_type: v.literal('positions.updated'),
  timestamp: TimestampSchema,
  symbol: v.string(),
  action: v.picklist(POSITION_ACTIONS),
  qty_change: SignedIntSchema,
  new_qty: SignedIntSchema,
  price: DecimalStringSchema,
  strategy_id: v.string(),
  event_id: EventIdSchema,
});

const OptionalPrice = v.optional(v.nullable(NonNegativeDecimalStringSchema), null);
const OptionalCount = v.optional(v.nullable(CountSchema), null);

/**
 * Wire schema of a `price.updated` event, published on `price.updated.{symbol}` (upstream
 * `libs/data/market_data/types.py`). Decimals travel as strings, optional fields as `null`; the
 * SDK writes every field, in the model's order, as `model_dump_json` does. The SDK's rules go
 * beyond the model's where it would write nonsense: prices, sizes and volume are never negative,
 * the timestamp is an aware RFC 3339 one (upstream writes `isoformat()`), the symbol a ticker.
 */
export const PriceUpdateEventSchema = v.object({
  event_type: v.literal('price.updated'),
  symbol: SymbolSchema,
  price: NonNegativeDecimalStringSchema,
  timestamp: TimestampSchema,
  bid: OptionalPrice,
  ask: OptionalPrice,
  bid_price: OptionalPrice,
  ask_price: OptionalPrice,
  bid_size: OptionalCount,
  ask_size: OptionalCount,
  exchange: v.optional(v.nullable(v.string()), null),
  volume: OptionalCount,
  event_id: EventIdSchema,
});

/** A `signals.generated` event as JSON on the wire (snake_case). */
export type SignalEventWire = v.InferOutput<typeof SignalEventSchema>;
/** An `orders.executed` event as JSON on the wire (snake_case). */
export type OrderEventWire = v.InferOutput<typeof OrderEventSchema>;
/** A `positions.updated` event as JSON on the wire (snake_case). */
export type PositionEventWire = v.InferOutput<typeof PositionEventSchema>;

/** A `price.updated` event as JSON on the wire (snake_case). */
export type PriceUpdateEventWire = v.InferOutput<typeof PriceUpdateEventSchema>;

/** Fields to build a {@link SignalEventWire} from TypeScript (camelCase; defaults filled in). */
export type SignalEventInit = EventInit<SignalEventWire>;
/** Fields to build an {@link OrderEventWire} from TypeScript (camelCase; defaults filled in). */
export type OrderEventInit = EventInit<OrderEventWire>;
/** Fields to build a {@link PositionEventWire} from TypeScript (camelCase; defaults filled in). */
export type PositionEventInit = EventInit<PositionEventWire>;
/** Fields to build a {@link PriceUpdateEventWire} from TypeScript (camelCase; the optional quote fields default to `null`). */
export type PriceUpdateEventInit = EventInit<PriceUpdateEventWire>;
