import { describe, expectTypeOf, it } from 'vitest';
import type { ChannelOfKind, EventKind, EventOfKind, InitOfKind } from '../../../src/events/event-kind.js';
import type { OrderEvent } from '../../../src/events/order-event.js';
import type { EVENT_KINDS } from '../../../src/events/registry.js';
import type { OrderEventInit } from '../../../src/events/schemas.js';

class QuoteStub {
  static fromJSON(): QuoteStub {
    return new QuoteStub();
  }
}

describe('types read off a registry row', () => {
  it('give the channel, class and init of a one-channel kind', () => {
    expectTypeOf<ChannelOfKind<typeof EVENT_KINDS.ORDERS>>().toEqualTypeOf<'orders.executed'>();
    expectTypeOf<EventOfKind<typeof EVENT_KINDS.ORDERS>>().toEqualTypeOf<OrderEvent>();
    expectTypeOf<InitOfKind<typeof EVENT_KINDS.ORDERS>>().toEqualTypeOf<OrderEventInit>();
  });

  it('give every channel of a family as a template literal', () => {
    type Quotes = EventKind<QuoteStub, object, { readonly prefix: 'price.updated.' }>;
    expectTypeOf<ChannelOfKind<Quotes>>().toEqualTypeOf<`price.updated.${string}`>();
    expectTypeOf<'price.updated.AAPL'>().toMatchTypeOf<ChannelOfKind<Quotes>>();
    expectTypeOf<EventOfKind<Quotes>>().toEqualTypeOf<QuoteStub>();
  });
});
