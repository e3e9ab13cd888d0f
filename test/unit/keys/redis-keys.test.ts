import { describe, expect, it } from 'vitest';
import { FeatureCache, InvalidKeyError, RedisKeys } from '../../../src/index.js';
import { MAX_KEY_ID_LENGTH, validateKeyId } from '../../../src/keys/redis-keys.js';
import { createEmbeddedServer } from '../../../src/embedded.js';

function keyError(fn: () => unknown): InvalidKeyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKeyError);
    return error as InvalidKeyError;
  }
  throw new Error('expected an InvalidKeyError');
}

describe('RedisKeys builds the upstream key formats exactly (libs/core/redis_client/keys.py)', () => {
  // Each expected string is upstream's docstring example or its f-string applied by hand.
  it.each([
    [() => RedisKeys.price('AAPL'), 'price:AAPL'],
    [() => RedisKeys.price('MSFT'), 'price:MSFT'],
    [() => RedisKeys.feature('AAPL', '2025-01-17'), 'feature:AAPL:2025-01-17'],
    [() => RedisKeys.feature('MSFT', '2025-01-17'), 'feature:MSFT:2025-01-17'],
    [() => RedisKeys.circuitBreaker('global'), 'cb:global'],
    [() => RedisKeys.circuitBreaker('AAPL'), 'cb:AAPL'],
    [() => RedisKeys.modelVersion('alpha_baseline'), 'model:version:alpha_baseline'],
    [() => RedisKeys.quarantine('alpha_baseline', 'AAPL'), 'quarantine:alpha_baseline:AAPL'],
    [() => RedisKeys.quarantine('*', 'AAPL'), 'quarantine:*:AAPL'],
    [() => RedisKeys.orphanExposure('external', 'AAPL'), 'orphan_exposure:external:AAPL'],
    [() => RedisKeys.orphanExposure('twap_slice_abc123_0', 'BRK.B'), 'orphan_exposure:twap_slice_abc123_0:BRK.B'],
    [() => RedisKeys.reduceOnlyLock('AAPL'), 'reduce_only_lock:AAPL'],
  ])('%#: %s', (build, expected) => {
    expect(build()).toBe(expected);
  });

  it('keeps the case of symbols as given, like FeatureCache', () => {
    expect(RedisKeys.price('aapl')).toBe('price:aapl');
    expect(RedisKeys.reduceOnlyLock('rds-a')).toBe('reduce_only_lock:rds-a');
  });

  it('feature is singular (upstream RedisKeys.feature) while FeatureCache keys are plural (upstream FeatureCache)', () => {
    const server = createEmbeddedServer();
    const cache = new FeatureCache(server.createClient());
    expect(RedisKeys.feature('AAPL', '2025-01-17')).toBe('feature:AAPL:2025-01-17');
    expect(cache.key('AAPL', '2025-01-17')).toBe('features:AAPL:2025-01-17');
  });

  it('is frozen: no helper can be replaced at run time', () => {
    expect(Object.isFrozen(RedisKeys)).toBe(true);
    expect(Object.keys(RedisKeys)).toEqual(['price', 'feature', 'circuitBreaker', 'modelVersion', 'quarantine', 'orphanExposure', 'reduceOnlyLock']);
  });
});

describe('RedisKeys validates every part like FeatureCache keys, naming the part', () => {
  const BAD_SYMBOLS = ['', 'A:B', 'A B', 'A*', 'X'.repeat(33), 'ÄPFEL', 'AAPL\n'];

  it.each(BAD_SYMBOLS)('symbol %j is refused by every helper that takes one', (symbol) => {
    for (const build of [
      () => RedisKeys.price(symbol),
      () => RedisKeys.feature(symbol, '2025-01-17'),
      () => RedisKeys.quarantine('s', symbol),
      () => RedisKeys.orphanExposure('s', symbol),
      () => RedisKeys.reduceOnlyLock(symbol),
    ]) {
      const error = keyError(build);
      expect(error.message).toMatch(/^Invalid symbol /);
      expect(error.context).toEqual({ symbol });
    }
  });

  it.each(['2025-02-30', '2025-13-01', '2025-1-17', '2025-01-17T00:00:00Z', '0000-01-01', ''])('feature date %j is refused', (date) => {
    const error = keyError(() => RedisKeys.feature('AAPL', date));
    expect(error.message).toMatch(/^Invalid date /);
    expect(error.context).toEqual({ date });
  });

  it('accepts leap days and the symbol edge lengths', () => {
    expect(RedisKeys.feature('A', '2024-02-29')).toBe('feature:A:2024-02-29');
    expect(RedisKeys.price('X'.repeat(32))).toBe(`price:${'X'.repeat(32)}`);
  });

  it.each([
    ['circuitBreaker', 'breakerId', (id: string) => RedisKeys.circuitBreaker(id)],
    ['modelVersion', 'strategyName', (id: string) => RedisKeys.modelVersion(id)],
    ['quarantine', 'strategyId', (id: string) => RedisKeys.quarantine(id, 'AAPL')],
    ['orphanExposure', 'strategyId', (id: string) => RedisKeys.orphanExposure(id, 'AAPL')],
  ] as const)('%s refuses a bad %s, naming it', (_helper, part, build) => {
    for (const [id, why] of [
      ['', /must not be empty/],
      ['a:b', /":"/],
      ['a b', /whitespace/],
      ['a\tb', /whitespace/],
      ['a\u0000b', /control/],
      ['x'.repeat(MAX_KEY_ID_LENGTH + 1), new RegExp(`at most ${MAX_KEY_ID_LENGTH}`)],
    ] as const) {
      const error = keyError(() => build(id));
      expect(error.message.startsWith(`Invalid ${part} `), error.message).toBe(true);
      expect(error.message).toMatch(why);
      expect(error.context).toMatchObject({ part, [part]: id });
    }
  });

  it('keeps identifiers the Python services use: underscores, dots, dashes, "*", mixed case, non-ASCII', () => {
    for (const id of ['alpha_baseline', 'twap_slice_abc123_0', 'external', '*', 'Alpha.v2-beta', 'stratégie', 'x'.repeat(MAX_KEY_ID_LENGTH)]) {
      expect(validateKeyId('strategyId', id)).toBe(id);
      expect(RedisKeys.modelVersion(id)).toBe(`model:version:${id}`);
    }
  });

  it('refuses a non-string part at run time', () => {
    const error = keyError(() => RedisKeys.circuitBreaker(42 as unknown as string));
    expect(error.message).toBe('Invalid breakerId 42: must be a string');
  });
});
