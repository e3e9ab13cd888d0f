import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../src/events/channels.js';
import { DEAD_LETTER_FIELDS } from '../../../src/index.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { DeliveryLog, appendAll, connectClient, isolatedStream, orderEvent, printCounts, track } from '../../harness/streams/helpers.js';

describe('EventStream dead letters', () => {
  const redis = useRedisServer({ appendonly: true, appendfsync: 'always' });

  it('a poison event is dead-lettered after maxDeliveries and the consumer keeps going; invalid entries go straight to the DLQ', { timeout: 60_000 }, async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const key = stream.streamKey(CHANNELS.ORDERS);
    const dlq = stream.deadLetterKey(CHANNELS.ORDERS);
    const events = Array.from({ length: 50 }, (_, i) => orderEvent(i));
    const poison = events[17];
    const poisonAttempts: number[] = [];
    const log = new DeliveryLog();
    const errors: unknown[] = [];

    const before = await appendAll(stream, events.slice(0, 25), 1);
    const garbageId = await client.streams.add(key, { foo: 'bar' });
    const badJsonId = await client.streams.add(key, { event: '{"event_type":"orders.executed","num_orders":-1}' });
    const consumer = track(
      stream.consume({
        channels: [CHANNELS.ORDERS],
        group: 'g',
        consumer: 'c1',
        blockMs: 50,
        claimIdleMs: 100,
        maxDeliveries: 3,
        maxBatchEntries: 10,
        onError: (e) => errors.push(e),
        handler: (d) => {
          if (d.eventId === poison?.eventId) {
            poisonAttempts.push(d.deliveryCount);
            throw new Error('poison pill');
          }
          log.record(d);
        },
      }),
    );
    const after = await appendAll(stream, events.slice(25), 1);
    await waitFor(() => log.counts.size === 49 && consumer.stats().deadLettered === 3, { timeoutMs: 30_000, description: '49 handled and 3 dead-lettered' });
    await waitFor(async () => (await client.streams.pending(key, 'g')).length === 0, { description: 'nothing pending' });

    expect(poisonAttempts).toEqual([1, 2, 3]);
    const dead = await client.streams.range(dlq, '-', '+', 10);
    const byOriginal = new Map(dead.map((e) => [e.fields[DEAD_LETTER_FIELDS.ORIGINAL_ID], e.fields]));
    expect(byOriginal.size).toBe(3);
    const poisonId = before[17];
    expect(byOriginal.get(poisonId ?? '')).toMatchObject({
      channel: CHANNELS.ORDERS,
      group: 'g',
      consumer: 'c1',
      error: 'Error: poison pill',
      deliveries: '3',
      payload: poison?.toWire(),
    });
    expect(byOriginal.get(garbageId)).toMatchObject({ deliveries: '1', payload: '{"foo":"bar"}' });
    expect(byOriginal.get(garbageId)?.['error']).toMatch(/^ValidationError: .*event/);
    expect(byOriginal.get(badJsonId)?.['error']).toMatch(/^ValidationError: .*num_orders/);
    // The consumer's own count of XACKs follows the server's state once their replies are in.
    await waitFor(() => consumer.stats().acked === 52, { description: 'consumer counted 52 acks' });
    expect(consumer.stats()).toEqual({ processed: 49, acked: 52, retried: 2, deadLettered: 3, pending: 0 });
    expect(errors).toEqual([]);
    // The consumer kept going past the poison: every later entry was handled.
    expect(after.every((id) => log.streamIds.has(id))).toBe(true);
    const all = [...before, garbageId, badJsonId, ...after];
    const lost = all.filter((id) => !log.streamIds.has(id) && !byOriginal.has(id)).length;
    printCounts('dead-letter', { appended: all.length, processed: log.order.length, duplicates: log.duplicates().length, lost });
    expect(lost).toBe(0);
  });
});
