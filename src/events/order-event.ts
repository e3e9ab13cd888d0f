/** The `orders.executed` event: an execution run submitted orders for a strategy. */
import { BaseEvent, defineEventSpec, parseWireForConstructor } from './base.js';
import { OrderEventLenientSchema } from './lenient-schemas.js';
import { OrderEventSchema } from './schemas.js';
import type { OrderEventInit, OrderEventWire } from './schemas.js';

const SPEC = defineEventSpec<OrderEventWire>('OrderEvent', OrderEventSchema, OrderEventLenientSchema);

/**
 * Orders were executed for a run. Wire-compatible with the Python `OrderEvent` model. A partial
 * rejection (`numRejected > 0`) is a valid event.
 *
 * @example
 * const event = new OrderEvent({
 *   runId: crypto.randomUUID(),
 *   strategyId: 'alpha_baseline',
 *   numOrders: 5,
 *   numAccepted: 3,
 *   numRejected: 2,
 * });
 */
export class OrderEvent extends BaseEvent<OrderEventWire> {
  /** The channel `OrderEvent`s are published on. */
  static readonly channel = SPEC.eventType;

  /** Id (UUID string) of the execution run. */
  readonly runId: string;
  /** Id of the strategy the orders belong to. */
  readonly strategyId: string;
  /** Orders submitted (an integer >= 0). */
  readonly numOrders: number;
  /** Orders accepted by the broker (an integer >= 0). */
  readonly numAccepted: number;
  /** Orders rejected by the broker (an integer >= 0). */
  readonly numRejected: number;

  /**
   * Creates and validates an event. `timestamp` defaults to now, `eventId` to a random UUID.
   *
   * @throws {ValidationError} listing every invalid field by wire (snake_case) path.
   */
  constructor(init: OrderEventInit) {
    super(SPEC, init);
    const wire = this.toJSON();
    this.runId = wire.run_id;
    this.strategyId = wire.strategy_id;
    this.numOrders = wire.num_orders;
    this.numAccepted = wire.num_accepted;
    this.numRejected = wire.num_rejected;
  }

  /**
   * Parses a wire message (JSON text, bytes, or an already-parsed object) as the Python
   * `OrderEvent` model reads it: any `event_type` (the class decides), lax integers, any aware
   * timestamp; unknown fields are ignored and dropped. Values outside the SDK's own rules are
   * kept and listed in `nonconforming`.
   *
   * @throws {ValidationError} when it is not JSON or the Python model refuses it.
   */
  static fromJSON(input: unknown): OrderEvent {
    return new OrderEvent(parseWireForConstructor(SPEC, input));
  }
}
