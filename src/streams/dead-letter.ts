/**
 * The dead-letter record: what a consumer writes to `stream:dlq:<channel>` when it gives up on an
 * entry (handler failed `maxDeliveries` times, or the entry is not a valid event), so an operator
 * can inspect and re-drive it. The original entry is acknowledged only after this write succeeds.
 */
import type { Channel } from '../events/channels.js';
import { errorMessage } from '../internal/error-text.js';
import { rawPayload } from './entry.js';

/**
 * Field names of a dead-letter entry, for operators who inspect and re-drive dead letters. A
 * consumer writes one to `<keyPrefix>dlq:<channel>` (`stream:dlq:orders.executed` by default,
 * see `EventStream.deadLetterKey`) when it gives up on an entry, then acknowledges the original.
 * Every value is a string:
 *
 * - `original_id`: the entry's id in the channel's stream (`EventStream.streamKey`).
 * - `channel`: the channel, hence the stream, it came from.
 * - `group`, `consumer`: the consumer group and the consumer that gave up on it.
 * - `error`: why, as `Name: message`: the handler's last error, the `ValidationError` of an
 *   entry that is not a valid event, or `Error: exceeded maxDeliveries (n) ...`.
 * - `deliveries`: deliveries to the group so far, the failing one included (a decimal integer).
 * - `payload`: the entry's event JSON exactly as stored (its `event` field, see
 *   `ENTRY_FIELDS`), or all of its fields as a JSON object when it had no `event` field.
 * - `failed_at`: when it was dead-lettered, ISO 8601 UTC (`2025-01-17T10:00:00.000Z`).
 *
 * To re-drive a dead letter, append its payload to the channel's stream as a new entry's `event`
 * field (`XADD stream:orders.executed * event <payload>`, or from TypeScript
 * `stream.append(parseEventForChannel(channel, payload))`, which also writes the `event_type`
 * and `event_id` copies), then `XDEL` the dead letter. Dead-letter streams are trimmed like the
 * others (`MAXLEN ~` the stream's `maxEntries`).
 *
 * @example
 * // redis-cli XRANGE stream:dlq:orders.executed - + COUNT 10
 * const [letter] = await client.streams.range(stream.deadLetterKey(CHANNELS.ORDERS), '-', '+', 1);
 * console.log(letter?.fields[DEAD_LETTER_FIELDS.ERROR], letter?.fields[DEAD_LETTER_FIELDS.PAYLOAD]);
 */
export const DEAD_LETTER_FIELDS = Object.freeze({
  ORIGINAL_ID: 'original_id',
  CHANNEL: 'channel',
  GROUP: 'group',
  CONSUMER: 'consumer',
  ERROR: 'error',
  DELIVERIES: 'deliveries',
  PAYLOAD: 'payload',
  FAILED_AT: 'failed_at',
});

/** Why an entry was dead-lettered. */
export interface DeadLetterReason {
  /** The source entry id. */
  originalId: string;
  channel: Channel;
  group: string;
  consumer: string;
  /** The handler's or the validation error. */
  error: unknown;
  /** Deliveries so far, the failing one included. */
  deliveries: number;
  /** The source entry's fields. */
  fields: Readonly<Record<string, string>>;
}

/** The fields of the dead-letter entry for `reason`. */
export function deadLetterFields(reason: DeadLetterReason, now: Date = new Date()): Record<string, string> {
  return {
    [DEAD_LETTER_FIELDS.ORIGINAL_ID]: reason.originalId,
    [DEAD_LETTER_FIELDS.CHANNEL]: reason.channel,
    [DEAD_LETTER_FIELDS.GROUP]: reason.group,
    [DEAD_LETTER_FIELDS.CONSUMER]: reason.consumer,
    [DEAD_LETTER_FIELDS.ERROR]: errorMessage(reason.error, true),
    [DEAD_LETTER_FIELDS.DELIVERIES]: String(reason.deliveries),
    [DEAD_LETTER_FIELDS.PAYLOAD]: rawPayload(reason.fields),
    [DEAD_LETTER_FIELDS.FAILED_AT]: now.toISOString(),
  };
}
