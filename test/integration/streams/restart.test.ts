import { describe, expect, it } from 'vitest';
import { RedisSdkError } from '../../../src/index.js';
import { CHANNELS } from '../../../src/events/channels.js';
import type { ConsumerErrorStage } from '../../../src/index.js';
import { useRedisServer, waitFor } from '../../harness/index.js';
import { DeliveryLog, connectClient, isolatedStream, orderEvent, printCounts, track } from '../../harness/streams/helpers.js';

const WRITERS = 8;

describe('EventStream across a redis-server SIGKILL and restart', () => {
  const redis = useRedisServer({ appendonly: true, appendfsync: 'always' });

  it('every append that resolved with an id survives the kill and is consumed', { timeout: 120_000 }, async () => {
    const client = await connectClient(redis.url, 1000);
    const stream = isolatedStream(client);
    const key = stream.streamKey(CHANNELS.ORDERS);
    const log = new DeliveryLog();
    const errorStages = new Set<ConsumerErrorStage>();
    const errors: unknown[] = [];
    const consumer = track(
      stream.consume({
        channels: [CHANNELS.ORDERS],
        group: 'g',
        consumer: 'c1',
        blockMs: 200,
        claimIdleMs: 500,
        handler: (d) => log.record(d),
        onError: (error, stage) => {
          errors.push(error);
          errorStages.add(stage);
        },
      }),
    );
    await consumer.ready();

    const resolved: string[] = [];
    const appendErrors: unknown[] = [];
    let rejected = 0;
    let attempts = 0;
    let writing = true;
    const writer = async (): Promise<void> => {
      while (writing) {
        attempts += 1;
        try {
          resolved.push(await stream.append(orderEvent(attempts)));
        } catch (error) {
          appendErrors.push(error);
          rejected += 1;
          // Fail-fast while Redis is down: pause so the loop does not spin.
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);

    await waitFor(() => resolved.length >= 500, { timeoutMs: 30_000, description: '500 appends before the kill' });
    await redis.server.kill();
    await waitFor(() => rejected > 0, { timeoutMs: 30_000, description: 'appends failing while Redis is down' });
    const beforeRestart = resolved.length;
    await redis.server.restart();
    await waitFor(() => resolved.length >= beforeRestart + 500, { timeoutMs: 30_000, description: '500 appends after the restart' });
    writing = false;
    await Promise.all(writers);

    const stored = new Set<string>();
    for await (const id of rangeIds(client, key)) stored.add(id);
    const missing = resolved.filter((id) => !stored.has(id));
    await waitFor(() => resolved.every((id) => log.streamIds.has(id)), { timeoutMs: 30_000, description: 'every resolved append consumed' });
    const lost = resolved.filter((id) => !log.streamIds.has(id)).length;
    // processed may exceed appended: an append whose reply was lost to the kill can still be stored.
    printCounts('kill-restart', { appended: resolved.length, processed: log.order.length, duplicates: log.duplicates().length, lost });
    console.log(`[streams] kill-restart: rejected appends=${rejected}, consumer errors=${errors.length} (${[...errorStages].join(', ')})`);
    expect(appendErrors.every((e) => e instanceof RedisSdkError)).toBe(true);
    expect(missing).toEqual([]);
    expect(lost).toBe(0);
    // The consumer saw Redis go away, reported it, and carried on.
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e instanceof RedisSdkError)).toBe(true);
  });
});

async function* rangeIds(client: Awaited<ReturnType<typeof connectClient>>, key: string): AsyncGenerator<string> {
  let start = '-';
  for (;;) {
    const page = await client.streams.range(key, start, '+', 1000);
    for (const entry of page) yield entry.id;
    const last = page[page.length - 1];
    if (!last) return;
    start = `(${last.id}`;
  }
}
