import { readdirSync, readFileSync } from 'node:fs';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisClient } from '../../../src/index.js';
import type { AnyEvent } from '../../../src/events/channels.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { PositionEvent } from '../../../src/events/position-event.js';
import { PriceUpdateEvent } from '../../../src/events/price-update-event.js';
import { SignalEvent } from '../../../src/events/signal-event.js';
import { EventSubscriber } from '../../../src/events/subscriber.js';
import type { InvalidMessage } from '../../../src/events/subscriber-types.js';
import { waitFor } from '../../harness/index.js';
import { expectNoUnhandledRejections } from '../../harness/client/unhandled.js';

expectNoUnhandledRejections();

const VALID_DIR = new URL('../../fixtures/wire/events/valid/', import.meta.url);
/** Fields the Python side may add that the SDK does not know and drops. */
const UNKNOWN_FIELDS = new Set(['producer']);

function signal(n: number): SignalEvent {
  return new SignalEvent({ strategyId: 'integration', symbols: ['AAPL'], numSignals: n, asOfDate: '2025-01-17' });
}

describe('event bus against a real redis-server', () => {
  let client: RedisClient;
  let subscriber: EventSubscriber;
  let publisher: EventPublisher;
  // A plain node-redis client standing in for the Python services.
  const python = createClient({ url: inject('redisUrl') });

  beforeAll(async () => {
    client = await RedisClient.connect({ url: inject('redisUrl') });
    subscriber = new EventSubscriber(client);
    publisher = new EventPublisher(client);
    await python.connect();
  });

  afterAll(async () => {
    await subscriber.close();
    await publisher.close();
    await client.close();
    python.destroy();
  });

  it('publish resolves 1 with one subscriber and 0 with none', async () => {
    const event = new PositionEvent({ symbol: 'AAPL', action: 'fill', qtyChange: 1, newQty: 1, price: '1', strategyId: 's' });
    expect(await publisher.publish('positions.updated', event)).toBe(0);
    const got: AnyEvent[] = [];
    const off = await subscriber.on('positions.updated', (e) => void got.push(e));
    expect(await publisher.publish('positions.updated', event)).toBe(1);
    await waitFor(() => got.length === 1);
    expect(got[0]?.toWire()).toBe(event.toWire());
    await off();
    expect(await publisher.publish('positions.updated', event)).toBe(0);
  });

  it('every valid wire fixture published raw by a plain client reaches a typed handler with its fields intact', async () => {
    const files = readdirSync(VALID_DIR).sort();
    expect(files.length).toBeGreaterThanOrEqual(10);
    const received: Array<{ channel: string; event: AnyEvent }> = [];
    const offs = await Promise.all([
      ...(['signals.generated', 'orders.executed', 'positions.updated'] as const).map((channel) =>
        subscriber.on(channel, (event) => void received.push({ channel, event })),
      ),
      // Price updates travel on one channel per symbol.
      subscriber.onPattern(PriceUpdateEvent.pattern, (event, meta) => void received.push({ channel: meta.channel, event })),
    ]);
    const sent: Array<{ channel: string; wire: Record<string, unknown> }> = [];
    for (const file of files) {
      const raw = readFileSync(new URL(file, VALID_DIR), 'utf8').trim();
      const wire = JSON.parse(raw) as Record<string, unknown>;
      const channel = wire['event_type'] === 'price.updated' ? PriceUpdateEvent.channelFor(String(wire['symbol'])) : String(wire['event_type']);
      expect(await python.publish(channel, raw)).toBe(1);
      sent.push({ channel, wire });
    }
    await waitFor(() => received.length === files.length, { description: 'every fixture delivered' });
    const classOf = (channel: string): string =>
      ({ 'signals.generated': 'SignalEvent', 'orders.executed': 'OrderEvent', 'positions.updated': 'PositionEvent' })[channel] ?? 'PriceUpdateEvent';
    received.forEach(({ channel, event }, i) => {
      const expected = sent[i];
      expect(channel).toBe(expected?.channel);
      expect(event.constructor.name).toBe(classOf(channel));
      expect(event.conforms).toBe(true);
      const known = Object.fromEntries(Object.entries(expected?.wire ?? {}).filter(([k]) => !UNKNOWN_FIELDS.has(k)));
      expect(event.toJSON()).toEqual(known);
    });
    for (const off of offs) await off();
  });

  it('raw garbage on a channel reaches onInvalid and valid events after it are still delivered', async () => {
    const invalid: InvalidMessage[] = [];
    const stopInvalid = subscriber.onInvalid((m) => invalid.push(m));
    const got: number[] = [];
    const off = await subscriber.on('signals.generated', (e) => void got.push(e.numSignals));
    await python.publish('signals.generated', '\u0000garbage');
    await python.publish('signals.generated', readFileSync(new URL('../../fixtures/wire/events/invalid/signal-naive-timestamp.json', import.meta.url), 'utf8'));
    expect(await publisher.publish('signals.generated', signal(11))).toBe(1);
    await waitFor(() => got.length === 1);
    expect(got).toEqual([11]);
    expect(invalid.map((m) => m.raw.slice(0, 8))).toEqual(['\u0000garbage', '{"event_']);
    expect(invalid[1]?.issues.map((i) => i.path)).toEqual(['timestamp']);
    stopInvalid();
    await off();
  });

  it('onPattern receives events published by the SDK with their channel', async () => {
    const seen: string[] = [];
    const off = await subscriber.onPattern('signals.*', (e, meta) => void seen.push(`${meta.channel}:${e.constructor.name}`));
    expect(await publisher.publish('signals.generated', signal(1))).toBe(1);
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(['signals.generated:SignalEvent']);
    await off();
  });
});
