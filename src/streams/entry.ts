/**
 * How events are laid out in stream entries, and the stream key names. An entry carries the wire
 * JSON in the `event` field (the same text pub/sub publishes), plus `event_type` and `event_id`
 * copies so tools such as `redis-cli XRANGE` show what an entry is without parsing it.
 */
import { ValidationError } from '../internal/errors.js';
import type { AnyEvent, Channel, EventOf } from '../events/channels.js';
import { parseEventForChannel } from '../events/parse.js';
import { REGISTRY } from '../events/registry.js';

/**
 * Field names of a stream entry, as `EventStream.append` writes it
 * (`XADD stream:<channel> MAXLEN ~ n * event <json> event_type <type> event_id <id>`):
 *
 * - `event`: the event's wire JSON, the same text pub/sub publishes. The only field consumers
 *   and replays read; an entry without it is dead-lettered as invalid.
 * - `event_type`: the event's type (`event.eventType`: its class's type, which a consumer of the
 *   stream reads it as), so `redis-cli XRANGE` shows what an entry is without parsing it. A
 *   received event that carried another `event_type` keeps that text in `event`.
 * - `event_id`: a copy of its `event_id`; absent when the event has none (as from a Python
 *   producer).
 */
export const ENTRY_FIELDS = Object.freeze({
  EVENT: 'event',
  EVENT_TYPE: 'event_type',
  EVENT_ID: 'event_id',
});

/** The stream of `channel`: `${keyPrefix}${channel}`, e.g. `stream:orders.executed`. */
export function streamKeyFor(keyPrefix: string, channel: Channel): string {
  return `${keyPrefix}${channel}`;
}

/** The dead-letter stream of `channel`: `${keyPrefix}dlq:${channel}`, e.g. `stream:dlq:orders.executed`. */
export function deadLetterKeyFor(keyPrefix: string, channel: Channel): string {
  return `${keyPrefix}dlq:${channel}`;
}

const CLASS_NAMES = REGISTRY.kinds.map((kind) => kind.name).join(', ');

/**
 * The fields of the entry that stores `event`.
 *
 * @throws {ValidationError} when `event` is not an instance of an event class (plain objects
 * are refused).
 */
export function encodeEntry(event: AnyEvent): Record<string, string> {
  if (REGISTRY.byInstance(event) === undefined) {
    const got = event === null ? 'null' : typeof event === 'object' ? 'a plain object' : typeof event;
    throw new ValidationError('event', [{ path: '', message: `expected an instance of one of ${CLASS_NAMES}; got ${got}` }]);
  }
  const fields: Record<string, string> = {
    [ENTRY_FIELDS.EVENT]: event.toWire(),
    [ENTRY_FIELDS.EVENT_TYPE]: event.eventType,
  };
  if (event.eventId !== undefined) fields[ENTRY_FIELDS.EVENT_ID] = event.eventId;
  return fields;
}

/**
 * The typed event stored in an entry of `channel`'s stream, read as the Python model of that
 * channel reads it (see `parseEventForChannel`: values outside the SDK's rules are kept and listed
 * in `nonconforming`).
 *
 * @throws {ValidationError} when the entry has no `event` field (path `event`), or the Python
 * model of `channel` would refuse its JSON.
 */
export function decodeEntry<C extends Channel>(channel: C, fields: Readonly<Record<string, string>>): EventOf<C> {
  const text = fields[ENTRY_FIELDS.EVENT];
  if (text === undefined) {
    throw new ValidationError('stream entry', [{ path: ENTRY_FIELDS.EVENT, message: 'the entry has no event field' }]);
  }
  return parseEventForChannel(channel, text);
}

/** The entry's payload as stored: the `event` field, or all fields as JSON when it has none. */
export function rawPayload(fields: Readonly<Record<string, string>>): string {
  return fields[ENTRY_FIELDS.EVENT] ?? JSON.stringify({ ...fields });
}
