/**
 * The event registry: the one table of event kinds, channel -> wire schema -> class. Everything
 * that needs the list of kinds reads it from here: channel names and types (`channels.ts`),
 * parsing, publishing, subscribing and streams. To add a kind, write its schema (`schemas.ts`)
 * and its class, then add one row below. Schemas and classes never import this module.
 */
import { eventFamilyKind, eventKind, indexKinds } from './event-kind.js';
import { OrderEvent } from './order-event.js';
import { PositionEvent } from './position-event.js';
import { PriceUpdateEvent } from './price-update-event.js';
import { OrderEventSchema, PositionEventSchema, PriceUpdateEventSchema, SignalEventSchema } from './schemas.js';
import { SignalEvent } from './signal-event.js';

/**
 * Every event kind, keyed by the name its channel has in `CHANNELS`. A row made by `eventKind`
 * travels on the one channel named like its `event_type`; a kind on a family of channels (one per
 * symbol, say) has the rule `{ prefix }` instead (see `ChannelRule`).
 */
export const EVENT_KINDS = Object.freeze({
  SIGNALS: eventKind(SignalEventSchema, SignalEvent),
  ORDERS: eventKind(OrderEventSchema, OrderEvent),
  POSITIONS: eventKind(PositionEventSchema, PositionEvent),
  PRICES: eventFamilyKind(PriceUpdateEventSchema, PriceUpdateEvent, PriceUpdateEvent.channelPrefix),
});

/** The kinds of {@link EVENT_KINDS}, found by channel, wire `event_type` or instance. */
export const REGISTRY = indexKinds(Object.values(EVENT_KINDS));

/** One row of {@link EVENT_KINDS}. */
export type RegisteredKind = (typeof EVENT_KINDS)[keyof typeof EVENT_KINDS];
