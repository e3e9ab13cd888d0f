/**
 * What every event class shares: construction from a camelCase init (validated against the wire
 * schema: the SDK writes strictly), parsing from wire JSON as the Python models read it (validated
 * once, never twice), and serialisation back to the wire object. A parsed message that the Python
 * models accept but the SDK's own rules would refuse becomes an event that says so
 * (`conforms`, `nonconforming`). Validation issues are reported by wire (snake_case) dotted path,
 * e.g. `num_signals` or `symbols.0`, whether the event came from an init object or from JSON.
 */
import * as v from 'valibot';
import { ValidationError } from '../internal/errors.js';
import type { ValidationIssue } from '../internal/errors.js';
import { parseOrThrow, toValidationIssues, validationErrorFromIssues } from '../internal/validation.js';
import type { SyncSchema } from '../internal/validation.js';
import { timestampToDate } from './formats.js';
import { generatesEnvelope, initToWireInput, ownValue, payloadFieldKeys } from './init.js';
import type { EventInit, FieldKey, WireEventBase } from './init.js';
import { pythonDatetimeFromText, pythonDatetimeToDate } from './python-datetime.js';
import { decodeWireInput } from './python-json.js';
import { LaxProblem } from './python-lax.js';

/** Everything the shared code needs to know about one event class. */
export interface EventSpec<W extends WireEventBase> {
  /** Class name, used as the subject of validation errors. */
  readonly name: string;
  /** The `event_type` literal, read from the schema. */
  readonly eventType: W['event_type'];
  /** The SDK's rules: what constructors accept and what a conforming event meets. */
  readonly schema: SyncSchema<W>;
  /**
   * `schema` with `timestamp` and `event_id` only type-checked, for inits where the SDK generates
   * both (see {@link generatesEnvelope}): every field the caller gives is still checked by the
   * same schema entries, and the output has the same keys in the same order.
   */
  readonly generatedEnvelopeSchema: SyncSchema<W>;
  /** What the Python model accepts, with the values it keeps (see `lenient-schemas.ts`). */
  readonly lenientSchema: SyncSchema<W>;
  readonly fields: readonly FieldKey[];
  /** For a kind on a channel family, how an event's channel is made: `${prefix}${wire[field]}`. */
  readonly family: ChannelFamily | undefined;
}

/** A channel family: its prefix, and the wire field whose value completes an event's channel. */
export interface ChannelFamily {
  readonly prefix: string;
  readonly field: string;
}

/** The channel `wire` belongs on under `spec`: its family channel, or its event type. */
function channelOfWire(spec: EventSpec<WireEventBase>, wire: Readonly<WireEventBase>): string {
  if (spec.family === undefined) return spec.eventType;
  return `${spec.family.prefix}${String((wire as unknown as Readonly<Record<string, unknown>>)[spec.family.field])}`;
}

/** A valibot object schema of a wire event, whose `event_type` entry is a literal (the event's type). */
export type WireEventSchema<W extends WireEventBase> = SyncSchema<W> & {
  readonly entries: v.ObjectEntries & { readonly event_type: { readonly literal: W['event_type'] } };
};

/** A valibot object schema of what the Python model reads; its output has the wire's keys. */
export type LenientEventSchema = v.GenericSchema<unknown, Record<string, unknown>>;

/**
 * Builds an {@link EventSpec} from the strict valibot object schema and the lenient one: the event
 * type is the strict schema's `event_type` literal, and field names are read once, here.
 */
export function defineEventSpec<W extends WireEventBase>(
  name: string,
  schema: WireEventSchema<W>,
  lenientSchema: LenientEventSchema,
  family?: ChannelFamily,
): EventSpec<W> {
  // Spreading keeps the key order; replacing an existing key keeps its position.
  const generatedEnvelopeSchema = v.object({ ...(schema.entries as v.ObjectEntries), timestamp: v.string(), event_id: v.string() }) as unknown as SyncSchema<W>;
  const eventType = schema.entries.event_type.literal;
  return Object.freeze({
    name,
    eventType,
    schema,
    generatedEnvelopeSchema,
    lenientSchema: lenientSchema as unknown as SyncSchema<W>,
    fields: payloadFieldKeys(Object.keys(schema.entries)),
    family: family === undefined ? undefined : Object.freeze({ ...family }),
  });
}

/** The `nonconforming` list of every event that meets the SDK's rules: shared, frozen, empty. */
const CONFORMS: readonly ValidationIssue[] = Object.freeze([]);

/** Wire data that already passed its schema; constructors take it as is. Never exported publicly. */
class ValidatedWire<W> {
  constructor(
    readonly wire: W,
    readonly nonconforming: readonly ValidationIssue[],
  ) {}
}

/**
 * Parses wire input (JSON text, bytes, or an already-parsed object) as the Python model reads it
 * and returns it in the form the class constructor accepts without validating again. A message
 * that meets the SDK's rules costs one strict validation, as before; any other runs the lenient
 * schema, then the strict one over what it kept, to list where it does not conform. For a kind on
 * a channel family, `arrivedOn` (the channel the message came on) must be the event's own channel,
 * or that is reported too (path: the family's field, e.g. `symbol`).
 *
 * @throws {ValidationError} when the input is not JSON or the Python model would refuse it.
 */
export function parseWireForConstructor<W extends WireEventBase>(spec: EventSpec<W>, input: unknown, arrivedOn?: string): EventInit<W> {
  const data = decodeWireInput(spec.name, input);
  const strict = v.safeParse(spec.schema, data);
  let validated: ValidatedWire<W>;
  if (strict.success) validated = new ValidatedWire(strict.output, CONFORMS);
  else {
    // valibot's object schema takes an array for an object; Pydantic does not.
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new ValidationError(spec.name, [{ path: '', message: 'expected a JSON object' }]);
    }
    const lenient = v.safeParse(spec.lenientSchema, data);
    if (!lenient.success) throw validationErrorFromIssues(spec.name, lenient.issues);
    const wire = lenient.output as W & Record<string, unknown>;
    if (wire.event_id === undefined) delete wire.event_id;
    const check = v.safeParse(spec.schema, wire);
    validated = new ValidatedWire(wire, check.success ? CONFORMS : Object.freeze(toValidationIssues(check.issues).map((issue) => Object.freeze(issue))));
  }
  if (arrivedOn !== undefined && spec.family !== undefined) {
    const own = channelOfWire(spec as EventSpec<WireEventBase>, validated.wire);
    if (own !== arrivedOn) {
      const issue = Object.freeze({ path: spec.family.field, message: `belongs on ${JSON.stringify(own)}, not on the channel it arrived on, ${JSON.stringify(arrivedOn)}` });
      validated = new ValidatedWire(validated.wire, Object.freeze([...validated.nonconforming, issue]));
    }
  }
  // The only place where a ValidatedWire poses as an init: the constructor checks for it first.
  return validated as unknown as EventInit<W>;
}

interface WellFormed {
  isWellFormed(): boolean;
}

/**
 * The wire path of the first string (or string in an array) holding an unpaired UTF-16
 * surrogate, or `undefined`. Such a string has no UTF-8 form: JSON.stringify writes it as an
 * escape that Pydantic's parser refuses, so the SDK never writes one. Checked here, once per
 * constructed event, rather than in the schemas: a parsed message was already checked as text.
 */
function unpairedSurrogatePath(wire: Readonly<Record<string, unknown>>): string | undefined {
  // Plain loops: this runs for every event built, on the publish hot path.
  for (const key in wire) {
    const value = wire[key];
    if (typeof value === 'string') {
      if (!(value as unknown as WellFormed).isWellFormed()) return key;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string' && !(item as unknown as WellFormed).isWellFormed()) return `${key}.${i}`;
      }
    }
  }
  return undefined;
}

function freezeWire<W extends WireEventBase>(wire: W): Readonly<W> {
  for (const key in wire) {
    const value = wire[key];
    if (Array.isArray(value)) Object.freeze(value);
  }
  return Object.freeze(wire);
}

/**
 * Base class of every event class (`SignalEvent`, `OrderEvent`, `PositionEvent`, `PriceUpdateEvent`).
 * Instances are immutable; `toJSON()` returns the wire object, so `JSON.stringify(event)` writes
 * wire JSON.
 *
 * Read like Python, write strictly: a constructor refuses anything outside the SDK's rules, while
 * `fromJSON`, `parseEvent`, subscribers and stream consumers accept every message the Python
 * model accepts. Such a message keeps every value as read (`toWire()` writes them back: strings
 * exactly, numbers Pydantic converted, such as a count sent as `"5"`, as the converted number) and
 * lists where it breaks the SDK's rules in {@link BaseEvent.nonconforming}.
 */
export abstract class BaseEvent<W extends WireEventBase, C extends string = W['event_type']> {
  /**
   * The event type of this class, which the SDK dispatched on (the channel, or the class asked
   * for). The `event_type` text a received message carried is `toJSON().event_type`; the two
   * differ only on an event that does not conform.
   */
  readonly eventType: W['event_type'];
  /** The timestamp string, exactly as received or created (see {@link BaseEvent.date}). */
  readonly timestamp: string;
  /** Unique id; set on events created in TypeScript, `undefined` if the wire message had none. */
  readonly eventId: string | undefined;
  readonly #spec: EventSpec<W>;
  readonly #wire: Readonly<W>;
  readonly #nonconforming: readonly ValidationIssue[];
  #json: string | undefined;

  /**
   * @throws {ValidationError} listing every invalid field by wire path.
   */
  protected constructor(spec: EventSpec<W>, init: EventInit<W>) {
    let wire: W;
    if (init instanceof ValidatedWire) {
      wire = init.wire as W;
      this.#nonconforming = init.nonconforming;
    } else {
      // Re-checking the timestamp and UUID the SDK has just generated was a fifth of the cost of
      // building an event; whatever the caller gave is checked by the full schema either way.
      const timestamp = ownValue(init, 'timestamp');
      const eventId = ownValue(init, 'eventId');
      const schema = generatesEnvelope(timestamp, eventId) ? spec.generatedEnvelopeSchema : spec.schema;
      wire = parseOrThrow(spec.name, schema, initToWireInput(spec.eventType, spec.fields, init, timestamp, eventId));
      const unreadable = unpairedSurrogatePath(wire as unknown as Readonly<Record<string, unknown>>);
      if (unreadable !== undefined) {
        throw new ValidationError(spec.name, [{ path: unreadable, message: 'holds an unpaired UTF-16 surrogate, which Python cannot read' }]);
      }
      this.#nonconforming = CONFORMS;
    }
    this.#spec = spec;
    this.#wire = freezeWire(wire);
    this.eventType = spec.eventType;
    this.timestamp = wire.timestamp;
    this.eventId = wire.event_id;
  }

  /**
   * The channel this event is published on: its event type, or for a kind on a channel family its
   * own channel (`price.updated.AAPL`).
   */
  get channel(): C {
    return (this.#spec.family === undefined ? this.eventType : channelOfWire(this.#spec as EventSpec<WireEventBase>, this.#wire)) as unknown as C;
  }

  /**
   * Whether the event meets the SDK's own rules, the ones its constructor enforces: always true
   * for an event built in TypeScript; false for a received message that the Python model accepts
   * but those rules refuse (see {@link BaseEvent.nonconforming}).
   */
  get conforms(): boolean {
    return this.#nonconforming.length === 0;
  }

  /**
   * Where a received message breaks the SDK's own rules, by wire path with the reason (e.g.
   * `run_id`: not a UUID, `as_of_date`: not an ISO date, `event_type`: another type than the
   * channel's). Empty (and frozen) when the event conforms. The values stay as read.
   */
  get nonconforming(): readonly ValidationIssue[] {
    return this.#nonconforming;
  }

  /**
   * The timestamp as a new `Date` (millisecond precision; the string keeps microseconds). Any
   * timestamp the Python models accept converts, such as a Unix time sent as a string. A
   * `PriceUpdateEvent` takes any string: a naive timestamp there is read as UTC, and a text that
   * is no timestamp at all gives an invalid `Date`.
   */
  get date(): Date {
    const date = timestampToDate(this.timestamp);
    if (!Number.isNaN(date.getTime())) return date;
    const datetime = pythonDatetimeFromText(this.timestamp);
    return datetime instanceof LaxProblem ? date : pythonDatetimeToDate(datetime);
  }

  /**
   * The wire object (snake_case, known fields only, `event_id` omitted when absent). It is frozen
   * and shared: copy it before changing anything. On an event that does not conform, a field
   * holds the value as read, which its type may not describe (an `event_type` of another channel).
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
