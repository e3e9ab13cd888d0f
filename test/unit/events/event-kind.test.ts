import { describe, expect, it } from 'vitest';
import { OrderEventSchema } from '../../../src/events/schemas.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { eventKind, indexKinds } from '../../../src/events/event-kind.js';
import type { EventKind } from '../../../src/events/event-kind.js';

/** A stand-in class for rows the platform does not have yet: only its identity matters here. */
class QuoteStub {
  static fromJSON(): QuoteStub {
    return new QuoteStub();
  }
}

const orders = eventKind(OrderEventSchema, OrderEvent);
const quotes: EventKind<QuoteStub, object, { readonly prefix: 'price.updated.' }> = {
  name: 'QuoteStub',
  eventType: 'price.updated',
  channels: { prefix: 'price.updated.' },
  schema: OrderEventSchema,
  event: QuoteStub,
};

describe('eventKind', () => {
  it('reads the event type from the schema literal; the one channel is named like it', () => {
    expect(orders).toMatchObject({ name: 'OrderEvent', eventType: 'orders.executed', channels: { channel: 'orders.executed' } });
    expect(orders.event).toBe(OrderEvent);
    expect(orders.schema).toBe(OrderEventSchema);
    expect(Object.isFrozen(orders)).toBe(true);
  });
});

describe('indexKinds', () => {
  const index = indexKinds<EventKind<unknown, never>>([orders, quotes]);

  it('finds a one-channel kind by its channel and a family kind by any channel of the family', () => {
    expect(index.byChannel('orders.executed')).toBe(orders);
    expect(index.byChannel('price.updated.AAPL')).toBe(quotes);
    expect(index.byChannel('price.updated.')).toBeUndefined();
    expect(index.byChannel('price.updated')).toBeUndefined();
    expect(index.byChannel('orders.executed.AAPL')).toBeUndefined();
  });

  it('finds kinds by wire event_type, which a family does not share with its channels', () => {
    expect(index.byEventType('orders.executed')).toBe(orders);
    expect(index.byEventType('price.updated')).toBe(quotes);
    expect(index.byEventType('price.updated.AAPL')).toBeUndefined();
  });

  it('finds kinds by instance only', () => {
    expect(index.byInstance(new QuoteStub())).toBe(quotes);
    expect(index.byInstance({ event_type: 'orders.executed' })).toBeUndefined();
    expect(index.byInstance('orders.executed')).toBeUndefined();
  });

  it('never answers for Object.prototype members or non-strings', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 1, null, undefined]) {
      expect(index.byChannel(key)).toBeUndefined();
      expect(index.byEventType(key)).toBeUndefined();
    }
  });

  it('lists channels (a family as its pattern) and event types for messages', () => {
    expect(index.channelList).toBe('"orders.executed", "price.updated.*"');
    expect(index.eventTypeList).toBe('"orders.executed", "price.updated"');
  });

  it('refuses a table where two kinds share a channel or an event type', () => {
    expect(() => indexKinds([orders, orders])).toThrow(/OrderEvent reuses/);
    expect(() => indexKinds([quotes, { ...quotes, name: 'Other', eventType: 'other' }])).toThrow(/Other reuses/);
  });
});
