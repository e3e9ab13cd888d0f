/**
 * Checks that an event may be published on a channel, and builds events from camelCase init
 * objects for the `publishXEvent` helpers. Both throw before anything is sent.
 */
import { ValidationError } from '../internal/errors.js';
import { kindOfChannel } from './channels.js';
import type { Channel, EventOf, InitOf } from './channels.js';
import type { EventClass } from './event-kind.js';
import { REGISTRY } from './registry.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}

/**
 * Returns `event` when it is an instance of the class carried on `channel` and its own channel
 * is `channel`.
 *
 * @throws {ValidationError} (subject `channel`) for an unknown channel, or (subject `event`, path
 * `''` or `event_type`) for an event of another class or channel (a price update of another symbol).
 */
export function assertEventForChannel<C extends Channel>(channel: C, event: unknown): EventOf<C> {
  const kind = kindOfChannel(channel);
  if (!(event instanceof kind.event)) {
    throw new ValidationError('event', [
      { path: '', message: `channel ${channel} carries ${kind.name} instances; got ${describe(event)}` },
    ]);
  }
  if (event.channel !== channel) {
    // A kind on a channel family makes the channel from a field (a price update's symbol).
    const issue =
      'channel' in kind.channels
        ? { path: 'event_type', message: `event_type ${JSON.stringify(event.channel)} does not match channel ${channel}` }
        : { path: '', message: `a ${kind.name} belongs on its own channel ${JSON.stringify(event.channel)}, not on ${channel}` };
    throw new ValidationError('event', [issue]);
  }
  return event as EventOf<C>;
}

/**
 * An event for `channel` from either an instance (checked as in {@link assertEventForChannel})
 * or a camelCase init object (constructed, hence validated).
 *
 * @throws {ValidationError} for an unknown channel, an invalid init, or an instance of another
 * class or channel.
 */
export function eventForChannel<C extends Channel>(channel: C, input: EventOf<C> | InitOf<C>): EventOf<C> {
  if (typeof input !== 'object' || input === null || REGISTRY.byInstance(input) !== undefined) {
    return assertEventForChannel(channel, input);
  }
  const make = kindOfChannel(channel).event as unknown as EventClass<EventOf<C>, InitOf<C>>;
  return assertEventForChannel(channel, new make(input));
}
