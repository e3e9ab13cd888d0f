/** Public types of `EventSubscriber`: options, handlers, and what they receive. */
import type { ValidationError, ValidationIssue } from '../internal/errors.js';
import type { Logger } from '../internal/logger.js';
import type { AnyEvent } from './channels.js';

/** Where a message came from. */
export interface MessageMeta {
  /** The channel it was published on. */
  readonly channel: string;
  /** The subscribed pattern that matched, for `onPattern` handlers. */
  readonly pattern?: string;
}

/** Receives events of one type. May return a promise; a rejection is reported like a throw. */
export type EventHandler<E> = (event: E, meta: MessageMeta) => void | Promise<void>;

/** A message that was not a valid event for where it arrived. */
export interface InvalidMessage extends MessageMeta {
  /** The message exactly as received. */
  readonly raw: string;
  /** Why it was rejected. */
  readonly error: ValidationError;
  /** `error.issues`: every problem by wire path. */
  readonly issues: readonly ValidationIssue[];
}

/** Receives messages that failed parsing or validation. */
export type InvalidMessageHandler = (message: InvalidMessage) => void;

/** Where a handler failure happened. */
export interface HandlerErrorContext extends MessageMeta {
  /** The event the handler was given. */
  readonly event: AnyEvent;
}

/** Receives errors thrown (or rejections returned) by event handlers. */
export type HandlerErrorHandler = (error: unknown, context: HandlerErrorContext) => void;

/** Removes a subscription; resolves when Redis confirmed (when it was the last handler). */
export type Unsubscribe = () => Promise<void>;

/** Options of `EventSubscriber`. */
export interface EventSubscriberOptions {
  /** Receives invalid messages and handler errors when nobody else does. @default silent */
  logger?: Logger;
  /** Most events each {@link EventSubscriber.stream} iterator queues, unless it sets its own. @default 1000 */
  maxQueuedEvents?: number;
  /** @deprecated Use `maxQueuedEvents`; this alias goes in the next minor version. */
  queueSize?: number;
}

/** Options of `EventSubscriber.stream()`. */
export interface SubscriberStreamOptions {
  /** Most events waiting to be read; when full, the oldest is dropped. @default the subscriber's `maxQueuedEvents` */
  maxQueuedEvents?: number;
  /** @deprecated Use `maxQueuedEvents`; this alias goes in the next minor version. */
  maxQueue?: number;
}

/** Counters of an `EventSubscriber` since it was created. */
export interface SubscriberStats {
  /** Messages received (valid or not; a message matching two subscriptions counts twice). */
  received: number;
  /** Messages rejected as invalid. */
  invalid: number;
  /** Handler calls that threw or rejected. */
  handlerErrors: number;
  /** Events dropped by full `stream()` queues. */
  dropped: number;
}

const defaults = Object.freeze({ maxQueuedEvents: 1000 });

/** The key {@link SUBSCRIBER_DEFAULTS} still answers under its old name. */
interface DeprecatedSubscriberDefaults {
  /** @deprecated Use `maxQueuedEvents`; this alias goes in the next minor version. */
  readonly queueSize: typeof defaults.maxQueuedEvents;
}

/**
 * Defaults of {@link EventSubscriberOptions}. The old key `queueSize` still reads (deprecated) but
 * is not enumerable, so spreading the defaults into options passes only the current name.
 */
export const SUBSCRIBER_DEFAULTS = Object.freeze(
  Object.defineProperties({ ...defaults }, { queueSize: { value: defaults.maxQueuedEvents } }),
) as typeof defaults & DeprecatedSubscriberDefaults;
