/** One log method, pino-style: fields first, then the message. `console.warn` fits too. */
export type LogFn = (fields: Record<string, unknown>, msg: string) => void;

/**
 * The logging surface the SDK writes to. pino satisfies it, and so does `console`.
 * The SDK is silent by default and never writes to the console on its own.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const cache = new FeatureCache(client, { logger: pino() });
 * ```
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** Optional: a logger bound to extra fields, used for one child logger per component. */
  child?(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => undefined;

/** A logger that drops everything: the default for every component. */
export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
});

/** A per-component logger: `logger.child({ component })` when the logger has `child`, else itself. */
export function componentLogger(logger: Logger | undefined, component: string): Logger {
  if (!logger) return silentLogger;
  return typeof logger.child === 'function' ? logger.child({ component }) : logger;
}
