/**
 * The shape of one row of the event registry (an event kind: its wire schema, its class and the
 * channels it travels on), the types read off a row, and the index that finds a row by channel,
 * by wire `event_type` or by instance. Generic: the platform's table is in `registry.ts`.
 */
import type { BaseEvent, WireEventSchema } from './base.js';
import type { WireEventBase } from './init.js';

/**
 * Where events of a kind travel: one channel, or a family of channels made of a shared prefix
 * and a non-empty suffix such as a symbol (prefix `price.updated.`: `price.updated.AAPL`).
 */
export type ChannelRule = { readonly channel: string } | { readonly prefix: string };

/**
 * An event class as the registry uses it: built from its camelCase init, parsed from wire input
 * (with the channel it arrived on, which a class on a channel family checks against the event).
 */
export interface EventClass<E, I> {
  new (init: I): E;
  fromJSON(input: unknown, channel?: string): E;
  readonly name: string;
}

/** One event kind: a row of the registry. */
export interface EventKind<E = unknown, I = never, R extends ChannelRule = ChannelRule> {
  /** The class name (`SignalEvent`), for error messages. */
  readonly name: string;
  /** The `event_type` of its wire JSON: its schema's literal. */
  readonly eventType: string;
  /** The channel, or channel family, its events travel on. */
  readonly channels: R;
  /** The wire schema its class validates against. */
  readonly schema: WireEventSchema<WireEventBase>;
  /** Its class. */
  readonly event: EventClass<E, I>;
}

/** The channel names of kind `K`: its channel, or `${prefix}${string}` for a family. */
export type ChannelOfKind<K> = K extends { readonly channels: { readonly channel: infer C extends string } }
  ? C
  : K extends { readonly channels: { readonly prefix: infer P extends string } }
    ? `${P}${string}`
    : never;

/** The instances of kind `K`'s class. */
export type EventOfKind<K> = K extends { readonly event: { fromJSON(input: unknown): infer E } } ? E : never;

/** The camelCase init object of kind `K`'s class. */
export type InitOfKind<K> = K extends { readonly event: new (init: infer I) => unknown } ? I : never;

/**
 * The row of a kind whose events travel on one channel named like their `event_type` (read from
 * the schema's literal). The types make sure the class is built on that schema's wire type.
 */
export function eventKind<W extends WireEventBase, E extends BaseEvent<W>, I>(
  schema: WireEventSchema<W>,
  event: EventClass<E, I>,
): EventKind<E, I, { readonly channel: W['event_type'] }> {
  const eventType = schema.entries.event_type.literal;
  return Object.freeze({ name: event.name, eventType, channels: Object.freeze({ channel: eventType }), schema, event });
}

/**
 * The row of a kind whose events travel on a family of channels, `${prefix}${suffix}` (the class
 * makes an event's channel from its fields, see `ChannelFamily`). The event type is read from the
 * schema's literal.
 */
export function eventFamilyKind<W extends WireEventBase, E extends BaseEvent<W, `${P}${string}`>, I, P extends string>(
  schema: WireEventSchema<W>,
  event: EventClass<E, I>,
  prefix: P,
): EventKind<E, I, { readonly prefix: P }> {
  const eventType = schema.entries.event_type.literal;
  return Object.freeze({ name: event.name, eventType, channels: Object.freeze({ prefix }), schema, event });
}

/** The pattern of kind `K`'s channel family, `${prefix}*`; `never` for a one-channel kind. */
export type PatternOfKind<K> = K extends { readonly channels: { readonly prefix: infer P extends string } } ? `${P}*` : never;

/** Finds the kinds of a registry. Lookups never match an `Object.prototype` member. */
export interface KindIndex<K extends EventKind> {
  /** Every kind, in table order. */
  readonly kinds: readonly K[];
  /** The kind that travels on `channel` (its channel, or a channel of its family), or `undefined`. */
  byChannel(channel: unknown): K | undefined;
  /** The kind whose wire `event_type` is `eventType`, or `undefined`. */
  byEventType(eventType: unknown): K | undefined;
  /** The kind whose class `value` is an instance of, or `undefined` (plain objects never match). */
  byInstance(value: unknown): K | undefined;
  /** The kind on a channel family whose pattern (`price.updated.*`) is exactly `pattern`, or `undefined`. */
  byFamilyPattern(pattern: unknown): K | undefined;
  /** The channels, quoted, for messages: `"signals.generated", ...`; a family as `"price.updated.*"`. */
  readonly channelList: string;
  /** The wire event types, quoted, for messages. */
  readonly eventTypeList: string;
}

function channelText(rule: ChannelRule): string {
  return 'channel' in rule ? rule.channel : `${rule.prefix}*`;
}

/**
 * Indexes `kinds`.
 *
 * @throws {Error} when two kinds share a channel, a family prefix or an event type (a mistake in
 * the table, caught when the module loads).
 */
export function indexKinds<K extends EventKind>(kinds: readonly K[]): KindIndex<K> {
  const exact = new Map<string, K>();
  const families: Array<readonly [prefix: string, kind: K]> = [];
  const byType = new Map<string, K>();
  const byPattern = new Map<string, K>();
  const seen = new Set<string>();
  for (const kind of kinds) {
    const channel = channelText(kind.channels);
    if (seen.has(channel) || byType.has(kind.eventType)) {
      throw new Error(`event registry: ${kind.name} reuses the channel ${channel} or the event type ${kind.eventType}`);
    }
    seen.add(channel);
    byType.set(kind.eventType, kind);
    if ('channel' in kind.channels) exact.set(kind.channels.channel, kind);
    else {
      families.push([kind.channels.prefix, kind]);
      byPattern.set(channel, kind);
    }
  }
  return Object.freeze({
    kinds: Object.freeze([...kinds]),
    byChannel(channel: unknown): K | undefined {
      if (typeof channel !== 'string') return undefined;
      const found = exact.get(channel);
      if (found !== undefined) return found;
      for (const [prefix, kind] of families) if (channel.length > prefix.length && channel.startsWith(prefix)) return kind;
      return undefined;
    },
    byEventType(eventType: unknown): K | undefined {
      return typeof eventType === 'string' ? byType.get(eventType) : undefined;
    },
    byInstance(value: unknown): K | undefined {
      if (typeof value !== 'object' || value === null) return undefined;
      // A plain loop: this runs on every publish and append.
      for (const kind of kinds) if (value instanceof kind.event) return kind;
      return undefined;
    },
    byFamilyPattern(pattern: unknown): K | undefined {
      return typeof pattern === 'string' ? byPattern.get(pattern) : undefined;
    },
    channelList: kinds.map((kind) => JSON.stringify(channelText(kind.channels))).join(', '),
    eventTypeList: kinds.map((kind) => JSON.stringify(kind.eventType)).join(', '),
  });
}
