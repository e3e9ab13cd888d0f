import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../../../src/index.js';
import { CHANNELS } from '../../../src/events/channels.js';
import type { AnyEvent } from '../../../src/events/channels.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { DeliveryLog, appendAll, connectClient, isolatedStream, orderEvent, track } from '../../harness/streams/helpers.js';

describe('EventStream append validation and consumer life cycle', () => {
  const redis = useRedisServer({ appendonly: true, appendfsync: 'always' });

  async function connections(): Promise<number> {
    const list = await redis.server.command('CLIENT', 'LIST');
    return String(list).trim().split('\n').length;
  }

  it('append refuses anything but an event instance with ValidationError, sending nothing', async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const key = stream.streamKey(CHANNELS.ORDERS);
    const plain = { ...orderEvent(1).toJSON(), channel: CHANNELS.ORDERS } as unknown as AnyEvent;
    for (const bad of [plain, null as unknown as AnyEvent, 'x' as unknown as AnyEvent]) {
      await expect(stream.append(bad)).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await client.streams.length(key)).toBe(0);
    const id = await stream.append(orderEvent(2));
    const [entry] = await client.streams.range(key, '-', '+', 10);
    expect(entry?.id).toBe(id);
  });

  it('consume with bad options throws ConfigError before any group is created', async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const base = { channels: [CHANNELS.ORDERS], group: 'g', consumer: 'c', handler: () => undefined };
    expect(() => stream.consume({ ...base, maxBatchEntries: 0 })).toThrow('Option maxBatchEntries must be an integer from 1 to 10000, got 0');
    expect(() => stream.consume({ ...base, batchSize: 0 })).toThrow('Option batchSize must be an integer from 1 to 10000, got 0');
    expect(() => stream.consume({ ...base, channels: [] })).toThrow(ConfigError);
    expect(await client.command(['EXISTS', stream.streamKey(CHANNELS.ORDERS)])).toBe(0);
  });

  it('stop() cuts a long blocked read short and closes the reader connection', async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const idle = await connections();
    const consumer = track(stream.consume({ channels: [CHANNELS.ORDERS], group: 'g', consumer: 'c', blockMs: 600_000, claimIdleMs: 600_000, handler: () => undefined }));
    await consumer.ready();
    await waitFor(async () => (await connections()) === idle + 1, { description: 'reader connected' });
    // Without the cut this would wait ten minutes; the test's own timeout would fail first.
    await consumer.stop();
    await waitFor(async () => (await connections()) === idle, { description: 'reader connection closed' });
    // The group was created with MKSTREAM on a missing stream.
    expect(await client.streams.length(stream.streamKey(CHANNELS.ORDERS))).toBe(0);
  });

  it('stop() during a batch lets it finish, handles the batch read ahead, and acknowledges both', async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const key = stream.streamKey(CHANNELS.ORDERS);
    await appendAll(stream, Array.from({ length: 35 }, (_, i) => orderEvent(i)));
    const log = new DeliveryLog();
    let openGate: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let entered: (() => void) | undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const consumer = track(
      stream.consume({
        channels: [CHANNELS.ORDERS],
        group: 'g',
        consumer: 'c',
        maxBatchEntries: 10,
        handler: async (d) => {
          if (log.order.length === 3) {
            entered?.();
            await gate;
          }
          log.record(d);
        },
      }),
    );
    await inHandler;
    // The first batch was full, so the second was read ahead (delivered to this consumer) meanwhile.
    await waitFor(async () => (await client.streams.pending(key, 'g', { consumer: 'c' })).length === 20, {
      description: 'two batches delivered',
    });
    const stopped = consumer.stop();
    openGate?.();
    await stopped;
    expect(log.order.length).toBe(20);
    expect(consumer.stats()).toEqual({ processed: 20, acked: 20, retried: 0, deadLettered: 0, pending: 0 });
    expect(await client.streams.pending(key, 'g')).toEqual([]);
    // The next consumer of the group starts after the acknowledged batches.
    const next = new DeliveryLog();
    track(stream.consume({ channels: [CHANNELS.ORDERS], group: 'g', consumer: 'c2', blockMs: 50, handler: (d) => next.record(d) }));
    await waitFor(() => next.order.length === 15, { description: 'the other 15 entries' });
    expect(next.order.every((d) => !log.streamIds.has(d.streamId))).toBe(true);
  });

  it('re-creates a group destroyed under a running consumer and carries on', async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const key = stream.streamKey(CHANNELS.ORDERS);
    const log = new DeliveryLog();
    const stages: string[] = [];
    const consumer = track(
      stream.consume({
        channels: [CHANNELS.ORDERS],
        group: 'g',
        consumer: 'c',
        blockMs: 50,
        handler: (d) => log.record(d),
        onError: (error, stage) => stages.push(`${stage}:${error instanceof Error ? error.message : String(error)}`),
      }),
    );
    await consumer.ready();
    const first = await stream.append(orderEvent(1));
    await waitFor(() => log.streamIds.has(first), { description: 'first event handled' });
    expect(await client.command(['XGROUP', 'DESTROY', key, 'g'])).toBe(1);
    await waitFor(() => stages.some((s) => s.includes('NOGROUP')), { description: 'a NOGROUP error reported' });
    const second = await stream.append(orderEvent(2));
    await waitFor(() => log.streamIds.has(second), { description: 'second event handled after the group came back' });
    // The group came back at '0', so the first event was delivered again: at-least-once.
    expect(log.counts.get(log.order[0]?.eventId ?? '')).toBe(2);
  });

  it('never claims its own read-ahead batch back while a slow batch holds it up', async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const key = stream.streamKey(CHANNELS.ORDERS);
    await appendAll(stream, Array.from({ length: 10 }, (_, i) => orderEvent(i)), 1);
    const log = new DeliveryLog();
    let slowed = false;
    track(
      stream.consume({
        channels: [CHANNELS.ORDERS],
        group: 'g',
        consumer: 'c',
        maxBatchEntries: 5,
        blockMs: 50,
        claimIdleMs: 50,
        handler: async (d) => {
          if (!slowed) {
            slowed = true;
            // Hold the first batch until the batch read ahead has been idle past claimIdleMs.
            await waitFor(
              async () => {
                const pending = await client.streams.pending(key, 'g', { consumer: 'c' });
                return pending.length === 10 && pending.slice(5).every((p) => p.idleMs >= 200);
              },
              { description: 'the read-ahead batch idle past claimIdleMs' },
            );
          }
          log.record(d);
        },
      }),
    );
    await waitFor(() => log.counts.size === 10, { description: 'all 10 handled' });
    await waitFor(async () => (await client.streams.pending(key, 'g')).length === 0, { description: 'nothing pending' });
    expect(log.duplicates()).toEqual([]);
    expect(log.order.map((d) => d.deliveryCount)).toEqual(new Array<number>(10).fill(1));
  });
});
