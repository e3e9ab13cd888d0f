/** Options of `FeatureCache`: their types, their defaults in one place, and their one-time resolution. */
import { integerOption, renamedOption } from '../internal/config.js';
import type { Logger } from '../internal/logger.js';
import { getCodec } from './codecs/index.js';
import type { CodecName, FeatureCodec } from './codecs/index.js';
import { DEFAULT_FEATURE_PREFIX, validatePrefix } from './keys.js';

/** The in-process tier: decoded vectors in a bounded LRU, invalidated by Redis. */
export interface LocalTierOptions {
  /** Most vectors kept. @default 10000 */
  maxEntries?: number;
  /** Longest a vector is served locally, as a bound on anything missed. @default 60000 */
  ttlMs?: number;
}

/** Options of {@link FeatureCache}. Defaults are in {@link FEATURE_CACHE_DEFAULTS}. */
export interface FeatureCacheOptions {
  /** Seconds before a stored vector expires; `0` stores without expiry. @default 3600 */
  ttlSeconds?: number;
  /**
   * @deprecated Use `ttlSeconds` instead; given with `ttlSeconds`, both must have one value. A bad value
   * throws a `ConfigError` naming `ttl`.
   */
  ttl?: number;
  /** Key prefix: keys are `{prefix}:{SYMBOL}:{YYYY-MM-DD}`. @default 'features' */
  prefix?: string;
  /**
   * How new vectors are written: `json` (what the Python services read) or `f64` (binary,
   * decodes as a copy). Reads detect the format, so either codec reads both. @default 'json'
   */
  codec?: CodecName;
  /**
   * The local tier: `true` for its defaults, or its options. With it, vectors read are frozen
   * (shared between callers); without it, each read returns a fresh object. @default false
   */
  local?: boolean | LocalTierOptions;
  /** Largest encoded value `set` will write; larger ones are refused (false). @default 1048576 */
  maxValueBytes?: number;
  /** Where the cache logs. @default silent */
  logger?: Logger;
}

const DEFAULT_TTL_SECONDS = 3600;

const defaults = {
  ttlSeconds: DEFAULT_TTL_SECONDS,
  prefix: DEFAULT_FEATURE_PREFIX,
  codec: 'json' as CodecName,
  local: false,
  localMaxEntries: 10_000,
  localTtlMs: 60_000,
  maxValueBytes: 1024 * 1024,
};

/** The key {@link FEATURE_CACHE_DEFAULTS} still answers under its old name. */
interface DeprecatedCacheDefaults {
  /** @deprecated Use `ttlSeconds`; this alias goes in the next minor version. */
  readonly ttl: number;
}

/**
 * The defaults of {@link FeatureCacheOptions}, in one place. The old key `ttl` still reads
 * (deprecated) but is not enumerable, so spreading the defaults passes only the current names.
 */
export const FEATURE_CACHE_DEFAULTS = Object.freeze(
  Object.defineProperties({ ...defaults }, { ttl: { value: DEFAULT_TTL_SECONDS } }),
) as Readonly<typeof defaults> & DeprecatedCacheDefaults;

/** Options after defaults and validation. Internal. */
export interface ResolvedCacheOptions {
  ttlSeconds: number;
  prefix: string;
  codec: FeatureCodec;
  local: Required<LocalTierOptions> | undefined;
  maxValueBytes: number;
}

function integer(value: number | undefined, fallback: number, name: string, min: number): number {
  return integerOption(value, fallback, name, { min });
}

/** Applies defaults and validates; throws {@link ConfigError} naming the option as the caller wrote it. */
export function resolveCacheOptions(options: FeatureCacheOptions): ResolvedCacheOptions {
  const d = FEATURE_CACHE_DEFAULTS;
  const local = options.local ?? d.local;
  const localOptions = typeof local === 'object' ? local : {};
  const [ttlSeconds, ttlName] = renamedOption(options.ttlSeconds, 'ttlSeconds', options.ttl, 'ttl');
  return {
    ttlSeconds: integer(ttlSeconds, d.ttlSeconds, ttlName, 0),
    prefix: validatePrefix(options.prefix ?? d.prefix),
    codec: getCodec(options.codec ?? d.codec),
    local:
      local === false
        ? undefined
        : {
            maxEntries: integer(localOptions.maxEntries, d.localMaxEntries, 'local.maxEntries', 1),
            ttlMs: integer(localOptions.ttlMs, d.localTtlMs, 'local.ttlMs', 1),
          },
    maxValueBytes: integer(options.maxValueBytes, d.maxValueBytes, 'maxValueBytes', 1),
  };
}
