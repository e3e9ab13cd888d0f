/**
 * Parsing wire messages whose type is known only at run time: by their `event_type`, or by the
 * channel they arrived on.
 */
import { ValidationError } from '../internal/errors.js';
import { parseJsonOrThrow } from '../internal/validation.js';
import { ALL_CHANNELS, CHANNELS, isChannel } from './channels.js';
import type { AnyEvent, Channel, EventOf } from './channels.js';
import { OrderEvent } from './order-event.js';
import { PositionEvent } from './position-event.js';
import { SignalEvent } from './signal-event.js';

type EventParsers = { readonly [C in Channel]: (input: unknown) => EventOf<C> };

const PARSERS: EventParsers = {
  [CHANNELS.SIGNALS]: (input) => SignalEvent.fromJSON(input),
  [CHANNELS.ORDERS]: (input) => OrderEvent.fromJSON(input),
  [CHANNELS.POSITIONS]: (input) => PositionEvent.fromJSON(input),
};

const EXPECTED = ALL_CHANNELS.map((c) => JSON.stringify(c)).join(', ');
const textDecoder = new TextDecoder();

function describe(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? 'it is missing' : `got ${typeof value}`;
  return `got ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}`;
}

/**
 * Parses a wire message (JSON text, bytes, or an already-parsed object) into the event class
 * named by its `event_type`.
 *
 * @example
 * const event = parseEvent(message);
 * if (event instanceof OrderEvent && event.numRejected > 0) alert(event.runId);
 *
 * @throws {ValidationError} when the text is not JSON, `event_type` is missing or unknown
 * (issue path `event_type`), or the event fails its class's schema.
 */
export function parseEvent(input: unknown): AnyEvent {
  const data =
    typeof input === 'string'
      ? parseJsonOrThrow('event', input)
      : input instanceof Uint8Array
        ? parseJsonOrThrow('event', textDecoder.decode(input))
        : input;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ValidationError('event', [{ path: '', message: 'expected a JSON object' }]);
  }
  const eventType: unknown = (data as Readonly<Record<string, unknown>>)['event_type'];
  // isChannel uses a Set, so `__proto__` or `constructor` never select a prototype member.
  if (!isChannel(eventType)) {
    throw new ValidationError('event', [
      { path: 'event_type', message: `must be one of ${EXPECTED}; ${describe(eventType)}` },
    ]);
  }
  return PARSERS[eventType](data);
}

/**
 * Parses a message received on `channel` into that channel's event class. A message whose
 * `event_type` belongs to another channel is rejected (issue path `event_type`).
 *
 * @example
 * const order = parseEventForChannel(CHANNELS.ORDERS, message); // OrderEvent
 *
 * @throws {ValidationError} when `channel` is unknown, or the message is not a valid event of
 * that channel.
 */
export function parseEventForChannel<C extends Channel>(channel: C, input: unknown): EventOf<C> {
  if (!isChannel(channel)) {
    throw new ValidationError('channel', [{ path: '', message: `must be one of ${EXPECTED}; ${describe(channel)}` }]);
  }
  const parse: (input: unknown) => EventOf<C> = PARSERS[channel];
  return parse(input);
}
