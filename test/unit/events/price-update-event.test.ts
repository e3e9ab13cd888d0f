import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { parseEvent, parseEventForChannel } from '../../../src/events/parse.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import type { PriceUpdateEventInit } from '../../../src/events/schemas.js';
import { thrownBy } from '../../harness/events/thrown.js';
import { listEventFixtures, readEventFixture } from '../../harness/events/wire-fixtures.js';

/** Every price vector of events/valid/ and the fields it must read as (camelCase). */
const VECTORS: Record<string, Record<string, unknown>> = {
  'price-updated.minimal.json': {
    eventType: 'price.updated',
    timestamp: '2025-01-17T14:30:16+00:00',
    eventId: undefined,
    symbol: 'MSFT',
    price: '410.5',
    bid: null,
    ask: null,
    bidPrice: null,
    askPrice: null,
    bidSize: null,
    askSize: null,
    exchange: null,
    volume: null,
  },
  'price-updated.pydantic.json': {
    eventType: 'price.updated',
    timestamp: '2025-01-17T14:30:15.123456+00:00',
    eventId: undefined,
    symbol: 'AAPL',
    price: '150.25',
    bid: '150.24',
    ask: '150.26',
    bidPrice: '150.24',
    askPrice: '150.26',
    bidSize: 300,
    askSize: 200,
    exchange: 'V',
    volume: null,
  },
};

describe('price vectors of events/valid/', () => {
  it('covers every price-updated.* file', () => {
    expect(Object.keys(VECTORS).sort()).toEqual(listEventFixtures('valid').filter((file) => file.startsWith('price-updated.')));
  });

  for (const [file, fields] of Object.entries(VECTORS)) {
    describe(file, () => {
      const text = readEventFixture(`valid/${file}`).trim();
      const channel = PriceUpdateEvent.channelFor(String(fields['symbol']));

      it('parses on its symbol channel, by event_type and from bytes, with every field intact and conforming', () => {
        for (const event of [parseEventForChannel(channel, text), parseEvent(text), PriceUpdateEvent.fromJSON(new TextEncoder().encode(text), channel)]) {
          expect(event).toBeInstanceOf(PriceUpdateEvent);
          expect({ ...event }).toEqual(fields);
          expect(event.channel).toBe(channel);
          expect(event.conforms).toBe(true);
        }
      });

      it('writes back the exact bytes model_dump_json wrote', () => {
        expect(parseEventForChannel(channel, text).toWire()).toBe(text);
      });

      it('is built the same by the constructor, in the same key order, plus the SDK event_id', () => {
        const init = Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'eventType' && key !== 'eventId')) as PriceUpdateEventInit;
        const event = new PriceUpdateEvent(init);
        const { event_id: eventId, ...wire } = event.toJSON();
        expect(JSON.stringify(wire)).toBe(text);
        expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('read on another symbol channel, says so', () => {
        const event = parseEventForChannel('price.updated.OTHER', text);
        expect(event.nonconforming).toEqual([
          { path: 'symbol', message: `belongs on ${JSON.stringify(channel)}, not on the channel it arrived on, "price.updated.OTHER"` },
        ]);
        expect(event.channel).toBe(channel);
        expect(event.toWire()).toBe(text);
      });
    });
  }
});

describe('PriceUpdateEvent', () => {
  it('fills the quote fields with null, the timestamp with now and an event id', () => {
    const event = new PriceUpdateEvent({ symbol: 'BRK.B', price: '412.10', bidSize: 3 });
    expect(event.channel).toBe('price.updated.BRK.B');
    expect(event.eventType).toBe('price.updated');
    expect([event.bid, event.ask, event.bidPrice, event.askPrice, event.askSize, event.exchange, event.volume]).toEqual(Array(7).fill(null));
    expect(event.bidSize).toBe(3);
    expect(Math.abs(event.date.getTime() - Date.now())).toBeLessThan(5000);
    expect(Object.keys(event.toJSON())).toEqual([
      'event_type',
      'symbol',
      'price',
      'timestamp',
      'bid',
      'ask',
      'bid_price',
      'ask_price',
      'bid_size',
      'ask_size',
      'exchange',
      'volume',
      'event_id',
    ]);
  });

  it('names its channel family', () => {
    expect(PriceUpdateEvent.channelPrefix).toBe('price.updated.');
    expect(PriceUpdateEvent.pattern).toBe('price.updated.*');
    expect(PriceUpdateEvent.channelFor('AAPL')).toBe('price.updated.AAPL');
  });

  const refused: Array<[string, Partial<Record<keyof PriceUpdateEventInit, unknown>>, string]> = [
    ['a negative price', { price: '-1' }, 'price'],
    ['a price given as a number', { price: 150.25 }, 'price'],
    ['a price that is no decimal', { price: 'abc' }, 'price'],
    ['a negative bid', { bid: '-0.01' }, 'bid'],
    ['a negative size', { askSize: -1 }, 'ask_size'],
    ['a fractional volume', { volume: 1.5 }, 'volume'],
    ['an empty symbol', { symbol: '' }, 'symbol'],
    ['a symbol with a glob character', { symbol: 'AA*' }, 'symbol'],
    ['a naive timestamp', { timestamp: '2025-01-17T14:30:15' }, 'timestamp'],
    ['another event type', { eventType: 'signals.generated' }, 'event_type'],
  ];
  for (const [what, change, path] of refused) {
    it(`refuses ${what} (naming ${path})`, () => {
      const init = { symbol: 'AAPL', price: '150.25', ...change } as PriceUpdateEventInit;
      const error = thrownBy(() => new PriceUpdateEvent(init), ValidationError);
      expect(error.issues.map((issue) => issue.path)).toEqual([path]);
    });
  }

  it('accepts a zero and a negative-zero price, and null quote fields given explicitly', () => {
    expect(new PriceUpdateEvent({ symbol: 'A', price: '0' }).price).toBe('0');
    expect(new PriceUpdateEvent({ symbol: 'A', price: '-0.00' }).price).toBe('-0.00');
    expect(new PriceUpdateEvent({ symbol: 'A', price: '1', bid: null, volume: null }).bid).toBeNull();
  });

  it('reads a timestamp Python wrote as any string; date is then invalid', () => {
    const event = PriceUpdateEvent.fromJSON({ symbol: 'AAPL', price: '1', timestamp: 'whenever' });
    expect(event.timestamp).toBe('whenever');
    expect(event.nonconforming.map((issue) => issue.path)).toEqual(['timestamp']);
    expect(Number.isNaN(event.date.getTime())).toBe(true);
  });
});
