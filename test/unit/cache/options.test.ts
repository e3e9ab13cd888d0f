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

  it('the deprecated ttl alias still works, and ttlSeconds wins when both are given', () => {
    expect(resolveCacheOptions({ ttl: 60 }).ttlSeconds).toBe(60);
    expect(resolveCacheOptions({ ttlSeconds: 30, ttl: 60 }).ttlSeconds).toBe(30);
    expect(resolveCacheOptions({ ttlSeconds: 0, ttl: 60 }).ttlSeconds).toBe(0);
    // The alias is not even read then, so a bad one beside a good new name does no harm.
    expect(resolveCacheOptions({ ttlSeconds: 30, ttl: -1 }).ttlSeconds).toBe(30);
  });

  it('a bad TTL is a ConfigError naming the option as the caller wrote it', () => {
    for (const [options, name] of [
      [{ ttlSeconds: -1 }, 'ttlSeconds'],
      [{ ttlSeconds: 0.5 }, 'ttlSeconds'],
      [{ ttl: -1 }, 'ttl'],
      [{ ttl: 0.5 }, 'ttl'],
      [{ ttlSeconds: -1, ttl: 60 }, 'ttlSeconds'],
    ] as Array<[FeatureCacheOptions, string]>) {
      const err = configError(options);
      expect(err.context.option, JSON.stringify(options)).toBe(name);
      expect(err.message).toMatch(new RegExp(`^Option ${name} must be`));
    }
  });

  it('names the other bad options too', () => {
    expect(configError({ maxValueBytes: 0 }).context.option).toBe('maxValueBytes');
    expect(configError({ local: { maxEntries: 0 } }).context.option).toBe('local.maxEntries');
    expect(configError({ local: { ttlMs: 1.5 } }).context.option).toBe('local.ttlMs');
    expect(configError({ prefix: 'a b' }).message).toContain('a b');
    expect(configError({ codec: 'msgpack' as 'json' }).message).toContain('msgpack');
  });
});
