import { describe, expect, it } from 'vitest';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import { EVENT_KINDS, REGISTRY } from '../../../src/events/registry.js';
import { OrderEventSchema, PositionEventSchema, PriceUpdateEventSchema, SignalEventSchema } from '../../../src/events/schemas.js';
import { SignalEvent } from '../../../src/events/signal-event.js';

describe('the event registry', () => {
  it('maps each channel to its wire schema and class', () => {
    expect(Object.keys(EVENT_KINDS)).toEqual(['SIGNALS', 'ORDERS', 'POSITIONS', 'PRICES']);
    expect(EVENT_KINDS.SIGNALS).toMatchObject({ eventType: 'signals.generated', schema: SignalEventSchema, event: SignalEvent });
    expect(EVENT_KINDS.ORDERS).toMatchObject({ eventType: 'orders.executed', schema: OrderEventSchema, event: OrderEvent });
    expect(EVENT_KINDS.POSITIONS).toMatchObject({ eventType: 'positions.updated', schema: PositionEventSchema, event: PositionEvent });
    expect(EVENT_KINDS.PRICES).toMatchObject({ eventType: 'price.updated', schema: PriceUpdateEventSchema, event: PriceUpdateEvent });
  });

  it('puts price updates on the family price.updated.{symbol}, one row, found by channel, pattern and instance', () => {
    expect(EVENT_KINDS.PRICES.channels).toEqual({ prefix: 'price.updated.' });
    expect(REGISTRY.byChannel('price.updated.AAPL')).toBe(EVENT_KINDS.PRICES);
    expect(REGISTRY.byChannel(PriceUpdateEvent.channelFor('BRK.B'))).toBe(EVENT_KINDS.PRICES);
    // The family needs a suffix; the event type alone is no channel.
    expect(REGISTRY.byChannel('price.updated.')).toBeUndefined();
    expect(REGISTRY.byChannel('price.updated')).toBeUndefined();
    expect(REGISTRY.byEventType('price.updated')).toBe(EVENT_KINDS.PRICES);
    expect(REGISTRY.byFamilyPattern(PriceUpdateEvent.pattern)).toBe(EVENT_KINDS.PRICES);
    expect(REGISTRY.byFamilyPattern('price.*')).toBeUndefined();
    expect(REGISTRY.byFamilyPattern('signals.generated')).toBeUndefined();
    expect(REGISTRY.byInstance(new PriceUpdateEvent({ symbol: 'AAPL', price: '1' }))).toBe(EVENT_KINDS.PRICES);
    expect(REGISTRY.channelList).toBe('"signals.generated", "orders.executed", "positions.updated", "price.updated.*"');
  });

  it("agrees with each class's own channel, and is what the index finds", () => {
    const classChannels = [
      [EVENT_KINDS.SIGNALS, SignalEvent.channel],
      [EVENT_KINDS.ORDERS, OrderEvent.channel],
      [EVENT_KINDS.POSITIONS, PositionEvent.channel],
    ] as const;
    for (const [kind, channel] of classChannels) {
      expect(kind.channels).toEqual({ channel });
      expect(REGISTRY.byChannel(channel)).toBe(kind);
      expect(REGISTRY.byEventType(kind.eventType)).toBe(kind);
    }
    expect(REGISTRY.byInstance(new SignalEvent({ strategyId: 's', symbols: ['A'], numSignals: 1, asOfDate: '2025-01-17' }))).toBe(
      EVENT_KINDS.SIGNALS,
    );
  });
});
