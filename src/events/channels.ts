/**
 * Pub/sub channel names shared with the Python services and the types that map a channel to
 * the event class carried on it, all read from the event registry; and the one check of a
 * channel name, so an unknown channel is the same `ValidationError` wherever it is caught.
 */
import { ValidationError } from '../internal/errors.js';
import type { ChannelOfKind, EventOfKind, InitOfKind, PatternOfKind } from './event-kind.js';
import { EVENT_KINDS, REGISTRY } from './registry.js';
import type { RegisteredKind } from './registry.js';

type Kinds = typeof EVENT_KINDS;
type KindKey = keyof Kinds;
/** Keys of the kinds that travel on one channel (a channel family has no single name). */
type SingleChannelKey = { [K in KindKey]: Kinds[K]['channels'] extends { readonly channel: string } ? K : never }[KindKey];

/** Which event class travels on which channel. */
type EventTypeMap = { [K in KindKey as ChannelOfKind<Kinds[K]>]: EventOfKind<Kinds[K]> };
/** Which camelCase init object builds the event class of which channel. */
type InitTypeMap = { [K in KindKey as ChannelOfKind<Kinds[K]>]: InitOfKind<Kinds[K]> };
/** Which event class travels on the channels a family pattern (`price.updated.*`) matches. */
type PatternTypeMap = { [K in KindKey as PatternOfKind<Kinds[K]>]: EventOfKind<Kinds[K]> };

function singleChannels(): { readonly [K in SingleChannelKey]: ChannelOfKind<Kinds[K]> } {
  const names: Record<string, string> = {};
  for (const [key, kind] of Object.entries(EVENT_KINDS)) if ('channel' in kind.channels) names[key] = kind.channels.channel;
  return Object.freeze(names) as { readonly [K in SingleChannelKey]: ChannelOfKind<Kinds[K]> };
}

/**
 * The single channels of the platform's event bus: `SIGNALS` (`signals.generated`), `ORDERS`
 * (`orders.executed`), `POSITIONS` (`positions.updated`). Each of their events' `event_type`
 * equals its channel name. Price updates travel on a family of channels, one per symbol
 * (`PriceUpdateEvent.channelFor('AAPL')`, pattern `PriceUpdateEvent.pattern`).
 *
 * @example
 * await subscriber.on(CHANNELS.SIGNALS, (event) => console.log(event.symbols));
 */
export const CHANNELS = singleChannels();

/**
 * A channel name: `'signals.generated' | 'orders.executed' | 'positions.updated'`, or a channel
 * of a family, `` `price.updated.${string}` ``.
 */
export type Channel = keyof EventTypeMap;

/**
 * The event class instance carried on channel `C`.
 *
 * @example
 * type E = EventOf<'orders.executed'>; // OrderEvent
 */
export type EventOf<C extends Channel> = EventTypeMap[C];

/** Any event of the platform: `SignalEvent | OrderEvent | PositionEvent | PriceUpdateEvent`. */
export type AnyEvent = EventOf<Channel>;

/** A pattern that matches exactly one channel family: `'price.updated.*'`. */
export type FamilyPattern = keyof PatternTypeMap;

/**
 * The events a subscription to pattern `P` receives: the family's class for a family pattern
 * (`EventOfPattern<'price.updated.*'>` is `PriceUpdateEvent`), any event otherwise.
 */
export type EventOfPattern<P extends string> = P extends FamilyPattern ? PatternTypeMap[P] : AnyEvent;

/** The camelCase init object of the event class carried on channel `C`. */
export type InitOf<C extends Channel> = InitTypeMap[C];

/** Every single channel name, in table order (channel families have no single name). */
export const ALL_CHANNELS: readonly Channel[] = Object.freeze(Object.values(CHANNELS));

/** Whether `value` is one of the platform's channel names (never matches `Object.prototype` keys). */
export function isChannel(value: unknown): value is Channel {
  return REGISTRY.byChannel(value) !== undefined;
}

/** `got "text"` (long text cut), `got number`, or `it is missing`: what a check received, for messages. */
export function describeReceived(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? 'it is missing' : `got ${typeof value}`;
  return `got ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}`;
}

/**
 * The registry row of `channel`: the one check of a channel name in the SDK.
 *
 * @throws {ValidationError} (subject `channel`, path `''`, "must be one of ...") for an unknown channel.
 */
export function kindOfChannel(channel: unknown): RegisteredKind {
  const kind = REGISTRY.byChannel(channel);
  if (kind === undefined) {
    throw new ValidationError('channel', [{ path: '', message: `must be one of ${REGISTRY.channelList}; ${describeReceived(channel)}` }]);
  }
  return kind;
}

/**
 * Returns `channel` when it is a channel name.
 *
 * @throws {ValidationError} for an unknown channel, as {@link kindOfChannel}.
 */
export function checkChannel<C extends Channel>(channel: C): C {
  kindOfChannel(channel);
  return channel;
}
