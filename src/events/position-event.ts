/** The `positions.updated` event: a fill or order changed a position. */
import { BaseEvent, defineEventSpec, parseWireForConstructor } from './base.js';
import { PositionEventLenientSchema } from './lenient-schemas.js';
import { PositionEventSchema } from './schemas.js';
import type { PositionAction, PositionEventInit, PositionEventWire } from './schemas.js';

const SPEC = defineEventSpec<PositionEventWire>('PositionEvent', PositionEventSchema, PositionEventLenientSchema);

/**
 * A position changed. Wire-compatible with the Python `PositionEvent` model. `price` is a decimal
 * string (Python `Decimal`), never a float, so no precision is lost in transit.
 *
 * @example
 * const event = new PositionEvent({
 *   symbol: 'AAPL',
 *   action: 'buy',
 *   qtyChange: 100,
 *   newQty: 100,
 *   price: '150.25',
 *   strategyId: 'alpha_baseline',
 * });
 */
export class PositionEvent extends BaseEvent<PositionEventWire> {
  /** The channel `PositionEvent`s are published on. */
  static readonly channel = SPEC.eventType;

  /** Instrument symbol. */
  readonly symbol: string;
  /** What happened: `buy`, `sell`, `fill` or `partial_fill`. */
  readonly action: PositionAction;
  /** Signed change in quantity (an integer; negative for sells). */
  readonly qtyChange: number;
  /** Signed quantity after the change (an integer; negative when short). */
  readonly newQty: number;
  /** Price as a decimal string, exactly as sent (`"380.5000"` keeps its zeros). */
  readonly price: string;
  /** Id of the strategy that owns the position. */
  readonly strategyId: string;

  /**
   * Creates and validates an event. `timestamp` defaults to now, `eventId` to a random UUID.
   *
   * @throws {ValidationError} listing every invalid field by wire (snake_case) path.
   */
  constructor(init: PositionEventInit) {
    super(SPEC, init);
    const wire = this.toJSON();
    this.symbol = wire.symbol;
    this.action = wire.action;
    this.qtyChange = wire.qty_change;
    this.newQty = wire.new_qty;
    this.price = wire.price;
    this.strategyId = wire.strategy_id;
  }

  /**
   * Parses a wire message (JSON text, bytes, or an already-parsed object) as the Python
   * `PositionEvent` model reads it: any `event_type` (the class decides), lax integers, any aware
   * timestamp; unknown fields are ignored and dropped. Values outside the SDK's own rules are
   * kept and listed in `nonconforming`.
   *
   * @throws {ValidationError} when it is not JSON or the Python model refuses it.
   */
  static fromJSON(input: unknown): PositionEvent {
    return new PositionEvent(parseWireForConstructor(SPEC, input));
  }
}
