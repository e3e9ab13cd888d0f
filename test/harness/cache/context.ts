/** Builds the shared state of one FeatureCache part on the embedded backend, for the module tests of src/cache. */
import { createEmbeddedClient } from '../../../src/embedded.js';
import type { CacheContext } from '../../../src/cache/context.js';
import { FeatureKeys } from '../../../src/cache/keys.js';
import { LocalTier } from '../../../src/cache/local-tier.js';
import { CacheCounters } from '../../../src/cache/stats.js';
import type { RedisClient } from '../../../src/client/redis-client.js';
import type { Logger } from '../../../src/internal/logger.js';

/** One log call a {@link RecordingLogger} saw. */
export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

/** A logger that keeps every call, to assert what a part logged. */
export interface RecordingLogger extends Logger {
  readonly records: LogRecord[];
}

/** A {@link RecordingLogger}. */
export function recordingLogger(): RecordingLogger {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (fields: Record<string, unknown>, msg: string): void => {
      records.push({ level, fields, msg });
    };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A context with its recording logger, counters and (when asked for) a live local tier. */
export interface TestContext extends CacheContext {
  readonly log: RecordingLogger;
  readonly counters: CacheCounters;
}

/**
 * A context over a connected embedded client (a fresh in-memory server unless `client` is
 * given), prefix `p`. With `local`, a started {@link LocalTier} of 100 entries: its
 * invalidations are not driven by Redis here, so tests call them by hand.
 */
export async function testContext(options: { client?: RedisClient; local?: boolean; prefix?: string } = {}): Promise<TestContext> {
  const client = options.client ?? (await createEmbeddedClient().connect());
  let local: LocalTier | undefined;
  if (options.local === true) {
    local = new LocalTier(100, 60_000);
    local.start();
  }
  return { client, keys: new FeatureKeys(options.prefix ?? 'p'), counters: new CacheCounters(), log: recordingLogger(), local };
}
