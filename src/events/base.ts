/**
 * What every event class shares: construction from a camelCase init (validated against the wire
 * schema), parsing from wire JSON (validated once, never twice), and serialisation back to the
 * exact wire object. Validation issues are reported by wire (snake_case) dotted path, e.g.
 * `num_signals` or `symbols.0`, whether the event came from an init object or from JSON.
 */
import * as v from 'valibot';
import { parseJsonOrThrow, parseOrThrow } from '../internal/validation.js';
import type { SyncSchema } from '../internal/validation.js';
import { timestampToDate } from './formats.js';
import { generatesEnvelope, initToWireInput, ownValue, payloadFieldKeys } from './init.js';
import type { EventInit, FieldKey, WireEventBase } from './init.js';

/** Everything the shared code needs to know about one event class. */
export interface EventSpec<W extends WireEventBase> {
  /** Class name, used as the subject of validation errors. */
  readonly name: string;
  /** The `event_type` literal, read from the schema. */
  readonly eventType: W['event_type'];
  readonly schema: SyncSchema<W>;
  /**
   * `schema` with `timestamp` and `event_id` only type-checked, for inits where the SDK generates
   * both (see {@link generatesEnvelope}): every field the caller gives is still checked by the
   * same schema entries, and the output has the same keys in the same order.
   */
  readonly generatedEnvelopeSchema: SyncSchema<W>;
  readonly fields: readonly FieldKey[];
}

/** A valibot object schema of a wire event, whose `event_type` entry is a literal (the event's type). */
export type WireEventSchema<W extends WireEventBase> = SyncSchema<W> & {
  readonly entries: v.ObjectEntries & { readonly event_type: { readonly literal: W['event_type'] } };
};

/**
 * Builds an {@link EventSpec} from a valibot object schema: the event type is the schema's
 * `event_type` literal, and field names are read once, here.
 */
export function defineEventSpec<W extends WireEventBase>(name: string, schema: WireEventSchema<W>): EventSpec<W> {
  // Spreading keeps the key order; replacing an existing key keeps its position.
  const generatedEnvelopeSchema = v.object({ ...(schema.entries as v.ObjectEntries), timestamp: v.string(), event_id: v.string() }) as unknown as SyncSchema<W>;
  const eventType = schema.entries.event_type.literal;
  return Object.freeze({ name, eventType, schema, generatedEnvelopeSchema, fields: payloadFieldKeys(Object.keys(schema.entries)) });
}

/** Wire data that already passed its schema; constructors take it as is. Never exported publicly. */
class ValidatedWire<W> {
  constructor(readonly wire: W) {}
}

const textDecoder = new TextDecoder();

/**
 * Parses wire input (JSON text, bytes, or an already-parsed object) against `spec`'s schema and
 * returns it in the form the class constructor accepts without validating again.
 *
 * @throws {ValidationError} when the input is not JSON or does not match the schema.
 */
export function parseWireForConstructor<W extends WireEventBase>(spec: EventSpec<W>, input: unknown): EventInit<W> {
  const data =
    typeof input === 'string'
      ? parseJsonOrThrow(spec.name, input)
      : input instanceof Uint8Array
        ? parseJsonOrThrow(spec.name, textDecoder.decode(input))
        : input;
  // The only place where a ValidatedWire poses as an init: the constructor checks for it first.
  return new ValidatedWire(parseOrThrow(spec.name, spec.schema, data)) as unknown as EventInit<W>;
}

function freezeWire<W extends WireEventBase>(wire: W): Readonly<W> {
  for (const key in wire) {
    const value = wire[key];
    if (Array.isArray(value)) Object.freeze(value);
  }
  return Object.freeze(wire);
}

/**
 * Base class of every event class (`SignalEvent`, `OrderEvent`, `PositionEvent`). Instances are
 * immutable; `toJSON()` returns the wire object, so `JSON.stringify(event)` writes wire JSON.
 */
export abstract class BaseEvent<W extends WireEventBase> {
  /** The event type, equal to the channel name. */
  readonly eventType: W['event_type'];
  /** RFC 3339 timestamp string, exactly as received or created (see {@link BaseEvent.date}). */
  readonly timestamp: string;
  /** Unique id; set on events created in TypeScript, `undefined` if the wire message had none. */
  readonly eventId: string | undefined;
  readonly #wire: Readonly<W>;
  #json: string | undefined;

  /**
   * @throws {ValidationError} listing every invalid field by wire path.
   */
  protected constructor(spec: EventSpec<W>, init: EventInit<W>) {
    let wire: W;
    if (init instanceof ValidatedWire) wire = init.wire as W;
    else {
      // Re-checking the timestamp and UUID the SDK has just generated was a fifth of the cost of
      // building an event; whatever the caller gave is checked by the full schema either way.
      const timestamp = ownValue(init, 'timestamp');
      const eventId = ownValue(init, 'eventId');
      const schema = generatesEnvelope(timestamp, eventId) ? spec.generatedEnvelopeSchema : spec.schema;
      wire = parseOrThrow(spec.name, schema, initToWireInput(spec.eventType, spec.fields, init, timestamp, eventId));
    }
    this.#wire = freezeWire(wire);
    this.eventType = wire.event_type;
    this.timestamp = wire.timestamp;
    this.eventId = wire.event_id;
  }

  /** The channel this event is published on (same as `eventType`). */
  get channel(): W['event_type'] {
    return this.eventType;
  }

  /** The timestamp as a new `Date` (millisecond precision; the string keeps microseconds). */
  get date(): Date {
    return timestampToDate(this.timestamp);
  }

  /**
   * The wire object (snake_case, known fields only, `event_id` omitted when absent). It is frozen
   * and shared: copy it before changing anything.
   */
  toJSON(): Readonly<W> {
    return this.#wire;
  }

  /** The wire JSON text, computed once per event. */
  toWire(): string {
    this.#json ??= JSON.stringify(this.#wire);
    return this.#json;
  }
}
