import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisTimeoutError } from '../../../src/internal/errors.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { PUBLISH_RETRY } from '../../../src/events/publisher.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { signal } from '../../harness/events/helpers.js';

const timeout = (): RedisTimeoutError => new RedisTimeoutError('PUBLISH timed out');

describe('EventPublisher retries a buffer left behind while the client stays ready', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('replays after a timeout with no later traffic and no ready event, backing off between failed replays', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    const attemptsAt: number[] = [];
    const publish = client.publish.bind(client);
    client.publish = (channel, message) => {
      attemptsAt.push(Date.now());
      return publish(channel, message);
    };
    client.failWith.push(timeout(), timeout(), timeout());
    expect(await publisher.publish('signals.generated', signal(1))).toBeNull();
    expect(publisher.stats().buffered).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    for (let i = 0; i < 3; i++) await vi.advanceTimersToNextTimerAsync();
    expect(publisher.stats()).toMatchObject({ buffered: 0, replayed: 1, failed: 3 });
    expect(client.signalNumbers()).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
    const gaps = attemptsAt.slice(1).map((at, i) => at - (attemptsAt[i] ?? 0));
    expect(gaps).toEqual([PUBLISH_RETRY.baseDelayMs, PUBLISH_RETRY.baseDelayMs * 2, PUBLISH_RETRY.baseDelayMs * 4]);
    await publisher.close();
  });

  it('caps the backoff', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    client.failWith.push(...Array.from({ length: 20 }, timeout));
    await publisher.publish('signals.generated', signal(1));
    let last = Date.now();
    const gaps: number[] = [];
    for (let i = 0; i < 19; i++) {
      await vi.advanceTimersToNextTimerAsync();
      gaps.push(Date.now() - last);
      last = Date.now();
    }
    expect(Math.max(...gaps)).toBe(PUBLISH_RETRY.maxDelayMs);
    expect(gaps.at(-1)).toBe(PUBLISH_RETRY.maxDelayMs);
    await vi.advanceTimersToNextTimerAsync();
    expect(publisher.stats().buffered).toBe(0);
    await publisher.close();
  });

  it('schedules nothing while the client is not ready (its ready event replays), and close clears a pending retry', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    client.down();
    await publisher.publish('signals.generated', signal(1));
    expect(vi.getTimerCount()).toBe(0);
    client.isReady = true;
    client.failWith.push(timeout());
    expect(await publisher.flush()).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
    await publisher.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
