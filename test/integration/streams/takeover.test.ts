import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../src/events/channels.js';
import type { Delivery } from '../../../src/index.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { DeliveryLog, appendAll, connectClient, isolatedStream, orderEvent, printCounts, track } from '../../harness/streams/helpers.js';

const TOTAL = 10_000;
const HANG_AT = 4_321;

describe('EventStream consumer takeover', () => {
  const redis = useRedisServer({ appendonly: true, appendfsync: 'always' });

  it('a second consumer takes over from one stuck mid-batch: everything processed, duplicates only from the stuck batch', { timeout: 120_000 }, async () => {
    const client = await connectClient(redis.url);
    const stream = isolatedStream(client);
    const key = stream.streamKey(CHANNELS.ORDERS);
    const events = Array.from({ length: TOTAL }, (_, i) => orderEvent(i));
    await appendAll(stream, events);

    const log = new DeliveryLog();
    let abandoned = false;
    let releaseHang: ((error: Error) => void) | undefined;
    let hangStarted: (() => void) | undefined;
    const hung = new Promise<void>((resolve) => (hangStarted = resolve));
    const first = track(
      stream.consume({
        channels: [CHANNELS.ORDERS],
        group: 'g',
        consumer: 'first',
        blockMs: 100,
        handler: async (delivery: Delivery<'orders.executed'>) => {
          if (abandoned) throw new Error('abandoned consumer');
          if (delivery.event.strategyId === `s-${HANG_AT}`) {
            hangStarted?.();
            // A handler that never settles: the crash of this consumer, as far as Redis can tell.
            await new Promise<void>((_, reject) => (releaseHang = reject));
          }
          log.record(delivery);
        },
      }),
    );
    await hung;
    // What the stuck consumer holds: its batch in progress, handled in part but never
    // acknowledged, and the next batch it read ahead (a backlog keeps batches full).
    const inFlight = await waitFor(
      async () => {
        const pending = await client.streams.pending(key, 'g', { consumer: 'first', count: 1000 });
        return pending.length === 200 ? pending : undefined;
      },
      { description: 'the batch in progress and the one read ahead pending' },
    );
    const inFlightIds = new Set(inFlight.map((p) => p.id));

    const second = track(
      stream.consume({ channels: [CHANNELS.ORDERS], group: 'g', consumer: 'second', blockMs: 100, claimIdleMs: 300, handler: (d) => log.record(d) }),
    );
    await waitFor(() => log.counts.size === TOTAL, { timeoutMs: 60_000, description: 'every event processed' });
    await waitFor(async () => (await client.streams.pending(key, 'g')).length === 0, { description: 'nothing pending' });

    abandoned = true;
    releaseHang?.(new Error('released at the end of the test'));
    await first.stop();
    await second.stop();

    const duplicates = log.duplicates();
    const byEventId = new Map(log.order.map((d) => [d.eventId, d.streamId]));
    const lost = events.filter((e) => !log.counts.has(e.eventId ?? '')).length;
    printCounts('takeover', { appended: TOTAL, processed: log.order.length, duplicates: duplicates.length, lost });
    expect(lost).toBe(0);
    for (const id of duplicates) expect(inFlightIds.has(byEventId.get(id) ?? '')).toBe(true);
    // The takeover re-delivered the stuck batch with its delivery counter raised.
    const claimed = log.order.filter((d) => inFlightIds.has(d.streamId) && d.deliveryCount > 1);
    expect(claimed.length).toBe(inFlightIds.size);
    expect(second.stats()).toMatchObject({ pending: 0, deadLettered: 0 });
    expect(first.stats().processed + second.stats().processed).toBe(log.order.length);
  });
});
