import { describe, expect, it } from 'vitest';
import { FEATURE_CACHE_DEFAULTS, resolveCacheOptions, type FeatureCacheOptions } from '../../../src/cache/options.js';
import { ConfigError } from '../../../src/internal/errors.js';

/** The ConfigError resolving `options` throws (fails if it does not). */
function configError(options: FeatureCacheOptions): ConfigError {
  try {
    resolveCacheOptions(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(options)}`);
}

describe('resolveCacheOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveCacheOptions({});
    expect(resolved).toMatchObject({ ttlSeconds: 3600, prefix: 'features', local: undefined, maxValueBytes: 1024 * 1024 });
    expect(resolved.codec.name).toBe('json');
    expect(FEATURE_CACHE_DEFAULTS.ttlSeconds).toBe(3600);
    expect(resolveCacheOptions({ local: true }).local).toEqual({ maxEntries: 10_000, ttlMs: 60_000 });
  });

  it('ttlSeconds sets the TTL; 0 means no expiry', () => {
    expect(resolveCacheOptions({ ttlSeconds: 60 }).ttlSeconds).toBe(60);
    expect(resolveCacheOptions({ ttlSeconds: 0 }).ttlSeconds).toBe(0);
  });

  it('the deprecated ttl alias still works; given with ttlSeconds it must agree', () => {
    expect(resolveCacheOptions({ ttl: 60 }).ttlSeconds).toBe(60);
    expect(resolveCacheOptions({ ttlSeconds: 60, ttl: 60 }).ttlSeconds).toBe(60);
    // Defaults spread under the new name, then the old name set: never a silent 3600.
    expect(() => resolveCacheOptions({ ...FEATURE_CACHE_DEFAULTS, ttl: 60 })).toThrow(/ttlSeconds \(3600\) and its deprecated alias ttl \(60\) disagree: give ttlSeconds only/);
    // A bad alias beside a good new name is not ignored: the two disagree.
    const conflict = configError({ ttlSeconds: 30, ttl: -1 });
    expect(conflict.context.option).toBe('ttlSeconds');
    expect(conflict.message).toBe('ttlSeconds (30) and its deprecated alias ttl (-1) disagree: give ttlSeconds only');
    // Spreading the defaults carries only the current names, so overriding ttlSeconds just works.
    expect(Object.keys(FEATURE_CACHE_DEFAULTS)).not.toContain('ttl');
    expect(FEATURE_CACHE_DEFAULTS.ttl).toBe(3600);
    expect(resolveCacheOptions({ ...FEATURE_CACHE_DEFAULTS, ttlSeconds: 60 }).ttlSeconds).toBe(60);
  });

  it('a bad TTL is a ConfigError naming the option as the caller wrote it', () => {
    for (const [options, name] of [
      [{ ttlSeconds: -1 }, 'ttlSeconds'],
      [{ ttlSeconds: 0.5 }, 'ttlSeconds'],
      [{ ttl: -1 }, 'ttl'],
      [{ ttl: 0.5 }, 'ttl'],
      [{ ttlSeconds: 0.5, ttl: 0.5 }, 'ttlSeconds'],
    ] as Array<[FeatureCacheOptions, string]>) {
      const err = configError(options);
      expect(err.context.option, JSON.stringify(options)).toBe(name);
      expect(err.message).toMatch(new RegExp(`^Option ${name} must be`));
    }
    // A bad new name beside a different alias: the disagreement is the error, under the new name.
    const err = configError({ ttlSeconds: -1, ttl: 60 });
    expect(err.context.option).toBe('ttlSeconds');
    expect(err.message).toBe('ttlSeconds (-1) and its deprecated alias ttl (60) disagree: give ttlSeconds only');
  });

  it('names the other bad options too', () => {
    expect(configError({ maxValueBytes: 0 }).context.option).toBe('maxValueBytes');
    expect(configError({ local: { maxEntries: 0 } }).context.option).toBe('local.maxEntries');
    expect(configError({ local: { ttlMs: 1.5 } }).context.option).toBe('local.ttlMs');
    expect(configError({ prefix: 'a b' }).message).toContain('a b');
    expect(configError({ codec: 'msgpack' as 'json' }).message).toContain('msgpack');
  });
});
