/**
 * Checks that an event may be published on a channel, and builds events from camelCase init
 * objects for the `publishXEvent` helpers. Both throw before anything is sent.
 */
import { ValidationError } from '../internal/errors.js';
import { ALL_CHANNELS, CHANNELS, isChannel } from './channels.js';
import type { Channel, EventOf } from './channels.js';
import { OrderEvent } from './order-event.js';
import { PositionEvent } from './position-event.js';
import type { OrderEventInit, PositionEventInit, SignalEventInit } from './schemas.js';
import { SignalEvent } from './signal-event.js';

type EventClass<C extends Channel> = abstract new (...args: never[]) => EventOf<C>;

const CLASSES: { readonly [C in Channel]: EventClass<C> } = {
  [CHANNELS.SIGNALS]: SignalEvent,
  [CHANNELS.ORDERS]: OrderEvent,
  [CHANNELS.POSITIONS]: PositionEvent,
};

/** The camelCase init object of the event class carried on channel `C`. */
export type InitOf<C extends Channel> = {
  'signals.generated': SignalEventInit;
  'orders.executed': OrderEventInit;
  'positions.updated': PositionEventInit;
}[C];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}

/**
 * Returns `event` when it is an instance of the class carried on `channel` and its own channel
 * is `channel`.
 *
 * @throws {ValidationError} (subject `event`, path `''` or `event_type`) otherwise.
 */
export function assertEventForChannel<C extends Channel>(channel: C, event: unknown): EventOf<C> {
  if (!isChannel(channel)) {
    throw new ValidationError('channel', [
      { path: '', message: `must be one of ${ALL_CHANNELS.join(', ')}; got ${JSON.stringify(String(channel))}` },
    ]);
  }
  const cls = CLASSES[channel] as EventClass<C>;
  if (!(event instanceof cls)) {
    throw new ValidationError('event', [
      { path: '', message: `channel ${channel} carries ${cls.name} instances; got ${describe(event)}` },
    ]);
  }
  if (event.channel !== channel) {
    throw new ValidationError('event', [
      { path: 'event_type', message: `event_type ${JSON.stringify(event.channel)} does not match channel ${channel}` },
    ]);
  }
  return event;
}

/**
 * An event for `channel` from either an instance (checked as in {@link assertEventForChannel})
 * or a camelCase init object (constructed, hence validated).
 *
 * @throws {ValidationError} for an invalid init, or an instance of another class or channel.
 */
export function eventForChannel<C extends Channel>(channel: C, input: EventOf<C> | InitOf<C>): EventOf<C> {
  const cls = CLASSES[channel] as EventClass<C>;
  if (input instanceof cls) return assertEventForChannel(channel, input);
  if (typeof input !== 'object' || input === null || isEventInstance(input)) return assertEventForChannel(channel, input);
  const make = cls as unknown as new (init: InitOf<C>) => EventOf<C>;
  return assertEventForChannel(channel, new make(input as InitOf<C>));
}

function isEventInstance(value: object): boolean {
  return value instanceof SignalEvent || value instanceof OrderEvent || value instanceof PositionEvent;
}
