/**
 * Pub/sub channel names shared with the Python services, and the type map from a channel to the
 * event class carried on it. Each event's `event_type` equals its channel name.
 */
import type { OrderEvent } from './order-event.js';
import type { PositionEvent } from './position-event.js';
import type { SignalEvent } from './signal-event.js';

/**
 * The channels of the platform's event bus.
 *
 * @example
 * await subscriber.on(CHANNELS.SIGNALS, (event) => console.log(event.symbols));
 */
export const CHANNELS = {
  SIGNALS: 'signals.generated',
  ORDERS: 'orders.executed',
  POSITIONS: 'positions.updated',
} as const;

/** A channel name: `'signals.generated' | 'orders.executed' | 'positions.updated'`. */
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** Every channel name, in declaration order. */
export const ALL_CHANNELS: readonly Channel[] = Object.freeze(Object.values(CHANNELS));

const CHANNEL_SET: ReadonlySet<string> = new Set(ALL_CHANNELS);

/** Whether `value` is one of the platform's channel names (never matches `Object.prototype` keys). */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && CHANNEL_SET.has(value);
}

/** Which event class travels on which channel. */
export interface EventTypeMap {
  'signals.generated': SignalEvent;
  'orders.executed': OrderEvent;
  'positions.updated': PositionEvent;
}

/**
 * The event class instance carried on channel `C`.
 *
 * @example
 * type E = EventOf<'orders.executed'>; // OrderEvent
 */
export type EventOf<C extends Channel> = EventTypeMap[C];

/** Any event of the platform: `SignalEvent | OrderEvent | PositionEvent`. */
export type AnyEvent = EventOf<Channel>;
