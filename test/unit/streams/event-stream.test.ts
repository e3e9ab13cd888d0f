import { describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../src/client/redis-client.js';
import type { AddOptions, EventStreamOptions } from '../../../src/index.js';
import { ConfigError } from '../../../src/internal/errors.js';
import { OrderEvent } from '../../../src/events/order-event.js';
import { EventStream } from '../../../src/streams/event-stream.js';

/** The options of every XADD an EventStream sends, over a fake client. */
function appendOptions(options: EventStreamOptions): { stream: EventStream; sent: Array<AddOptions | undefined> } {
  const sent: Array<AddOptions | undefined> = [];
  const client = {
    streams: {
      add: (_key: string, _fields: Record<string, string>, addOptions?: AddOptions) => {
        sent.push(addOptions);
        return Promise.resolve(`${sent.length}-0`);
      },
    },
  } as unknown as RedisClient;
  return { stream: new EventStream(client, options), sent };
}

const order = (): OrderEvent =>
  new OrderEvent({ runId: '7b0c2f4e-3c1d-4a5b-9e8f-112233445566', strategyId: 's', numOrders: 1, numAccepted: 1, numRejected: 0 });

describe('EventStream.append trimming', () => {
  it.each<[string, EventStreamOptions, number]>([
    ['the default', {}, 100_000],
    ['maxEntries', { maxEntries: 7 }, 7],
    ['maxLen, the deprecated alias', { maxLen: 9 }, 9],
    ['maxEntries and maxLen given with one value', { maxEntries: 7, maxLen: 7 }, 7],
  ])('trims with MAXLEN ~ from %s', async (_case, options, expected) => {
    const { stream, sent } = appendOptions(options);
    await stream.append(order());
    expect(sent).toEqual([{ maxEntries: expected }]);
  });

  it('refuses maxEntries and maxLen with different values at construction, naming both', () => {
    let thrown: unknown;
    let sent: Array<AddOptions | undefined> | undefined;
    try {
      ({ sent } = appendOptions({ maxEntries: 7, maxLen: 9 }));
    } catch (err) {
      thrown = err;
    }
    expect(sent).toBeUndefined();
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).context['option']).toBe('maxEntries');
    expect((thrown as ConfigError).message).toBe('maxEntries (7) and its deprecated alias maxLen (9) disagree: give maxEntries only');
  });
});
