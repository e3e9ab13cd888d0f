/**
 * A consumer group's state as Redis reports it, for exporters at scrape time: `pending` and `lag`
 * from `XINFO GROUPS`, and the length of the dead-letter stream (`XLEN`), each read once (never
 * retried: the next scrape asks again), bounded by a timeout, never failing (a figure that could
 * not be read is `null`), and left out of `client:command`, so a scrape never shows up in the
 * command metrics it reports.
 */
import type { RedisClient } from '../client/redis-client.js';
import { untracedCommands } from '../diagnostics/channels.js';
import type { LiveGroupStream } from '../diagnostics/live.js';
import { withDeadline } from '../internal/deadlines.js';

/** One stream a group reads, and its dead-letter stream. */
export interface GroupStreamKeys {
  readonly streamKey: string;
  readonly deadLetterKey: string;
}

/** The state of `group` on each of `streams`, read through `client`. Never rejects. */
export async function readGroupStreams(client: RedisClient, group: string, streams: readonly GroupStreamKeys[], timeoutMs: number): Promise<LiveGroupStream[]> {
  return Promise.all(
    streams.map(async ({ streamKey, deadLetterKey }) => {
      const [info, length] = untracedCommands(() => [
        bounded(client.command(['XINFO', 'GROUPS', streamKey], { key: streamKey }), timeoutMs, 'XINFO GROUPS'),
        bounded(client.command(['XLEN', deadLetterKey], { key: deadLetterKey }), timeoutMs, 'XLEN'),
      ]);
      const [infoReply, lengthReply] = await Promise.all([info, length]);
      const fields = infoReply === null ? undefined : groupFields(infoReply, group);
      return {
        streamKey,
        deadLetterKey,
        pending: numberOrNull(fields?.get('pending')),
        lag: numberOrNull(fields?.get('lag')),
        deadLetterLength: numberOrNull(lengthReply),
      };
    }),
  );
}

async function bounded<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T | null> {
  try {
    return await withDeadline(work, timeoutMs, what);
  } catch {
    return null;
  }
}

/** The fields of `group` in an `XINFO GROUPS` reply: RESP2 flat pairs, or RESP3 maps (a `Map` or an object). */
export function groupFields(reply: unknown, group: string): Map<string, unknown> | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const item of reply as unknown[]) {
    const fields = asFields(item);
    if (fields !== undefined && String(fields.get('name')) === group) return fields;
  }
  return undefined;
}

function asFields(item: unknown): Map<string, unknown> | undefined {
  if (item instanceof Map) return new Map([...item].map(([k, v]) => [String(k), v]));
  if (Array.isArray(item)) {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < item.length; i += 2) fields.set(String(item[i]), item[i + 1]);
    return fields;
  }
  if (typeof item === 'object' && item !== null) return new Map(Object.entries(item));
  return undefined;
}

function numberOrNull(value: unknown): number | null {
  const text = typeof value === 'string' || Buffer.isBuffer(value) ? String(value) : '';
  const n = typeof value === 'number' ? value : text !== '' ? Number(text) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}
