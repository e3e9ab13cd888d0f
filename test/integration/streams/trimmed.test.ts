import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../src/events/channels.js';
import type { Logger } from '../../../src/internal/logger.js';
import { EventStream } from '../../../src/streams/event-stream.js';
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
});
