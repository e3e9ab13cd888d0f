import { describe, expect, it, vi } from 'vitest';
import { EventPublisher, HIGH_FREQUENCY_CHANNEL_PREFIXES } from '../../../src/events/publisher.js';
import { isHighFrequencyChannel } from '../../../src/events/publisher-types.js';
import type { AnyEvent, Channel } from '../../../src/events/channels.js';
import { silentLogger } from '../../../src/internal/logger.js';
import { recordingLogger } from '../../harness/cache/context.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { order, position, signal } from '../../harness/events/helpers.js';
import type * as EventInput from '../../../src/events/event-input.js';

// The price event class is not this file's subject: on the high-frequency channel families the
// channel check lets a stand-in through, so the log level is tested on its own.
vi.mock('../../../src/events/event-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof EventInput>();
  return {
    ...actual,
    assertEventForChannel: (channel: string, event: unknown) =>
      channel.startsWith('price.updated.') || channel.startsWith('level2.') ? event : actual.assertEventForChannel(channel as Channel, event),
  };
});

/** A stand-in event for a high-frequency channel: what the publisher reads of an event. */
function hfEvent(eventType: string): AnyEvent {
  return { eventType, toWire: () => `{"event_type":"${eventType}"}` } as unknown as AnyEvent;
}

/** Answers every PUBLISH with `receivers`. */
class CountingClient extends FakePublishClient {
  constructor(readonly receivers: number) {
    super();
  }
  override publish(channel: string, message: string): Promise<number> {
    return super.publish(channel, message).then(() => this.receivers);
  }
}

describe('EventPublisher logs each publish as upstream EventPublisher.publish does', () => {
  it('at info on the three business channels, with the upstream text and the receiver count', async () => {
    const log = recordingLogger();
    const publisher = new EventPublisher(new CountingClient(3), { logger: log });
    await publisher.publish('signals.generated', signal(1));
    await publisher.publishOrderEvent(order());
    await publisher.publishPositionEvent(position());
    expect(log.records).toEqual([
      { level: 'info', fields: { channel: 'signals.generated', eventType: 'signals.generated', subscribers: 3 }, msg: "Published signals.generated to 'signals.generated' (3 subscribers)" },
      { level: 'info', fields: { channel: 'orders.executed', eventType: 'orders.executed', subscribers: 3 }, msg: "Published orders.executed to 'orders.executed' (3 subscribers)" },
      { level: 'info', fields: { channel: 'positions.updated', eventType: 'positions.updated', subscribers: 3 }, msg: "Published positions.updated to 'positions.updated' (3 subscribers)" },
    ]);
  });

  it('at debug on price.updated.* and level2.*, naming the event type, not the channel', async () => {
    const log = recordingLogger();
    const publisher = new EventPublisher(new CountingClient(0), { logger: log });
    await publisher.publish('price.updated.AAPL' as Channel, hfEvent('price.updated') as never);
    await publisher.publish('level2.MSFT' as Channel, hfEvent('level2.update') as never);
    expect(log.records).toEqual([
      { level: 'debug', fields: { channel: 'price.updated.AAPL', eventType: 'price.updated', subscribers: 0 }, msg: "Published price.updated to 'price.updated.AAPL' (0 subscribers)" },
      { level: 'debug', fields: { channel: 'level2.MSFT', eventType: 'level2.update', subscribers: 0 }, msg: "Published level2.update to 'level2.MSFT' (0 subscribers)" },
    ]);
  });

  it('logs nothing for a publish that failed or was queued behind the buffer; a replay logs one summary', async () => {
    const log = recordingLogger();
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { logger: log, buffer: true });
    client.down();
    expect(await publisher.publish('signals.generated', signal(1))).toBeNull();
    expect(await publisher.publish('signals.generated', signal(2))).toBeNull();
    expect(log.records.filter((r) => r.msg.startsWith('Published'))).toEqual([]);
    client.up();
    await vi.waitFor(() => expect(publisher.stats().buffered).toBe(0));
    expect(log.records.filter((r) => r.msg.startsWith('Published'))).toEqual([]);
    expect(log.records.filter((r) => r.msg === 'replayed buffered events')).toHaveLength(1);
    await publisher.publish('signals.generated', signal(3));
    expect(log.records.at(-1)).toMatchObject({ level: 'info', msg: "Published signals.generated to 'signals.generated' (1 subscribers)" });
    await publisher.close();
  });

  it('publishes as before with the silent logger (given or defaulted)', async () => {
    const client = new FakePublishClient();
    for (const publisher of [new EventPublisher(client), new EventPublisher(client, { logger: silentLogger })]) {
      expect(await publisher.publish('signals.generated', signal(1))).toBe(1);
      expect(await publisher.publish('price.updated.AAPL' as Channel, hfEvent('price.updated') as never)).toBe(1);
    }
    expect(client.sent).toHaveLength(4);
  });
});

describe('HIGH_FREQUENCY_CHANNEL_PREFIXES', () => {
  it('are upstream\'s, frozen', () => {
    expect(HIGH_FREQUENCY_CHANNEL_PREFIXES).toEqual(['price.updated.', 'level2.']);
    expect(Object.isFrozen(HIGH_FREQUENCY_CHANNEL_PREFIXES)).toBe(true);
  });

  it.each([
    ['price.updated.AAPL', true],
    ['price.updated.', true],
    ['level2.AAPL', true],
    ['price.updated', false],
    ['level2', false],
    ['xprice.updated.AAPL', false],
    ['signals.generated', false],
    ['orders.executed', false],
    ['positions.updated', false],
  ] as const)('%s -> %s (str.startswith, as upstream)', (channel, expected) => {
    expect(isHighFrequencyChannel(channel)).toBe(expected);
  });
});
