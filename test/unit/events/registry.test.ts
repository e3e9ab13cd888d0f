import { describe, expect, it } from 'vitest';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { EVENT_KINDS, REGISTRY } from '../../../src/events/registry.js';
import { OrderEventSchema, PositionEventSchema, SignalEventSchema } from '../../../src/events/schemas.js';
import { SignalEvent } from '../../../src/events/signal-event.js';

describe('the event registry', () => {
  it('maps each channel to its wire schema and class', () => {
    expect(Object.keys(EVENT_KINDS)).toEqual(['SIGNALS', 'ORDERS', 'POSITIONS']);
    expect(EVENT_KINDS.SIGNALS).toMatchObject({ eventType: 'signals.generated', schema: SignalEventSchema, event: SignalEvent });
    expect(EVENT_KINDS.ORDERS).toMatchObject({ eventType: 'orders.executed', schema: OrderEventSchema, event: OrderEvent });
    expect(EVENT_KINDS.POSITIONS).toMatchObject({ eventType: 'positions.updated', schema: PositionEventSchema, event: PositionEvent });
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
