/**
 * A small console logger with the SDK's `Logger` shape, for start-up messages written before a
 * service's own (Fastify) logger exists, and for the demo.
 */
import type { Logger } from '@trading-platform/redis-client';

/** Log levels, lowest first. */
export type Level = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A logger writing `LEVEL [component] message {fields}` lines to stderr at `level` and above.
 *
 * @example
 * const log = consoleLogger('info');
 * log.warn({ port: 6379 }, 'Redis unreachable');
 */
export function consoleLogger(level: Level = 'info', bindings: Record<string, unknown> = {}): Logger {
  const write = (at: Level) => (fields: Record<string, unknown>, msg: string): void => {
    if (ORDER[at] < ORDER[level]) return;
    const { component, ...rest } = { ...bindings, ...fields };
    const tag = typeof component === 'string' ? ` [${component}]` : '';
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    process.stderr.write(`${at.toUpperCase()}${tag} ${msg}${extra}\n`);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => consoleLogger(level, { ...bindings, ...more }),
  };
}
