import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../src/events/channels.js';
import type { Logger } from '../../../src/internal/logger.js';
import { EventStream } from '../../../src/streams/event-stream.js';
import type { EventStreamOptions } from '../../../src/streams/options.js';
import { keygen, useRedisServer, waitFor } from '../../harness/index.js';
import { appendAll, connectClient, orderEvent, track } from '../../harness/streams/helpers.js';

/** Records every warn call; the other levels are dropped. */
function warnRecorder(): { logger: Logger; warnings: Array<{ fields: Record<string, unknown>; msg: string }> } {
  const warnings: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const drop = (): void => undefined;
  const logger: Logger = { debug: drop, info: drop, error: drop, warn: (fields, msg) => warnings.push({ fields, msg }) };
  return { logger, warnings };
}

describe('EventStream entries trimmed while pending', () => {
  const redis = useRedisServer();

  it('a claim that finds pending entries trimmed away logs their ids at warn and leaves nothing pending', { timeout: 30_000 }, async () => {
    const client = await connectClient(redis.url);
    const { logger, warnings } = warnRecorder();
    const stream = new EventStream(client, { keyPrefix: `${keygen('trimmed').prefix}:`, logger });
    const key = stream.streamKey(CHANNELS.ORDERS);
    const ids = await appendAll(stream, Array.from({ length: 5 }, (_, i) => orderEvent(i)), 1);
    const deliveries: string[] = [];
    const consumer = track(
      stream.consume({
        channels: [CHANNELS.ORDERS],
        group: 'g',
        consumer: 'c1',
        blockMs: 50,
        claimIdleMs: 200,
        handler: (d) => {
          deliveries.push(d.streamId);
          throw new Error('not yet');
        },
      }),
    );
    await waitFor(() => deliveries.length >= 5, { description: 'five first deliveries' });
    // Exact trim to nothing: what MAXLEN ~ does to unread history after a long outage.
    await client.command(['XTRIM', key, 'MAXLEN', '0']);
    const trimmed = await waitFor(() => warnings.find((w) => w.msg.includes('trimmed')), { description: 'a trimmed-entries warning' });
    await consumer.stop();
    expect(trimmed.fields).toMatchObject({ key });
    expect([...(trimmed.fields['ids'] as string[])].sort()).toEqual([...ids].sort());
    expect(await client.streams.pending(key, 'g')).toEqual([]);
  });

  it('maxEntries (or its deprecated alias maxLen) caps each stream with MAXLEN ~; the default keeps them all', { timeout: 30_000 }, async () => {
    const client = await connectClient(redis.url);
    const lengthAfter = async (options: EventStreamOptions): Promise<number> => {
      const stream = new EventStream(client, { keyPrefix: `${keygen('capped').prefix}:`, ...options });
      await appendAll(stream, Array.from({ length: 500 }, (_, i) => orderEvent(i)), 1);
      return Number(await client.command(['XLEN', stream.streamKey(CHANNELS.ORDERS)]));
    };
    // MAXLEN ~ trims whole stream nodes (100 entries by default), so at least 10 and well under 500 remain.
    for (const capped of [await lengthAfter({ maxEntries: 10 }), await lengthAfter({ maxLen: 10 })]) {
      expect(capped).toBeGreaterThanOrEqual(10);
      expect(capped).toBeLessThanOrEqual(110);
    }
    expect(await lengthAfter({})).toBe(500);
  });
});
