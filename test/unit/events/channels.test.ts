import { describe, expect, it } from 'vitest';
import { RedisClient } from '../../../src/client/redis-client.js';
import { ValidationError } from '../../../src/internal/errors.js';
import { ALL_CHANNELS, CHANNELS, isChannel, kindOfChannel } from '../../../src/events/channels.js';
import type { Channel } from '../../../src/events/channels.js';
import { parseEventForChannel } from '../../../src/events/parse.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { EVENT_KINDS } from '../../../src/events/registry.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import { EventStream } from '../../../src/streams/event-stream.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { signal } from '../../harness/events/helpers.js';
import { thrownBy } from '../../harness/events/thrown.js';

const validationError = (fn: () => unknown): ValidationError => thrownBy(fn, ValidationError);

const UNKNOWN = 'Invalid channel: must be one of "signals.generated", "orders.executed", "positions.updated", "price.updated.*"; got "orders"';

describe('CHANNELS', () => {
  it('names the three platform channels, read from the registry', () => {
    expect(CHANNELS).toEqual({ SIGNALS: 'signals.generated', ORDERS: 'orders.executed', POSITIONS: 'positions.updated' });
    expect(ALL_CHANNELS).toEqual(['signals.generated', 'orders.executed', 'positions.updated']);
    expect(Object.isFrozen(CHANNELS)).toBe(true);
  });

  it('isChannel accepts channel names only, never prototype keys', () => {
    for (const c of ALL_CHANNELS) expect(isChannel(c)).toBe(true);
    for (const x of ['constructor', '__proto__', 'toString', 'signals', '', 1, null]) expect(isChannel(x)).toBe(false);
  });

  it('kindOfChannel finds the registry row of a channel', () => {
    expect(kindOfChannel(CHANNELS.ORDERS)).toBe(EVENT_KINDS.ORDERS);
  });
});

describe('an unknown channel', () => {
  const orders = 'orders' as Channel;

  it('is one ValidationError with one message, whoever checks it', async () => {
    const client = new RedisClient();
    const stream = new EventStream(client);
    const publisher = new EventPublisher(new FakePublishClient());
    const subscriber = new EventSubscriber(client);
    const caught: unknown[] = [
      validationError(() => kindOfChannel(orders)),
      validationError(() => parseEventForChannel(orders, signal(1).toWire())),
      validationError(() => stream.streamKey(orders)),
      validationError(() => stream.deadLetterKey(orders)),
      validationError(() => stream.replay({ channel: orders })),
      validationError(() => stream.consume({ channels: [orders], group: 'g', consumer: 'c', handler: () => undefined })),
      await publisher.publish(orders, signal(1) as never).catch((error: unknown) => error),
      await subscriber.on(orders, () => undefined).catch((error: unknown) => error),
    ];
    for (const error of caught) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toBe(UNKNOWN);
      expect((error as ValidationError).issues).toEqual([{ path: '', message: UNKNOWN.slice('Invalid channel: '.length) }]);
    }
    await publisher.close();
    await subscriber.close();
  });

  it('says what it got when it is not a string', () => {
    expect(validationError(() => kindOfChannel(undefined)).message).toMatch(/; it is missing$/);
    expect(validationError(() => kindOfChannel(7)).message).toMatch(/; got number$/);
  });
});
