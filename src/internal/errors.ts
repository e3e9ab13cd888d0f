/**
 * One error hierarchy for the whole SDK. Every error has a stable string `code`, a `name` equal
 * to its class name (spelled out in the class, so minified code keeps it), optional context
 * fields and the original `cause`. Classify with `instanceof` or by `code`.
 */

/** Stable error codes. They never change between minor versions. */
export const ErrorCodes = {
  CONNECTION: 'E_CONNECTION',
  UNAVAILABLE: 'E_UNAVAILABLE',
  TIMEOUT: 'E_TIMEOUT',
  COMMAND: 'E_COMMAND',
  CONFIG: 'E_CONFIG',
  VALIDATION: 'E_VALIDATION',
  INVALID_KEY: 'E_INVALID_KEY',
  CLOSED: 'E_CLOSED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface RedisSdkErrorOptions {
  cause?: unknown;
  /** Extra machine-readable fields (command name, key, deadline...). Never secrets. */
  context?: Record<string, unknown>;
}

/** Base class of every error the SDK throws or rejects with. */
export class RedisSdkError extends Error {
  /**
   * The class's name, spelled out: `name` of its errors, and the `class` label of metrics. A
   * minifier may rename the class itself; this string stays. A subclass of your own without one
   * is named by its class.
   */
  static readonly errorName: string = 'RedisSdkError';
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: RedisSdkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = Object.hasOwn(new.target, 'errorName') ? (new.target as typeof RedisSdkError).errorName : new.target.name;
    this.code = code;
    this.context = Object.freeze({ ...options.context });
  }
}

/** The connection could not be established or was lost: unreachable, handshake, auth, TLS. */
export class RedisConnectionError extends RedisSdkError {
  static override readonly errorName: string = 'RedisConnectionError';
  constructor(message: string, options?: RedisSdkErrorOptions) {
    super(ErrorCodes.CONNECTION, message, options);
  }
}

/** A call was refused at once because the client is not connected (no offline queue). */
export class RedisUnavailableError extends RedisSdkError {
  static override readonly errorName: string = 'RedisUnavailableError';
  constructor(message: string, options?: RedisSdkErrorOptions) {
    super(ErrorCodes.UNAVAILABLE, message, options);
  }
}

/** A call did not settle within its deadline (connect or command). */
export class RedisTimeoutError extends RedisSdkError {
  static override readonly errorName: string = 'RedisTimeoutError';
  constructor(message: string, options?: RedisSdkErrorOptions) {
    super(ErrorCodes.TIMEOUT, message, options);
  }
}

/** Redis answered with an error reply (WRONGTYPE, NOPERM, CROSSSLOT...). */
export class RedisCommandError extends RedisSdkError {
  static override readonly errorName: string = 'RedisCommandError';
  constructor(message: string, options?: RedisSdkErrorOptions) {
    super(ErrorCodes.COMMAND, message, options);
  }
}

/** The client was closed or destroyed by its owner before or during the call. */
export class RedisClosedError extends RedisSdkError {
  static override readonly errorName: string = 'RedisClosedError';
  constructor(message: string, options?: RedisSdkErrorOptions) {
    super(ErrorCodes.CLOSED, message, options);
  }
}

/** Options or environment variables are invalid. Thrown at construction, never at first use. */
export class ConfigError extends RedisSdkError {
  static override readonly errorName: string = 'ConfigError';
  constructor(message: string, options?: RedisSdkErrorOptions) {
    super(ErrorCodes.CONFIG, message, options);
  }
}

/** One problem found by validation: where (`path`, dotted) and why. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Input (an event, a feature vector) failed validation. Lists every issue by path and reason. */
export class ValidationError extends RedisSdkError {
  static override readonly errorName: string = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[], options?: RedisSdkErrorOptions) {
    const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    super(ErrorCodes.VALIDATION, `Invalid ${subject}: ${detail}`, options);
    this.issues = Object.freeze([...issues]);
  }
}

/** A symbol, date or other key part is not allowed. Thrown before anything is sent. */
export class InvalidKeyError extends RedisSdkError {
  static override readonly errorName: string = 'InvalidKeyError';
  constructor(message: string, options?: RedisSdkErrorOptions) {
    super(ErrorCodes.INVALID_KEY, message, options);
  }
}
