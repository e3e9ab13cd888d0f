import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { CHANNELS } from '../../../src/events/channels.js';
import type { Channel } from '../../../src/events/channels.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { parseEvent, parseEventForChannel } from '../../../src/events/parse.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { thrownBy } from '../../harness/events/thrown.js';

const order = new OrderEvent({
  runId: '550e8400-e29b-41d4-a716-446655440000', strategyId: 's', numOrders: 1, numAccepted: 1, numRejected: 0,
});
const signal = new SignalEvent({ strategyId: 's', symbols: ['A'], numSignals: 1, asOfDate: '2025-01-17' });
const position = new PositionEvent({ symbol: 'A', action: 'buy', qtyChange: 1, newQty: 1, price: '1.5', strategyId: 's' });

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  return [...thrownBy(fn, ValidationError).issues];
}

describe('parseEvent', () => {
  it('returns the class named by event_type', () => {
    expect(parseEvent(signal.toWire())).toBeInstanceOf(SignalEvent);
    expect(parseEvent(order.toWire())).toBeInstanceOf(OrderEvent);
    expect(parseEvent(position.toJSON())).toBeInstanceOf(PositionEvent);
    expect(parseEvent(new TextEncoder().encode(position.toWire())).toWire()).toBe(position.toWire());
  });

  it('rejects an unknown, missing or prototype-named event_type', () => {
    for (const eventType of ['trades.settled', 'constructor', '__proto__', 42]) {
      const issues = issuesOf(() => parseEvent({ ...signal.toJSON(), event_type: eventType }));
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe('event_type');
      expect(issues[0]?.message).toContain('signals.generated');
    }
    const { event_type: _removed, ...missing } = signal.toJSON();
    expect(issuesOf(() => parseEvent(missing))[0]?.message).toMatch(/missing/);
  });

  it('rejects JSON that is not an object', () => {
    for (const text of ['42', 'null', '[]', '"signals.generated"']) {
      const issues = issuesOf(() => parseEvent(text));
      expect(issues).toEqual([{ path: '', message: 'expected a JSON object' }]);
    }
  });

  it('rejects text that is not JSON', () => {
    expect(issuesOf(() => parseEvent('{"event_type":'))[0]?.message).toMatch(/^not valid JSON/);
  });
});

describe('parseEventForChannel', () => {
  it('parses an event of the channel into its class', () => {
    const parsed: OrderEvent = parseEventForChannel(CHANNELS.ORDERS, order.toWire());
    expect(parsed.toWire()).toBe(order.toWire());
    expect(parseEventForChannel(CHANNELS.SIGNALS, signal.toWire())).toBeInstanceOf(SignalEvent);
    expect(parseEventForChannel(CHANNELS.POSITIONS, position.toWire())).toBeInstanceOf(PositionEvent);
  });

  it('dispatches by channel: an event_type of another channel is kept and reported, as the Python model takes any string', () => {
    const foreign = parseEventForChannel(CHANNELS.ORDERS, { ...order.toJSON(), event_type: CHANNELS.SIGNALS });
    expect(foreign).toBeInstanceOf(OrderEvent);
    expect(foreign.eventType).toBe(CHANNELS.ORDERS);
    expect(foreign.toJSON().event_type).toBe(CHANNELS.SIGNALS);
    expect(foreign.conforms).toBe(false);
    expect(foreign.nonconforming.map((i) => i.path)).toEqual(['event_type']);
  });

  it('rejects a message of another kind on a channel: the model of the channel misses its fields', () => {
    const paths = issuesOf(() => parseEventForChannel(CHANNELS.SIGNALS, order.toWire())).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['symbols', 'num_signals', 'as_of_date']));
    expect(paths).not.toContain('event_type');
  });

  it('rejects an unknown channel', () => {
    const issues = issuesOf(() => parseEventForChannel('constructor' as Channel, order.toWire()));
    expect(issues[0]?.message).toMatch(/must be one of/);
  });
});
