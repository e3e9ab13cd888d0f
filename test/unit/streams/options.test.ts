import { describe, expect, it } from 'vitest';
import { ConfigError, EventStream, RedisClient, STREAM_DEFAULTS, ValidationError } from '../../../src/index.js';
import type { ConsumeOptions } from '../../../src/index.js';
import { CHANNELS } from '../../../src/events/channels.js';
import type { Channel } from '../../../src/events/channels.js';
import { resolveConsumeOptions, resolveStreamOptions } from '../../../src/streams/options.js';
import { resolveReplayOptions } from '../../../src/streams/replay.js';
import { thrownBy } from '../../harness/events/thrown.js';

const base: ConsumeOptions = { channels: [CHANNELS.ORDERS], group: 'g', consumer: 'c', handler: () => undefined };

function configErrorOf(fn: () => unknown): ConfigError {
  return thrownBy(fn, ConfigError);
}

describe('consume options', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveConsumeOptions(base);
    expect(resolved).toMatchObject({ maxBatchEntries: 100, blockMs: 5000, claimIdleMs: 30_000, maxDeliveries: 5, startId: '0', onError: undefined });
    expect(STREAM_DEFAULTS).toMatchObject({ keyPrefix: 'stream:', maxEntries: 100_000, maxBatchEntries: 100 });
    expect(resolveStreamOptions({})).toEqual({ keyPrefix: 'stream:', maxEntries: 100_000 });
  });

  it('still reads STREAM_DEFAULTS.maxLen and .batchSize, the deprecated keys, without spreading them', () => {
    expect(STREAM_DEFAULTS.maxLen).toBe(100_000);
    expect(STREAM_DEFAULTS.batchSize).toBe(100);
    expect(Object.keys(STREAM_DEFAULTS)).not.toContain('maxLen');
    expect({ ...STREAM_DEFAULTS }).not.toHaveProperty('maxLen');
    expect({ ...STREAM_DEFAULTS }).not.toHaveProperty('batchSize');
    expect(Object.isFrozen(STREAM_DEFAULTS)).toBe(true);
  });

  it('accepts maxBatchEntries up to 10 000, the most pending entries a claim looks up', () => {
    expect(resolveConsumeOptions({ ...base, maxBatchEntries: 10_000 }).maxBatchEntries).toBe(10_000);
  });

  it('accepts batchSize, the deprecated alias of maxBatchEntries; given with maxBatchEntries it must agree', () => {
    expect(resolveConsumeOptions({ ...base, batchSize: 7 }).maxBatchEntries).toBe(7);
    expect(resolveConsumeOptions({ ...base, maxBatchEntries: 9, batchSize: 9 }).maxBatchEntries).toBe(9);
    expect(resolveConsumeOptions({ ...base, batchSize: 7 })).not.toHaveProperty('batchSize');
    for (const [batchSize, message] of [
      [7, 'maxBatchEntries (9) and its deprecated alias batchSize (7) disagree: give maxBatchEntries only'],
      // A bad alias beside a good current name is not ignored.
      [10_001, 'maxBatchEntries (9) and its deprecated alias batchSize (10001) disagree: give maxBatchEntries only'],
    ] as const) {
      const error = configErrorOf(() => resolveConsumeOptions({ ...base, maxBatchEntries: 9, batchSize }));
      expect(error.context['option']).toBe('maxBatchEntries');
      expect(error.message).toBe(message);
    }
  });

  it.each([
    ['maxBatchEntries', { maxBatchEntries: 0 }],
    ['maxBatchEntries', { maxBatchEntries: 1.5 }],
    ['maxBatchEntries', { maxBatchEntries: 10_001 }],
    ['batchSize', { batchSize: 0 }],
    ['batchSize', { batchSize: 10_001 }],
    ['blockMs', { blockMs: 0 }],
    ['claimIdleMs', { claimIdleMs: -1 }],
    ['maxDeliveries', { maxDeliveries: Number.NaN }],
    ['channels', { channels: [] }],
    ['channels', { channels: ['orders.executed', 'orders.executed'] }],
    ['group', { group: '' }],
    ['consumer', { consumer: 42 }],
    ['handler', { handler: 'nope' }],
    ['onError', { onError: 1 }],
    ['startId', { startId: '>' }],
  ])('rejects a bad %s with a ConfigError naming it', (option, patch) => {
    const error = configErrorOf(() => resolveConsumeOptions({ ...base, ...patch } as unknown as ConsumeOptions<Channel>));
    expect(error.context['option']).toBe(option);
    expect(error.message).toContain(option);
  });

  it('rejects an unknown channel with the ValidationError of every channel check', () => {
    const unknown = (): unknown => resolveConsumeOptions({ ...base, channels: ['orders'] } as unknown as ConsumeOptions<Channel>);
    expect(unknown).toThrow(ValidationError);
    expect(unknown).toThrow('Invalid channel: must be one of "signals.generated", "orders.executed", "positions.updated", "price.updated.*"; got "orders"');
  });
});

describe('EventStream options and keys', () => {
  const client = new RedisClient();

  it('throws ConfigError at construction for a bad maxEntries or keyPrefix', () => {
    const error = configErrorOf(() => new EventStream(client, { maxEntries: 0 }));
    expect(error.context['option']).toBe('maxEntries');
    expect(error.message).toBe('Option maxEntries must be an integer >= 1, got 0');
    expect(configErrorOf(() => resolveStreamOptions({ keyPrefix: 5 as unknown as string })).context['option']).toBe('keyPrefix');
  });

  it('accepts maxLen, the deprecated alias of maxEntries; given with maxEntries it must agree', () => {
    expect(resolveStreamOptions({ maxLen: 50 }).maxEntries).toBe(50);
    expect(resolveStreamOptions({ maxEntries: 70, maxLen: 70 }).maxEntries).toBe(70);
    for (const [maxLen, message] of [
      [50, 'maxEntries (70) and its deprecated alias maxLen (50) disagree: give maxEntries only'],
      // A bad alias beside a good current name is not ignored.
      [0, 'maxEntries (70) and its deprecated alias maxLen (0) disagree: give maxEntries only'],
    ] as const) {
      const conflict = configErrorOf(() => new EventStream(client, { maxEntries: 70, maxLen }));
      expect(conflict.context['option']).toBe('maxEntries');
      expect(conflict.message).toBe(message);
    }
    const error = configErrorOf(() => new EventStream(client, { maxLen: 0 }));
    expect(error.context['option']).toBe('maxLen');
    expect(error.message).toBe('Option maxLen must be an integer >= 1, got 0');
  });

  it('names streams and dead-letter streams by channel under the prefix', () => {
    const stream = new EventStream(client);
    expect(stream.streamKey(CHANNELS.SIGNALS)).toBe('stream:signals.generated');
    expect(stream.deadLetterKey(CHANNELS.ORDERS)).toBe('stream:dlq:orders.executed');
    expect(new EventStream(client, { keyPrefix: 'app:' }).streamKey(CHANNELS.POSITIONS)).toBe('app:positions.updated');
    expect(() => stream.streamKey('nope' as Channel)).toThrow(ValidationError);
  });

  it('rejects bad consume and replay options before touching Redis (the client is not even connected)', () => {
    const stream = new EventStream(client);
    expect(() => stream.consume({ ...base, maxBatchEntries: 0 })).toThrow(ConfigError);
    expect(() => stream.replay({ channel: CHANNELS.ORDERS, maxEvents: -1 })).toThrow(ConfigError);
    expect(() => stream.replay({ channel: CHANNELS.ORDERS, count: -1 })).toThrow('Option count must be an integer >= 0, got -1');
    expect(() => stream.replay({ channel: 'nope' as Channel })).toThrow(ValidationError);
  });
});

describe('replay options', () => {
  it('fills in the documented defaults: the whole stream, unlimited, invalid entries skipped', () => {
    expect(resolveReplayOptions({ channel: CHANNELS.ORDERS })).toEqual({
      channel: CHANNELS.ORDERS,
      from: '-',
      to: '+',
      maxEvents: Number.POSITIVE_INFINITY,
      onInvalid: 'skip',
    });
  });

  it('accepts valid bounds and refuses bad maxEvents, onInvalid, from and to', () => {
    expect(resolveReplayOptions({ channel: CHANNELS.ORDERS, from: '0', to: '+', maxEvents: 0, onInvalid: 'throw' })).toEqual({
      channel: CHANNELS.ORDERS,
      from: '0',
      to: '+',
      maxEvents: 0,
      onInvalid: 'throw',
    });
    const error = configErrorOf(() => resolveReplayOptions({ channel: CHANNELS.ORDERS, maxEvents: 1.5 }));
    expect(error.context['option']).toBe('maxEvents');
    expect(error.message).toBe('Option maxEvents must be an integer >= 0, got 1.5');
    expect(configErrorOf(() => resolveReplayOptions({ channel: CHANNELS.ORDERS, onInvalid: 'drop' as 'skip' })).context['option']).toBe('onInvalid');
    expect(configErrorOf(() => resolveReplayOptions({ channel: CHANNELS.ORDERS, from: '' })).context['option']).toBe('from');
  });

  it('accepts count, the deprecated alias of maxEvents; given with maxEvents it must agree', () => {
    expect(resolveReplayOptions({ channel: CHANNELS.ORDERS, count: 5 }).maxEvents).toBe(5);
    expect(resolveReplayOptions({ channel: CHANNELS.ORDERS, maxEvents: 2, count: 2 }).maxEvents).toBe(2);
    for (const [count, message] of [
      [5, 'maxEvents (2) and its deprecated alias count (5) disagree: give maxEvents only'],
      // A bad alias beside a good current name is not ignored.
      [-1, 'maxEvents (2) and its deprecated alias count (-1) disagree: give maxEvents only'],
    ] as const) {
      const conflict = configErrorOf(() => resolveReplayOptions({ channel: CHANNELS.ORDERS, maxEvents: 2, count }));
      expect(conflict.context['option']).toBe('maxEvents');
      expect(conflict.message).toBe(message);
    }
    const error = configErrorOf(() => resolveReplayOptions({ channel: CHANNELS.ORDERS, count: 1.5 }));
    expect(error.context['option']).toBe('count');
    expect(error.message).toBe('Option count must be an integer >= 0, got 1.5');
  });
});
