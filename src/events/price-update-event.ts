/** The `price.updated` event: the market-data service's latest quote of a symbol, one channel per symbol. */
import { BaseEvent, defineEventSpec, parseWireForConstructor } from './base.js';
import { PriceUpdateEventLenientSchema } from './lenient-schemas.js';
import { PriceUpdateEventSchema } from './schemas.js';
import type { PriceUpdateEventInit, PriceUpdateEventWire } from './schemas.js';

const PREFIX = 'price.updated.';

const SPEC = defineEventSpec<PriceUpdateEventWire>('PriceUpdateEvent', PriceUpdateEventSchema, PriceUpdateEventLenientSchema, {
  prefix: PREFIX,
  field: 'symbol',
});

/** A channel of the price-update family: `price.updated.{symbol}`. */
export type PriceUpdateChannel = `price.updated.${string}`;

/**
 * A symbol's price changed. Wire-compatible with the Python `PriceUpdateEvent` model
 * (`libs/data/market_data/types.py`), published on `price.updated.{symbol}`: subscribe to one
 * symbol with `subscriber.on(PriceUpdateEvent.channelFor('AAPL'), ...)`, to all with
 * `subscriber.onPattern(PriceUpdateEvent.pattern, ...)`. Prices are decimal strings (Python
 * `Decimal`), never floats; the optional quote fields are `null` when absent.
 *
 * @example
 * const event = new PriceUpdateEvent({ symbol: 'AAPL', price: '150.25', bid: '150.24', ask: '150.26', bidSize: 300, askSize: 200 });
 * await publisher.publishPriceUpdate(event); // on price.updated.AAPL
 */
export class PriceUpdateEvent extends BaseEvent<PriceUpdateEventWire, PriceUpdateChannel> {
  /** What every channel of the family starts with: `price.updated.`. */
  static readonly channelPrefix = PREFIX;
  /** The pattern that matches every symbol's channel: `price.updated.*`. */
  static readonly pattern = `${PREFIX}*` as const;

  /** Instrument symbol; the channel is `price.updated.{symbol}`. */
  readonly symbol: string;
  /** Mid price as a decimal string, exactly as sent. */
  readonly price: string;
  /** Best bid, a decimal string, or `null`. */
  readonly bid: string | null;
  /** Best ask, a decimal string, or `null`. */
  readonly ask: string | null;
  /** Best bid again, under the name upstream also writes (`bid_price`), or `null`. */
  readonly bidPrice: string | null;
  /** Best ask again, under the name upstream also writes (`ask_price`), or `null`. */
  readonly askPrice: string | null;
  /** Shares at the best bid, or `null`. */
  readonly bidSize: number | null;
  /** Shares at the best ask, or `null`. */
  readonly askSize: number | null;
  /** Exchange code, or `null`. */
  readonly exchange: string | null;
  /** Latest traded volume when the data source has it, or `null`. */
  readonly volume: number | null;

  /**
   * Creates and validates an event. `timestamp` defaults to now, `eventId` to a random UUID, the
   * quote fields to `null`.
   *
   * @throws {ValidationError} listing every invalid field by wire (snake_case) path.
   */
  constructor(init: PriceUpdateEventInit) {
    super(SPEC, init);
    const wire = this.toJSON();
    this.symbol = wire.symbol;
    this.price = wire.price;
    this.bid = wire.bid;
    this.ask = wire.ask;
    this.bidPrice = wire.bid_price;
    this.askPrice = wire.ask_price;
    this.bidSize = wire.bid_size;
    this.askSize = wire.ask_size;
    this.exchange = wire.exchange;
    this.volume = wire.volume;
  }

  /** The channel of `symbol`'s price updates: `price.updated.{symbol}` (the symbol is not checked). */
  static channelFor(symbol: string): PriceUpdateChannel {
    return `${PREFIX}${symbol}`;
  }

  /**
   * Parses a wire message (JSON text, bytes, or an already-parsed object) as the Python
   * `PriceUpdateEvent` model reads it: Decimals as strings or numbers, lax integers, any
   * `timestamp` string; unknown fields are ignored. Values outside the SDK's own rules are kept
   * and listed in `nonconforming`, as is a symbol that does not match `channel`, the channel the
   * message arrived on, when given.
   *
   * @throws {ValidationError} when it is not JSON or the Python model refuses it.
   */
  static fromJSON(input: unknown, channel?: string): PriceUpdateEvent {
    return new PriceUpdateEvent(parseWireForConstructor(SPEC, input, channel));
  }
}
