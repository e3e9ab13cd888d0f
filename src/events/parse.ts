/**
 * Parsing wire messages whose type is known only at run time: by their `event_type`, or by the
 * channel they arrived on. The class for each comes from the event registry.
 */
import { ValidationError } from '../internal/errors.js';
import { describeReceived, kindOfChannel } from './channels.js';
import type { AnyEvent, Channel, EventOf } from './channels.js';
import { decodeWireInput } from './python-json.js';
import { REGISTRY } from './registry.js';

/**
 * Parses a wire message (JSON text, bytes, or an already-parsed object) into the event class
 * named by its `event_type`, as the Python model of that type reads it (see
 * `BaseEvent.nonconforming`). When the channel is known, {@link parseEventForChannel} is the
 * better choice: it dispatches by channel, as the Python subscribers do, so any `event_type` reads.
 *
 * @example
 * const event = parseEvent(message);
 * if (event instanceof OrderEvent && event.numRejected > 0) alert(event.runId);
 *
 * @throws {ValidationError} when the text is not JSON, `event_type` is missing or unknown
 * (issue path `event_type`), or the event fails its class's schema.
 */
export function parseEvent(input: unknown): AnyEvent {
  const data = decodeWireInput('event', input);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ValidationError('event', [{ path: '', message: 'expected a JSON object' }]);
  }
  const eventType: unknown = (data as Readonly<Record<string, unknown>>)['event_type'];
  // The registry looks types up in a Map, so `__proto__` or `constructor` never select a prototype member.
  const kind = REGISTRY.byEventType(eventType);
  if (kind === undefined) {
    throw new ValidationError('event', [
      { path: 'event_type', message: `must be one of ${REGISTRY.eventTypeList}; ${describeReceived(eventType)}` },
    ]);
  }
  return kind.event.fromJSON(data);
}

/**
 * Parses a message received on `channel` into that channel's event class, as the Python model of
 * that channel reads it. Its `event_type` may be any string: one other than the channel's is kept
 * and reported in `nonconforming` (path `event_type`). On a channel of a family
 * (`price.updated.AAPL`), a symbol of another channel is reported the same way (path `symbol`).
 *
 * @example
 * const order = parseEventForChannel(CHANNELS.ORDERS, message); // OrderEvent
 *
 * @throws {ValidationError} when `channel` is unknown, or the message is not a valid event of
 * that channel.
 */
export function parseEventForChannel<C extends Channel>(channel: C, input: unknown): EventOf<C> {
  return kindOfChannel(channel).event.fromJSON(input, channel) as EventOf<C>;
}
