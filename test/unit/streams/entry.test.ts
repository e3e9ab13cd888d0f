import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_FIELDS, ENTRY_FIELDS, ValidationError } from '../../../src/index.js';
import { parseEventForChannel } from '../../../src/events/parse.js';
import { CHANNELS } from '../../../src/events/channels.js';
import type { AnyEvent } from '../../../src/events/channels.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { compareIds } from '../../../src/streams/claimer.js';
import { EVENT_KINDS, REGISTRY } from '../../../src/events/registry.js';
import { deadLetterFields } from '../../../src/streams/dead-letter.js';
import { deadLetterKeyFor, decodeEntry, encodeEntry, rawPayload, streamKeyFor } from '../../../src/streams/entry.js';

const RUN_ID = '7b0c2f4e-3c1d-4a5b-9e8f-112233445566';
const signal = new SignalEvent({ strategyId: 'alpha', symbols: ['AAPL', 'MSFT'], numSignals: 2, asOfDate: '2025-01-17' });
const order = new OrderEvent({ runId: RUN_ID, strategyId: 'alpha', numOrders: 3, numAccepted: 2, numRejected: 1 });
const position = new PositionEvent({ symbol: 'AAPL', action: 'fill', qtyChange: -5, newQty: 10, price: '150.25', strategyId: 'alpha' });

describe('stream entry encoding', () => {
  it.each([signal, order, position])('stores the wire JSON plus event_type and event_id, and decodes it back (%s)', (event) => {
    const fields = encodeEntry(event);
    expect(fields).toEqual({ event: event.toWire(), event_type: event.channel, event_id: event.eventId });
    const decoded = decodeEntry(event.channel, fields);
    expect(decoded).toBeInstanceOf(event.constructor);
    expect(decoded.toWire()).toBe(event.toWire());
  });

  it('omits event_id for an event that has none (as from a Python producer)', () => {
    const { event_id: _dropped, ...wire } = order.toJSON();
    const fields = encodeEntry(OrderEvent.fromJSON(wire));
    expect(Object.keys(fields).sort()).toEqual(['event', 'event_type']);
  });

  it('refuses plain objects, null and other values with ValidationError', () => {
    for (const bad of [{ ...order.toJSON() }, null, undefined, 42, order.toWire()]) {
      expect(() => encodeEntry(bad as unknown as AnyEvent)).toThrow(ValidationError);
      expect(() => encodeEntry(bad as unknown as AnyEvent)).toThrow(/instance of one of SignalEvent, OrderEvent, PositionEvent/);
      expect(REGISTRY.byInstance(bad)).toBeUndefined();
    }
    expect(REGISTRY.byInstance(position)).toBe(EVENT_KINDS.POSITIONS);
  });

  it('rejects entries without an event field, with invalid JSON, or of another kind than the one of the channel', () => {
    const missing = (): unknown => decodeEntry(CHANNELS.ORDERS, { foo: 'bar' });
    expect(missing).toThrow(ValidationError);
    expect(missing).toThrow(/event/);
    expect(() => decodeEntry(CHANNELS.ORDERS, { event: '{not json' })).toThrow(ValidationError);
    // Read as the order model reads it: a signal has none of its fields.
    expect(() => decodeEntry(CHANNELS.ORDERS, encodeEntry(signal))).toThrow(/run_id/);
  });

  it('keeps the raw payload: the event field, or every field as JSON', () => {
    expect(rawPayload(encodeEntry(order))).toBe(order.toWire());
    expect(rawPayload({ a: '1', b: 'x' })).toBe('{"a":"1","b":"x"}');
  });
});

describe('stream key naming', () => {
  it('puts the prefix before the channel, and dlq: before the channel for dead letters', () => {
    expect(streamKeyFor('stream:', CHANNELS.SIGNALS)).toBe('stream:signals.generated');
    expect(deadLetterKeyFor('stream:', CHANNELS.POSITIONS)).toBe('stream:dlq:positions.updated');
    expect(streamKeyFor('', CHANNELS.ORDERS)).toBe('orders.executed');
  });
});

describe('dead-letter records', () => {
  it('carries the original id, channel, group, consumer, error, deliveries, payload and time', () => {
    const fields = deadLetterFields(
      { originalId: '1-0', channel: CHANNELS.ORDERS, group: 'g', consumer: 'c', error: new TypeError('boom'), deliveries: 5, fields: encodeEntry(order) },
      new Date('2025-01-17T10:00:00.000Z'),
    );
    expect(fields).toEqual({
      original_id: '1-0',
      channel: 'orders.executed',
      group: 'g',
      consumer: 'c',
      error: 'TypeError: boom',
      deliveries: '5',
      payload: order.toWire(),
      failed_at: '2025-01-17T10:00:00.000Z',
    });
    expect(Object.keys(fields).sort()).toEqual(Object.values(DEAD_LETTER_FIELDS).sort());
  });

  it('keeps a payload that re-drives as documented: the event field of a new entry', () => {
    const letter = deadLetterFields({ originalId: '1-0', channel: CHANNELS.ORDERS, group: 'g', consumer: 'c', error: 'x', deliveries: 1, fields: encodeEntry(order) });
    const payload = letter[DEAD_LETTER_FIELDS.PAYLOAD] ?? '';
    expect(decodeEntry(CHANNELS.ORDERS, { [ENTRY_FIELDS.EVENT]: payload }).toWire()).toBe(order.toWire());
    expect(parseEventForChannel(CHANNELS.ORDERS, payload).eventId).toBe(order.eventId);
  });
});

describe('stream id ordering', () => {
  it('compares the millisecond part, then the sequence, numerically', () => {
    expect(['10-0', '9-5', '9-10', '100-0', '9-9'].sort(compareIds)).toEqual(['9-5', '9-9', '9-10', '10-0', '100-0']);
    expect(compareIds('1700000000000-1', '1700000000000-1')).toBe(0);
  });
});
