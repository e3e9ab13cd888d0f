/** node-redis replies (RESP2 or RESP3, strings or Buffers) in the shapes the backend port returns. */
import type { AutoClaimResult, PendingEntry, StreamBatch, StreamEntry } from '../../client/types.js';
import { asString, toFields } from '../replies.js';

/** A string reply or null. */
export function asNullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : asString(value);
}

/** A Buffer reply or null. */
export function asNullableBuffer(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value : Buffer.from(asString(value), 'utf8');
}

/** One stream message `{ id, message }` from node-redis. */
export function toStreamEntry(raw: unknown): StreamEntry {
  const m = raw as { id: unknown; message: unknown };
  return { id: asString(m.id), fields: toFields(m.message) };
}

/** XRANGE and friends: a list of messages. */
export function toStreamEntries(raw: unknown): StreamEntry[] {
  return Array.isArray(raw) ? raw.filter((m) => m !== null).map(toStreamEntry) : [];
}

/** XREADGROUP: RESP2 gives `[{ name, messages }]`, RESP3 a map of name to messages; null when nothing came. */
export function toStreamBatches(raw: unknown): StreamBatch[] {
  if (raw === null || raw === undefined) return [];
  if (Array.isArray(raw)) {
    return raw.map((s: { name: unknown; messages: unknown }) => ({ stream: asString(s.name), entries: toStreamEntries(s.messages) }));
  }
  const pairs = raw instanceof Map ? [...raw.entries()] : Object.entries(raw as Record<string, unknown>);
  return pairs.map(([name, messages]) => ({ stream: asString(name), entries: toStreamEntries(messages) }));
}

/** XAUTOCLAIM. */
export function toAutoClaim(raw: unknown): AutoClaimResult {
  const r = raw as { nextId: unknown; messages: unknown; deletedMessages?: unknown };
  const deleted = Array.isArray(r.deletedMessages) ? r.deletedMessages.map(asString) : [];
  return { nextId: asString(r.nextId), entries: toStreamEntries(r.messages), deletedIds: deleted };
}

/** XPENDING extended form. */
export function toPending(raw: unknown): PendingEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((p: { id: unknown; consumer: unknown; millisecondsSinceLastDelivery: unknown; deliveriesCounter: unknown }) => ({
    id: asString(p.id),
    consumer: asString(p.consumer),
    idleMs: Number(p.millisecondsSinceLastDelivery),
    deliveries: Number(p.deliveriesCounter),
  }));
}
