import { describe, expect, it } from 'vitest';
import { RedisCommandError, RedisConnectionError, RedisTimeoutError } from '../../../src/internal/errors.js';
import type { Logger } from '../../../src/internal/logger.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { signal } from '../../harness/events/helpers.js';

function warnings(): Logger & { warned: string[] } {
  const warned: string[] = [];
  const noop = (): void => undefined;
  return { debug: noop, info: noop, warn: (_fields, msg) => warned.push(msg), error: noop, warned };
}

const noperm = (): RedisCommandError => new RedisCommandError("NOPERM User has no permissions to access the 'signals.generated' channel");

describe('EventPublisher: which failures are buffered', () => {
  it('a command error (Redis refused the PUBLISH) resolves null, is counted as rejected and logged, and is not buffered', async () => {
    const client = new FakePublishClient();
    const logger = warnings();
    const publisher = new EventPublisher(client, { buffer: true, logger });
    client.failWith.push(noperm());
    expect(await publisher.publish('signals.generated', signal(1))).toBeNull();
    expect(publisher.stats()).toEqual({ published: 0, failed: 1, rejected: 1, buffered: 0, dropped: 0, replayed: 0, streamFailed: 0 });
    expect(logger.warned).toEqual(['publish rejected by Redis; event dropped']);
    // Nothing blocks the next event: it goes out live.
    expect(await publisher.publish('signals.generated', signal(2))).toBe(1);
    expect(client.signalNumbers()).toEqual([2]);
    await publisher.close();
  });

  it.each([
    ['a connection error', new RedisConnectionError('connection lost')],
    ['a timeout (the PUBLISH may have reached Redis: a replay can duplicate it)', new RedisTimeoutError('PUBLISH timed out')],
    ['a transient error reply (LOADING)', new RedisCommandError('PUBLISH failed: LOADING Redis is loading the dataset in memory')],
  ])('%s is buffered and replayed', async (_name, error) => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    client.failWith.push(error);
    expect(await publisher.publish('signals.generated', signal(1))).toBeNull();
    expect(publisher.stats()).toMatchObject({ failed: 1, rejected: 0, buffered: 1 });
    expect(await publisher.flush()).toBe(1);
    expect(client.signalNumbers()).toEqual([1]);
    await publisher.close();
  });

  it('a replayed entry refused with a command error is dropped and counted, and the replay goes on', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    client.down();
    for (let n = 1; n <= 3; n++) await publisher.publish('signals.generated', signal(n));
    client.isReady = true;
    client.failWith.push(noperm());
    expect(await publisher.flush()).toBe(2);
    expect(client.signalNumbers()).toEqual([2, 3]);
    expect(publisher.stats()).toMatchObject({ failed: 2, rejected: 1, buffered: 0, replayed: 2 });
    await publisher.close();
  });
});
