import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../../../src/index.js';
import { ALL_CHANNELS, CHANNELS } from '../../../src/events/channels.js';
import { compareIds } from '../../../src/streams/claimer.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { DeliveryLog, appendAll, connectClient, indexOf, isolatedStream, mixedEvent, orderEvent, printCounts, track } from '../../harness/streams/helpers.js';

describe('EventStream groups and replay', () => {
  const redis = useRedisServer({ appendonly: true, appendfsync: 'always' });

  it('two consumer groups each receive every event of every channel, typed by channel', { timeout: 60_000 }, async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const events = Array.from({ length: 3000 }, (_, i) => mixedEvent(i));
    const logs = { a: new DeliveryLog(), b: new DeliveryLog() };
    const mismatched: string[] = [];
    for (const group of ['a', 'b'] as const) {
      track(
        stream.consume({
          channels: [...ALL_CHANNELS],
          group,
          consumer: `${group}-1`,
          blockMs: 100,
          handler: (d) => {
            if (d.event.channel !== d.channel) mismatched.push(d.streamId);
            logs[group].record(d);
          },
        }),
      );
    }
    await appendAll(stream, events);
    for (const group of ['a', 'b'] as const) {
      const log = logs[group];
      await waitFor(() => log.counts.size === events.length, { timeoutMs: 30_000, description: `group ${group} got everything` });
      const lost = events.filter((e) => !log.counts.has(e.eventId ?? '')).length;
      printCounts(`group ${group}`, { appended: events.length, processed: log.order.length, duplicates: log.duplicates().length, lost });
      expect(lost).toBe(0);
      expect(log.duplicates()).toEqual([]);
      // Within a stream, deliveries follow stream order.
      for (const channel of ALL_CHANNELS) {
        const streamIds = log.order.filter((d) => d.channel === channel).map((d) => d.streamId);
        expect(streamIds.length).toBe(1000);
        expect(streamIds).toEqual([...streamIds].sort(compareIds));
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('replay returns events in order, bounded by from, to and maxEvents (or its deprecated alias count, which must agree when both are given), across pages', { timeout: 60_000 }, async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const events = Array.from({ length: 1234 }, (_, i) => orderEvent(i));
    const ids = await appendAll(stream, events);
    // Stream order of the indexes (appends ran concurrently).
    const ordered = ids.map((id, i) => ({ id, i })).sort((x, y) => compareIds(x.id, y.id));
    const at = (n: number): string => ordered[n]?.id ?? '';
    const key = stream.streamKey(CHANNELS.ORDERS);
    await client.streams.add(key, { junk: '1' });

    const collect = async (options: Parameters<typeof stream.replay<'orders.executed'>>[0]): Promise<number[]> => {
      const out: number[] = [];
      for await (const event of stream.replay(options)) {
        expect(event).toBeInstanceOf(OrderEvent);
        out.push(indexOf(event));
      }
      return out;
    };
    const range = (from: number, to: number): number[] => ordered.slice(from, to).map((o) => o.i);
    expect(await collect({ channel: CHANNELS.ORDERS })).toEqual(range(0, 1234));
    expect(await collect({ channel: CHANNELS.ORDERS, from: at(100), to: at(700) })).toEqual(range(100, 701));
    expect(await collect({ channel: CHANNELS.ORDERS, from: at(10), maxEvents: 600 })).toEqual(range(10, 610));
    expect(await collect({ channel: CHANNELS.ORDERS, maxEvents: 0 })).toEqual([]);
    expect(await collect({ channel: CHANNELS.ORDERS, from: at(10), count: 600 })).toEqual(range(10, 610));
    expect(await collect({ channel: CHANNELS.ORDERS, from: at(10), maxEvents: 3, count: 3 })).toEqual(range(10, 13));
    // maxEvents and count with different values: refused before anything is read.
    const disagree = (): unknown => stream.replay({ channel: CHANNELS.ORDERS, from: at(10), maxEvents: 3, count: 600 });
    expect(disagree).toThrow(ConfigError);
    expect(disagree).toThrow('maxEvents (3) and its deprecated alias count (600) disagree: give maxEvents only');
    const signals: unknown[] = [];
    for await (const event of stream.replay({ channel: CHANNELS.SIGNALS })) signals.push(event);
    expect(signals).toEqual([]);
    const strict = stream.replay({ channel: CHANNELS.ORDERS, from: at(1233), onInvalid: 'throw' });
    expect((await strict.next()).value).toBeInstanceOf(OrderEvent);
    await expect(strict.next()).rejects.toBeInstanceOf(ValidationError);
  });
});
