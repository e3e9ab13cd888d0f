import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, RedisTimeoutError } from '../../../src/internal/errors.js';
import { EventPublisher, PUBLISH_RETRY } from '../../../src/events/publisher.js';
import { PUBLISH_BUFFER_ENV, publishBufferFromEnv } from '../../../src/events/publish-buffer.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { signal } from '../../harness/events/helpers.js';

const MAX = 'REDIS_FALLBACK_BUFFER_MAX_SIZE';
const PATH = 'REDIS_FALLBACK_BUFFER_PATH';
const INTERVAL = 'REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('publishBufferFromEnv reads the upstream REDIS_FALLBACK_* variables', () => {
  it('names the variables of the Python signal service', () => {
    expect(PUBLISH_BUFFER_ENV).toEqual({ maxQueuedEvents: MAX, persistPath: PATH, replayIntervalSeconds: INTERVAL });
  });

  it('is undefined when none is set or all are empty', () => {
    expect(publishBufferFromEnv({})).toBeUndefined();
    expect(publishBufferFromEnv({ [MAX]: '', [PATH]: '  ', [INTERVAL]: '' })).toBeUndefined();
  });

  it('maps each variable to its option: size, path, interval in seconds to milliseconds', () => {
    expect(publishBufferFromEnv({ [MAX]: '250', [PATH]: ' /var/lib/sig/buffer.jsonl ', [INTERVAL]: '5' })).toEqual({
      maxQueuedEvents: 250,
      persistPath: '/var/lib/sig/buffer.jsonl',
      replayIntervalMs: 5000,
    });
    expect(publishBufferFromEnv({ [INTERVAL]: ' 2 ' })).toEqual({ replayIntervalMs: 2000 });
    expect(publishBufferFromEnv({ [MAX]: '1' })).toEqual({ maxQueuedEvents: 1 });
    expect(publishBufferFromEnv({ [INTERVAL]: '2147483' })).toEqual({ replayIntervalMs: 2_147_483_000 });
  });

  it.each([
    [MAX, '0'],
    [MAX, '-1'],
    [MAX, 'abc'],
    [MAX, '1.5'],
    [MAX, '1e3'],
    [MAX, '99999999999999999999'],
    [INTERVAL, '0'],
    [INTERVAL, '-5'],
    [INTERVAL, '0.5'],
    [INTERVAL, '5s'],
    [INTERVAL, '2147484'],
  ])('%s=%j is a ConfigError naming the variable', (variable, value) => {
    const error = configError(() => publishBufferFromEnv({ [variable]: value }));
    expect(error.message).toMatch(new RegExp(`^${variable} must be an integer`));
    expect(error.message).toContain(JSON.stringify(value.trim()));
    expect(error.context).toEqual({ variable });
  });

  it('reads process.env by default', () => {
    vi.stubEnv(MAX, '77');
    try {
      expect(publishBufferFromEnv()).toEqual({ maxQueuedEvents: 77 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('EventPublisher.fromEnv', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'publisher-env-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('always buffers: the defaults (1000 events, memory only) when no variable is set', async () => {
    const client = new FakePublishClient();
    const publisher = EventPublisher.fromEnv(client, {});
    client.down();
    for (let n = 1; n <= 1002; n++) expect(await publisher.publish('signals.generated', signal(n))).toBeNull();
    expect(publisher.stats()).toMatchObject({ buffered: 1000, dropped: 2 });
    client.up();
    await vi.waitFor(() => expect(publisher.stats().buffered).toBe(0));
    expect(client.signalNumbers()).toEqual(Array.from({ length: 1000 }, (_, i) => i + 3));
    await publisher.close();
  });

  it('takes the size and the file from the variables; a variable wins over options.buffer', async () => {
    const file = path.join(dir, 'nested', 'buffer.jsonl');
    const client = new FakePublishClient();
    const publisher = EventPublisher.fromEnv(client, { [MAX]: '3', [PATH]: file }, { buffer: { maxQueuedEvents: 100 } });
    client.down();
    for (let n = 1; n <= 5; n++) await publisher.publish('signals.generated', signal(n));
    expect(publisher.stats()).toMatchObject({ buffered: 3, dropped: 2 });
    await publisher.close();
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(3);

    // A new process on the same variables replays the file.
    const next = new FakePublishClient();
    const publisher2 = EventPublisher.fromEnv(next, { [MAX]: '3', [PATH]: file });
    await vi.waitFor(() => expect(next.signalNumbers()).toEqual([3, 4, 5]));
    await publisher2.close();
    expect(existsSync(file)).toBe(false);
  });

  it('a variable wins over options.buffer given under the deprecated name too (no alias conflict)', async () => {
    const client = new FakePublishClient();
    const publisher = EventPublisher.fromEnv(client, { [MAX]: '2' }, { buffer: { maxSize: 100 } });
    client.down();
    for (let n = 1; n <= 4; n++) await publisher.publish('signals.generated', signal(n));
    expect(publisher.stats()).toMatchObject({ buffered: 2, dropped: 2 });
    await publisher.close();
  });

  it('keeps options.buffer for what the environment does not set, and the other options', async () => {
    const client = new FakePublishClient();
    const publisher = EventPublisher.fromEnv(client, { [INTERVAL]: '1' }, { buffer: { maxQueuedEvents: 2 } });
    client.down();
    for (let n = 1; n <= 4; n++) await publisher.publish('signals.generated', signal(n));
    expect(publisher.stats()).toMatchObject({ buffered: 2, dropped: 2 });
    await publisher.close();
  });

  it('throws the ConfigError naming a bad variable, before touching the client', () => {
    const client = new FakePublishClient();
    const on = vi.spyOn(client, 'on');
    const error = configError(() => EventPublisher.fromEnv(client, { [INTERVAL]: 'soon' }));
    expect(error.context).toEqual({ variable: INTERVAL });
    expect(on).not.toHaveBeenCalled();
  });
});

describe('buffer.replayIntervalMs caps the replay retry while the client stays ready', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const timeout = (): RedisTimeoutError => new RedisTimeoutError('PUBLISH timed out');

  /** The gaps between replay attempts while `failures` timeouts happen, then the buffer drains. */
  async function retryGaps(publisher: EventPublisher, client: FakePublishClient, failures: number): Promise<number[]> {
    const attemptsAt: number[] = [];
    const publish = client.publish.bind(client);
    client.publish = (channel, message) => {
      attemptsAt.push(Date.now());
      return publish(channel, message);
    };
    client.failWith.push(...Array.from({ length: failures }, timeout));
    expect(await publisher.publish('signals.generated', signal(1))).toBeNull();
    for (let i = 0; i < failures; i++) await vi.advanceTimersToNextTimerAsync();
    expect(publisher.stats()).toMatchObject({ buffered: 0, replayed: 1 });
    await publisher.close();
    return attemptsAt.slice(1).map((at, i) => at - (attemptsAt[i] ?? 0));
  }

  it('from REDIS_FALLBACK_REPLAY_INTERVAL_SECONDS: backs off from 100 ms up to the interval', async () => {
    const client = new FakePublishClient();
    const gaps = await retryGaps(EventPublisher.fromEnv(client, { [INTERVAL]: '1' }), client, 10);
    expect(gaps).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000, 1000]);
  });

  it('defaults to 5000 ms, upstream 5 s', async () => {
    const client = new FakePublishClient();
    const gaps = await retryGaps(new EventPublisher(client, { buffer: true }), client, 9);
    expect(PUBLISH_RETRY.maxDelayMs).toBe(5000);
    expect(gaps.at(-1)).toBe(5000);
    expect(Math.max(...gaps)).toBe(5000);
  });

  it('an interval below 100 ms is the delay of every retry', async () => {
    const client = new FakePublishClient();
    const gaps = await retryGaps(new EventPublisher(client, { buffer: { replayIntervalMs: 40 } }), client, 4);
    expect(gaps).toEqual([40, 40, 40, 40]);
  });

  it.each([0, -1, 1.5, Number.NaN, 2_147_483_648])('refuses replayIntervalMs %s with a ConfigError naming the option', (replayIntervalMs) => {
    const error = configError(() => new EventPublisher(new FakePublishClient(), { buffer: { replayIntervalMs } }));
    expect(error.message).toMatch(/^Option buffer\.replayIntervalMs must be an integer from 1 to 2147483647/);
    expect(error.context).toEqual({ option: 'buffer.replayIntervalMs' });
  });
});
