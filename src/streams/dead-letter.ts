/**
 * The dead-letter record: what a consumer writes to `stream:dlq:<channel>` when it gives up on an
 * entry (handler failed `maxDeliveries` times, or the entry is not a valid event), so an operator
 * can inspect and re-drive it. The original entry is acknowledged only after this write succeeds.
 */
import type { Channel } from '../events/channels.js';
import { errorMessage } from '../internal/error-text.js';
import { rawPayload } from './entry.js';

/** Field names of a dead-letter entry. */
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
