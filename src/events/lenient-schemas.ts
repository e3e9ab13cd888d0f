/**
 * The read side of the wire schemas: what the upstream Pydantic v2 models (`events.py`) accept in
 * JSON mode, field by field, and the values they keep. `run_id`, `as_of_date`, `price`,
 * `strategy_id` and `event_type` take any string (`event_type` defaults to the model's type when
 * absent); counts and quantities take what Pydantic's lax `int` takes (`5.0`, `"5"`, `true`) and
 * are kept as numbers; `timestamp` takes any timezone-aware datetime Pydantic parses, kept as
 * written (a Unix-time number is kept as the text Pydantic writes for it). The market-data
 * `PriceUpdateEvent` (`types.py`) reads Decimals (kept as text) and a `timestamp: str`. The strict
 * schemas (`schemas.ts`) remain the rules for what the SDK writes.
 */
import * as v from 'valibot';
import { laxAwareTimestamp } from './python-datetime.js';
import { LaxProblem, laxDecimalText, laxInt } from './python-lax.js';
import { POSITION_ACTIONS } from './schemas.js';

/** A schema that runs a lax reader: its value, or an issue with the reader's message. */
function lax<T>(read: (value: unknown) => T | LaxProblem) {
  return v.pipe(
    v.unknown(),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const result = read(dataset.value);
      if (!(result instanceof LaxProblem)) return result;
      addIssue({ message: result.message });
      return NEVER;
    }),
  );
}

function nonNegative(value: unknown): number | LaxProblem {
  const result = laxInt(value);
  return typeof result === 'number' && result < 0 ? new LaxProblem(`must be greater than or equal to 0; got ${result}`) : result;
}

/** A Pydantic `int` field. */
export const LaxIntSchema = lax(laxInt);
/** A Pydantic `int` field with `ge=0`. */
export const LaxCountSchema = lax(nonNegative);
/** A Pydantic `datetime` field with the models' timezone-aware check. */
export const LaxAwareTimestampSchema = lax(laxAwareTimestamp);

/**
 * `event_id` is the SDK's own field, which the Python models ignore: kept when it is a non-empty
 * string, dropped otherwise (as any unknown field is).
 */
export const LaxEventIdSchema = v.optional(
  v.pipe(
    v.unknown(),
    v.transform((value) => (typeof value === 'string' && value !== '' ? value : undefined)),
  ),
);

/** `event_type: str` with the model's default. */
function eventTypeWithDefault<T extends string>(eventType: T) {
  return v.optional(v.string(), eventType);
}

/** What the Python `SignalEvent` model reads. */
export const SignalEventLenientSchema = v.object({
  event_type: eventTypeWithDefault('signals.generated'),
  timestamp: LaxAwareTimestampSchema,
  strategy_id: v.string(),
  symbols: v.pipe(v.array(v.string()), v.minLength(1)),
  num_signals: LaxCountSchema,
  as_of_date: v.string(),
  event_id: LaxEventIdSchema,
});

/** What the Python `OrderEvent` model reads. */
export const OrderEventLenientSchema = v.object({
  event_type: eventTypeWithDefault('orders.executed'),
  timestamp: LaxAwareTimestampSchema,
  run_id: v.string(),
  strategy_id: v.string(),
  num_orders: LaxCountSchema,
  num_accepted: LaxCountSchema,
  num_rejected: LaxCountSchema,
  event_id: LaxEventIdSchema,
});

/** What the Python `PositionEvent` model reads (its `action` validator allows four values). */
export const PositionEventLenientSchema = v.object({
  event_type: eventTypeWithDefault('positions.updated'),
  timestamp: LaxAwareTimestampSchema,
  symbol: v.string(),
  action: v.picklist(POSITION_ACTIONS),
  qty_change: LaxIntSchema,
  new_qty: LaxIntSchema,
  price: v.string(),
  strategy_id: v.string(),
  event_id: LaxEventIdSchema,
});

/** A Pydantic `Decimal | None = None` field: `null` or absent is `null`. */
const LaxOptionalDecimalSchema = v.optional(v.nullable(lax((value) => laxDecimalText(value, false))), null);
/** A Pydantic `int | None = None` field. */
const LaxOptionalIntSchema = v.optional(v.nullable(LaxIntSchema), null);

/** What the Python `PriceUpdateEvent` model reads (its `event_type` is a `Literal`, its `price` has `ge=0`). */
export const PriceUpdateEventLenientSchema = v.object({
  event_type: v.optional(v.literal('price.updated'), 'price.updated'),
  symbol: v.string(),
  price: lax((value) => laxDecimalText(value, true)),
  timestamp: v.string(),
  bid: LaxOptionalDecimalSchema,
  ask: LaxOptionalDecimalSchema,
  bid_price: LaxOptionalDecimalSchema,
  ask_price: LaxOptionalDecimalSchema,
  bid_size: LaxOptionalIntSchema,
  ask_size: LaxOptionalIntSchema,
  exchange: v.optional(v.nullable(v.string()), null),
  volume: LaxOptionalIntSchema,
  event_id: LaxEventIdSchema,
});
