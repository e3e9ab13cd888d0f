import { describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../src/client/redis-client.js';
import { RedisUnavailableError } from '../../../src/index.js';
import { CHANNELS } from '../../../src/events/channels.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { silentLogger } from '../../../src/internal/logger.js';
import type { AddOptions, ConsumerErrorStage, ConsumerStats, Delivery } from '../../../src/index.js';
import { encodeEntry } from '../../../src/streams/entry.js';
import { resolveConsumeOptions } from '../../../src/streams/options.js';
import { BatchProcessor } from '../../../src/streams/processor.js';
import type { BatchItem } from '../../../src/streams/processor.js';

const KEY = 'stream:orders.executed';
const RUN_ID = '7b0c2f4e-3c1d-4a5b-9e8f-112233445566';

function order(i: number, withId = true): OrderEvent {
  const event = new OrderEvent({ runId: RUN_ID, strategyId: `s-${i}`, numOrders: i, numAccepted: i, numRejected: 0 });
  if (withId) return event;
  const { event_id: _dropped, ...wire } = event.toJSON();
  return OrderEvent.fromJSON(wire);
}

/** A processor over a fake client that records dead-letter XADDs (or fails them). */
function setUp(handler: (d: Delivery<'orders.executed'>) => void | Promise<void>, options: { failWrites?: boolean } = {}) {
  const written: Array<{ key: string; fields: Record<string, string>; options: AddOptions | undefined }> = [];
  const errors: Array<{ error: unknown; stage: ConsumerErrorStage }> = [];
  const client = {
    streams: {
      add: (key: string, fields: Record<string, string>, addOptions?: AddOptions) => {
        if (options.failWrites) return Promise.reject(new RedisUnavailableError('down'));
        written.push({ key, fields, options: addOptions });
        return Promise.resolve(`${written.length}-0`);
      },
    },
  } as unknown as RedisClient;
  const stats: ConsumerStats = { processed: 0, acked: 0, retried: 0, deadLettered: 0, pending: 0 };
  const processor = new BatchProcessor<'orders.executed'>({
    client,
    maxEntries: 1000,
    log: silentLogger,
    options: resolveConsumeOptions({ channels: [CHANNELS.ORDERS], group: 'g', consumer: 'c', maxDeliveries: 3, handler }),
    stats,
    deadLetterKey: () => 'stream:dlq:orders.executed',
    reportError: (error, stage) => errors.push({ error, stage }),
  });
  const run = (items: BatchItem[]): Promise<string[]> => processor.process(CHANNELS.ORDERS, KEY, items, () => undefined);
  return { processor, stats, written, errors, run };
}

const item = (id: string, event: OrderEvent, deliveryCount = 1): BatchItem => ({ id, fields: encodeEntry(event), deliveryCount });

describe('BatchProcessor', () => {
  it('hands typed deliveries to the handler in order and returns the ids to acknowledge', async () => {
    const seen: Delivery<'orders.executed'>[] = [];
    const { run, stats } = setUp((d) => void seen.push(d));
    const a = order(1);
    const b = order(2, false);
    expect(await run([item('1-0', a), item('2-0', b, 2)])).toEqual(['1-0', '2-0']);
    expect(seen.map((d) => [d.streamId, d.channel, d.deliveryCount])).toEqual([['1-0', 'orders.executed', 1], ['2-0', 'orders.executed', 2]]);
    expect(seen[0]?.event).toBeInstanceOf(OrderEvent);
    expect(seen[0]?.eventId).toBe(a.eventId);
    // No event_id on the wire: the stream id stands in, stable across redeliveries.
    expect(seen[1]?.eventId).toBe('2-0');
    expect(stats).toMatchObject({ processed: 2, retried: 0, deadLettered: 0 });
  });

  it('leaves a failed entry pending below maxDeliveries and dead-letters it on the last one', async () => {
    const { run, stats, written, processor } = setUp(() => {
      throw new Error('nope');
    });
    const event = order(1);
    expect(await run([item('5-0', event, 2)])).toEqual([]);
    expect(stats.retried).toBe(1);
    expect(processor.failedCount).toBe(1);
    expect(written).toEqual([]);
    expect(await run([item('5-0', event, 3)])).toEqual(['5-0']);
    expect(written).toHaveLength(1);
    // Dead-letter streams are trimmed like the others, to the stream's maxEntries.
    expect(written[0]?.options).toEqual({ maxEntries: 1000 });
    expect(written[0]?.fields).toMatchObject({ original_id: '5-0', deliveries: '3', error: 'Error: nope', payload: event.toWire() });
    expect(stats).toMatchObject({ retried: 1, deadLettered: 1 });
    expect(processor.failedCount).toBe(0);
  });

  it('dead-letters without calling the handler an entry delivered more than maxDeliveries times, or an invalid one', async () => {
    let calls = 0;
    const { run, written } = setUp(() => void (calls += 1));
    const ids = await run([item('7-0', order(1), 4), { id: '8-0', fields: { junk: 'x' }, deliveryCount: 1 }]);
    expect(ids).toEqual(['7-0', '8-0']);
    expect(calls).toBe(0);
    expect(written.map((w) => w.fields['error'])).toEqual([
      'Error: exceeded maxDeliveries (3) without being acknowledged',
      expect.stringMatching(/^ValidationError: /) as string,
    ]);
  });

  it('keeps an entry pending and reports the error when the dead-letter write fails', async () => {
    const { run, stats, errors, processor } = setUp(() => undefined, { failWrites: true });
    expect(await run([{ id: '9-0', fields: { junk: 'x' }, deliveryCount: 1 }])).toEqual([]);
    expect(stats.deadLettered).toBe(0);
    expect(processor.failedCount).toBe(1);
    expect(errors.map((e) => e.stage)).toEqual(['dead-letter']);
    expect(errors[0]?.error).toBeInstanceOf(RedisUnavailableError);
  });
});
