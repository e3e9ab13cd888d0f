import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { AnyEvent, Channel, EventOf, EventOfPattern } from '../../../src/events/channels.js';
import { CHANNELS } from '../../../src/events/channels.js';
import type { OrderEvent } from '../../../src/events/order-event.js';
import { parseEvent, parseEventForChannel } from '../../../src/events/parse.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import type {
  OrderEventInit,
  PositionAction,
  PositionEventSchema,
  PositionEventWire,
  PriceUpdateEventInit,
  SignalEventInit,
  SignalEventSchema,
  SignalEventWire,
} from '../../../src/events/schemas.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import type { EventSubscriber } from '../../../src/events/subscriber.js';
import type * as SubscriberTypes from '../../../src/events/subscriber-types.js';
import type { PUBLISH_BUFFER_DEFAULTS, PublishBufferOptions } from '../../../src/events/publish-buffer.js';

describe('inferred wire types', () => {
  it('come from the schemas, snake_case, event_id optional', () => {
    expectTypeOf<SignalEventWire>().toEqualTypeOf<v.InferOutput<typeof SignalEventSchema>>();
    expectTypeOf<SignalEventWire>().toEqualTypeOf<{
      event_type: 'signals.generated';
      timestamp: string;
      strategy_id: string;
      symbols: string[];
      num_signals: number;
      as_of_date: string;
      event_id?: string;
    }>();
    expectTypeOf<PositionEventWire['action']>().toEqualTypeOf<'buy' | 'sell' | 'fill' | 'partial_fill'>();
    expectTypeOf<v.InferOutput<typeof PositionEventSchema>['price']>().toEqualTypeOf<string>();
  });
});

describe('init types', () => {
  it('are camelCase, with optional envelope fields', () => {
    expectTypeOf<SignalEventInit>().toEqualTypeOf<{
      strategyId: string;
      symbols: readonly string[];
      numSignals: number;
      asOfDate: string;
      eventType?: 'signals.generated' | undefined;
      timestamp?: string | Date | undefined;
      eventId?: string | undefined;
    }>();
    expectTypeOf<OrderEventInit>().toHaveProperty('runId').toEqualTypeOf<string>();
    expectTypeOf<OrderEventInit>().not.toHaveProperty('run_id');
  });
});

describe('price updates', () => {
  it('take the quote fields as optional, nullable camelCase inits and expose them typed', () => {
    expectTypeOf<PriceUpdateEventInit>().toEqualTypeOf<{
      symbol: string;
      price: string;
      bid?: string | null | undefined;
      ask?: string | null | undefined;
      bidPrice?: string | null | undefined;
      askPrice?: string | null | undefined;
      bidSize?: number | null | undefined;
      askSize?: number | null | undefined;
      exchange?: string | null | undefined;
      volume?: number | null | undefined;
      eventType?: 'price.updated' | undefined;
      timestamp?: string | Date | undefined;
      eventId?: string | undefined;
    }>();
    expectTypeOf<PriceUpdateEvent['channel']>().toEqualTypeOf<`price.updated.${string}`>();
    expectTypeOf<PriceUpdateEvent['eventType']>().toEqualTypeOf<'price.updated'>();
    expectTypeOf<PriceUpdateEvent['bidSize']>().toEqualTypeOf<number | null>();
    expectTypeOf(PriceUpdateEvent.pattern).toEqualTypeOf<'price.updated.*'>();
    expectTypeOf(PriceUpdateEvent.fromJSON).returns.toEqualTypeOf<PriceUpdateEvent>();
    // @ts-expect-error price is a decimal string, never a number
    expectTypeOf<PriceUpdateEventInit>().toMatchTypeOf<{ price: number }>();
  });
});

describe('event classes', () => {
  it('expose readonly camelCase properties with precise types', () => {
    expectTypeOf<SignalEvent['eventType']>().toEqualTypeOf<'signals.generated'>();
    expectTypeOf<SignalEvent['symbols']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<SignalEvent['numSignals']>().toEqualTypeOf<number>();
    expectTypeOf<SignalEvent['eventId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SignalEvent['date']>().toEqualTypeOf<Date>();
    expectTypeOf<OrderEvent['runId']>().toEqualTypeOf<string>();
    expectTypeOf<PositionEvent['action']>().toEqualTypeOf<PositionAction>();
    expectTypeOf<PositionEvent['price']>().toEqualTypeOf<string>();
    expectTypeOf(SignalEvent.channel).toEqualTypeOf<'signals.generated'>();
    expectTypeOf<OrderEvent['channel']>().toEqualTypeOf<'orders.executed'>();
    expectTypeOf<PositionEvent['toJSON']>().returns.toEqualTypeOf<Readonly<PositionEventWire>>();
    expectTypeOf<SignalEvent['toWire']>().returns.toEqualTypeOf<string>();
    expectTypeOf(SignalEvent.fromJSON).returns.toEqualTypeOf<SignalEvent>();
  });

  it('reject wrongly typed inits at compile time', () => {
    // @ts-expect-error numSignals must be a number
    expectTypeOf<SignalEventInit>().toMatchTypeOf<{ numSignals: string }>();
    const position = (): PositionEvent =>
      // @ts-expect-error 'short' is not a PositionAction
      new PositionEvent({ symbol: 'A', action: 'short', qtyChange: 1, newQty: 1, price: '1', strategyId: 's' });
    expectTypeOf(position).returns.toEqualTypeOf<PositionEvent>();
  });
});

describe('channels', () => {
  it('map each channel to its event class', () => {
    expectTypeOf<Channel>().toEqualTypeOf<'signals.generated' | 'orders.executed' | 'positions.updated' | `price.updated.${string}`>();
    expectTypeOf<EventOf<'signals.generated'>>().toEqualTypeOf<SignalEvent>();
    expectTypeOf<EventOf<typeof CHANNELS.ORDERS>>().toEqualTypeOf<OrderEvent>();
    expectTypeOf<EventOf<'positions.updated'>>().toEqualTypeOf<PositionEvent>();
    expectTypeOf<EventOf<'price.updated.AAPL'>>().toEqualTypeOf<PriceUpdateEvent>();
    expectTypeOf<AnyEvent>().toEqualTypeOf<SignalEvent | OrderEvent | PositionEvent | PriceUpdateEvent>();
    expectTypeOf<EventOfPattern<'price.updated.*'>>().toEqualTypeOf<PriceUpdateEvent>();
    expectTypeOf<EventOfPattern<'orders.*'>>().toEqualTypeOf<AnyEvent>();
    expectTypeOf(parseEventForChannel(PriceUpdateEvent.channelFor('AAPL'), '')).toEqualTypeOf<PriceUpdateEvent>();
    // @ts-expect-error a misspelt family prefix is no channel
    parseEventForChannel('price.update.AAPL', '');
    expectTypeOf(parseEvent).returns.toEqualTypeOf<AnyEvent>();
    expectTypeOf(parseEventForChannel(CHANNELS.ORDERS, '')).toEqualTypeOf<OrderEvent>();
    // @ts-expect-error not a channel
    parseEventForChannel('trades.settled', '');
  });
});

describe('subscriber stream options', () => {
  it('are SubscriberStreamOptions (the streams module owns the name EventStreamOptions)', () => {
    expectTypeOf<Parameters<EventSubscriber['stream']>[1]>().toEqualTypeOf<SubscriberTypes.SubscriberStreamOptions | undefined>();
    expectTypeOf<SubscriberTypes.SubscriberStreamOptions>().toEqualTypeOf<{ maxQueuedEvents?: number; maxQueue?: number }>();
    expectTypeOf<SubscriberTypes.EventSubscriberOptions>().toHaveProperty('maxQueuedEvents').toEqualTypeOf<number | undefined>();
    expectTypeOf<SubscriberTypes.EventSubscriberOptions>().toHaveProperty('queueSize').toEqualTypeOf<number | undefined>();
    expectTypeOf<(typeof SubscriberTypes.SUBSCRIBER_DEFAULTS)['maxQueuedEvents']>().toEqualTypeOf<1000>();
    expectTypeOf<(typeof SubscriberTypes.SUBSCRIBER_DEFAULTS)['queueSize']>().toEqualTypeOf<1000>();
    // @ts-expect-error the old name is gone
    expectTypeOf<SubscriberTypes.EventStreamOptions>().toBeObject();
  });
});

describe('publish buffer options', () => {
  it('bound the buffer with maxQueuedEvents, with maxSize kept as a deprecated alias of the option and of the default', () => {
    expectTypeOf<PublishBufferOptions>().toEqualTypeOf<{ maxQueuedEvents?: number; maxSize?: number; persistPath?: string; replayIntervalMs?: number }>();
    expectTypeOf<(typeof PUBLISH_BUFFER_DEFAULTS)['maxQueuedEvents']>().toEqualTypeOf<1000>();
    expectTypeOf<(typeof PUBLISH_BUFFER_DEFAULTS)['maxSize']>().toEqualTypeOf<1000>();
  });
});
