import { describe, expect, it } from 'vitest';
import { RedisClosedError, RedisUnavailableError, ValidationError } from '../../../src/internal/errors.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { signal } from '../../harness/events/helpers.js';

/** A client whose `publish` throws synchronously instead of returning a rejected promise. */
class ThrowingClient extends FakePublishClient {
  override publish(channel: string, message: string): Promise<number> {
    if (!this.isReady) {
      this.attempts += 1;
      throw new RedisUnavailableError('PUBLISH refused: thrown synchronously');
    }
    return super.publish(channel, message);
  }
}

describe('EventPublisher.publish hot path', () => {
  it('refuses by rejecting, never by throwing synchronously, and sends nothing', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client);
    let wrongClass: Promise<number | null> | undefined;
    let wrongChannel: Promise<number | null> | undefined;
    expect(() => {
      wrongClass = publisher.publish('orders.executed', signal(1) as never);
      wrongChannel = publisher.publish('nope' as never, signal(1) as never);
    }).not.toThrow();
    await expect(wrongClass).rejects.toBeInstanceOf(ValidationError);
    await expect(wrongChannel).rejects.toBeInstanceOf(ValidationError);
    await publisher.close();
    let closed: Promise<number | null> | undefined;
    expect(() => {
      closed = publisher.publish('signals.generated', signal(2));
    }).not.toThrow();
    await expect(closed).rejects.toBeInstanceOf(RedisClosedError);
    expect(client.attempts).toBe(0);
    expect(publisher.stats()).toMatchObject({ published: 0, failed: 0 });
  });

  it('resolves each receiver count and counts every publish when many are in flight', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => publisher.publish('signals.generated', signal(i))));
    expect(results).toEqual(Array.from({ length: 50 }, () => 1));
    expect(client.signalNumbers()).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(publisher.stats()).toMatchObject({ published: 50, failed: 0, buffered: 0 });
  });

  it('treats a client that throws synchronously like a failed publish: null, counted, buffered', async () => {
    const client = new ThrowingClient();
    const publisher = new EventPublisher(client, { buffer: { maxQueuedEvents: 10 } });
    client.down();
    await expect(publisher.publish('signals.generated', signal(7))).resolves.toBeNull();
    expect(publisher.stats()).toMatchObject({ published: 0, failed: 1, buffered: 1 });
    client.up();
    await expect(publisher.flush()).resolves.toBe(1);
    expect(client.signalNumbers()).toEqual([7]);
    await publisher.close();
  });

  it('fails over to null without a buffer and keeps nothing', async () => {
    const client = new ThrowingClient();
    const publisher = new EventPublisher(client);
    client.down();
    await expect(publisher.publish('signals.generated', signal(3))).resolves.toBeNull();
    client.up();
    await expect(publisher.publish('signals.generated', signal(4))).resolves.toBe(1);
    expect(client.signalNumbers()).toEqual([4]);
    expect(publisher.stats()).toMatchObject({ published: 1, failed: 1, buffered: 0 });
  });
});
