import { describe, expectTypeOf, it } from 'vitest';
import type { RedisClient } from '../../../src/client/redis-client.js';
import { CHANNELS } from '../../../src/events/channels.js';
import type { OrderEvent } from '../../../src/events/order-event.js';
import type { PositionEvent } from '../../../src/events/position-event.js';
import type { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import type { SignalEvent } from '../../../src/events/signal-event.js';
import type { ConsumeOptions, Consumer, Delivery, EventStream, EventStreamOptions, ReplayOptions, STREAM_DEFAULTS } from '../../../src/index.js';

declare const stream: EventStream;
declare const client: RedisClient;

describe('stream types', () => {
  it('type a delivery by the channels consumed, discriminated by channel', () => {
    const consumer = stream.consume({
      channels: [CHANNELS.ORDERS, CHANNELS.SIGNALS],
      group: 'g',
      consumer: 'c',
      handler: (d) => {
        expectTypeOf(d.event).toEqualTypeOf<OrderEvent | SignalEvent>();
        if (d.channel === CHANNELS.ORDERS) expectTypeOf(d.event).toEqualTypeOf<OrderEvent>();
        else expectTypeOf(d.event).toEqualTypeOf<SignalEvent>();
        expectTypeOf(d.eventId).toEqualTypeOf<string>();
        expectTypeOf(d.deliveryCount).toEqualTypeOf<number>();
      },
    });
    expectTypeOf(consumer).toEqualTypeOf<Consumer<'orders.executed' | 'signals.generated'>>();
    expectTypeOf<Delivery<'positions.updated'>['event']>().toEqualTypeOf<PositionEvent>();
  });

  it('replay yields the channel class; append takes only events', () => {
    expectTypeOf(stream.replay({ channel: CHANNELS.POSITIONS })).toEqualTypeOf<AsyncGenerator<PositionEvent, void, undefined>>();
    expectTypeOf(stream.append).parameter(0).toEqualTypeOf<SignalEvent | OrderEvent | PositionEvent | PriceUpdateEvent>();
    // @ts-expect-error plain objects are not events
    void stream.append({ event_type: 'orders.executed' });
    // @ts-expect-error unknown channel
    stream.consume({ channels: ['orders'], group: 'g', consumer: 'c', handler: () => undefined });
    void client;
  });

  it('name the stream cap maxEntries, with maxLen kept as a deprecated alias of the option and of the default', () => {
    expectTypeOf<EventStreamOptions>().toHaveProperty('maxEntries').toEqualTypeOf<number | undefined>();
    expectTypeOf<EventStreamOptions>().toHaveProperty('maxLen').toEqualTypeOf<number | undefined>();
    expectTypeOf<(typeof STREAM_DEFAULTS)['maxEntries']>().toEqualTypeOf<100_000>();
    expectTypeOf<(typeof STREAM_DEFAULTS)['maxLen']>().toEqualTypeOf<100_000>();
  });

  it('name the replay bound maxEvents, with count kept as a deprecated alias', () => {
    expectTypeOf<ReplayOptions>().toHaveProperty('maxEvents').toEqualTypeOf<number | undefined>();
    expectTypeOf<ReplayOptions>().toHaveProperty('count').toEqualTypeOf<number | undefined>();
  });

  it('name the batch bound maxBatchEntries, with batchSize kept as a deprecated alias of the option and of the default', () => {
    expectTypeOf<ConsumeOptions>().toHaveProperty('maxBatchEntries').toEqualTypeOf<number | undefined>();
    expectTypeOf<ConsumeOptions>().toHaveProperty('batchSize').toEqualTypeOf<number | undefined>();
    expectTypeOf<(typeof STREAM_DEFAULTS)['maxBatchEntries']>().toEqualTypeOf<100>();
    expectTypeOf<(typeof STREAM_DEFAULTS)['batchSize']>().toEqualTypeOf<100>();
  });
});
