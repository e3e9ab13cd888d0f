/**
 * camelCase init types derived mechanically from the wire types, and the runtime mapping that
 * turns an init object into wire input for the schema. One source per shape: a field added to a
 * schema appears in its init type and in the mapping without further edits.
 */
import { randomUUID } from 'node:crypto';
import { clockInWireRange, formatTimestamp, nowTimestamp } from './formats.js';

/** The fields every wire event has. */
export interface WireEventBase {
  event_type: string;
  timestamp: string;
  event_id?: string;
}

/** `'num_signals'` → `'numSignals'`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type InitValue<T> = T extends readonly (infer E)[] ? readonly E[] : T;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The keys of `W` whose value may be `null`: fields an init may leave out (they default to `null`). */
type NullableKey<W> = { [K in keyof W]-?: null extends W[K] ? K : never }[keyof W];

/**
 * A wire shape with camelCase keys (modifiers kept; arrays accepted as readonly); a field that
 * may be `null` is optional.
 */
export type CamelCased<W> = {
  [K in keyof W as K extends NullableKey<W> ? never : K extends string ? CamelCase<K> : never]: InitValue<W[K]>;
} & {
  [K in keyof W as K extends NullableKey<W> ? (K extends string ? CamelCase<K> : never) : never]?: InitValue<W[K]> | undefined;
};

/**
 * The camelCase object an event class is constructed from: every payload field of wire shape
 * `W`, plus optional `eventType` (defaults to the class's), `timestamp` (RFC 3339 string or a
 * `Date`; defaults to now) and `eventId` (defaults to a random UUID).
 */
export type EventInit<W extends WireEventBase> = Simplify<
  Omit<CamelCased<W>, 'eventType' | 'timestamp' | 'eventId'> & {
    eventType?: W['event_type'] | undefined;
    timestamp?: string | Date | undefined;
    eventId?: string | undefined;
  }
>;

/** `'num_signals'` → `'numSignals'`. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** A payload field: its wire (snake_case) and init (camelCase) names. */
export interface FieldKey {
  readonly wire: string;
  readonly init: string;
}

const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['event_type', 'timestamp', 'event_id']);

/** The payload fields (everything but the envelope) of a wire schema's keys, in schema order. */
export function payloadFieldKeys(wireKeys: readonly string[]): readonly FieldKey[] {
  return Object.freeze(
    wireKeys.filter((key) => !ENVELOPE_KEYS.has(key)).map((key) => Object.freeze({ wire: key, init: snakeToCamel(key) })),
  );
}

function timestampInput(value: unknown): unknown {
  if (value === undefined) return nowTimestamp();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : formatTimestamp(value);
  return value;
}

/**
 * Whether {@link initToWireInput} generates both envelope values itself, given the `timestamp`
 * and `eventId` read from an init: neither was given, so they will be a `nowTimestamp()` and a
 * `randomUUID()`, which are valid by construction while the clock is within years 0001-9999.
 * (The clock is read again for the timestamp; the reads could only disagree at year 10000.)
 */
export function generatesEnvelope(timestamp: unknown, eventId: unknown): boolean {
  return timestamp === undefined && eventId === undefined && clockInWireRange();
}

/**
 * `source[key]` when it is an own property of `source`, else `undefined`: a property inherited
 * from a polluted `Object.prototype` never reaches the wire.
 */
export function ownValue(source: object, key: string): unknown {
  return Object.hasOwn(source, key) ? (source as Readonly<Record<string, unknown>>)[key] : undefined;
}

/**
 * Builds the wire object for `init` (not yet validated): envelope defaults filled in, payload
 * fields renamed to snake_case, keys in wire order with `event_id` last. Only known keys are read
 * from `init`, each once and only as own properties, so stray, inherited or hostile keys never
 * reach the output; `timestamp` and `eventId` are passed in as the caller already read them (so a
 * getter cannot answer one value to {@link generatesEnvelope} and another here).
 */
export function initToWireInput(
  eventType: string,
  fields: readonly FieldKey[],
  init: object,
  timestamp: unknown,
  eventId: unknown,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    event_type: ownValue(init, 'eventType') ?? eventType,
    timestamp: timestampInput(timestamp),
  };
  for (const field of fields) wire[field.wire] = ownValue(init, field.init);
  wire['event_id'] = eventId ?? randomUUID();
  return wire;
}
