/** Reply normalisation both adapters share: any scalar as a string, stream fields as a record. */

/** Replies arrive as strings, Buffers or (RESP3 with mappings) other scalars: make them strings. */
export function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** Stream entry fields from any reply shape: flat `[field, value, ...]` arrays, objects, or (RESP3) `Map`s. */
export function toFields(message: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (message instanceof Map) {
    for (const [k, v] of message) out[asString(k)] = asString(v);
  } else if (Array.isArray(message)) {
    for (let i = 0; i + 1 < message.length; i += 2) out[asString(message[i])] = asString(message[i + 1]);
  } else if (message && typeof message === 'object') {
    for (const [k, v] of Object.entries(message)) out[k] = asString(v);
  }
  return out;
}
