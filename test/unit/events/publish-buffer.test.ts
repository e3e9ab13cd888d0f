import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/internal/errors.js';
import type { Logger } from '../../../src/internal/logger.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { PUBLISH_BUFFER_DEFAULTS } from '../../../src/events/publish-buffer.js';
import type { PublishBufferOptions } from '../../../src/events/publish-buffer.js';
import type * as BufferFile from '../../../src/events/buffer-file.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { signal, waitFor } from '../../harness/events/helpers.js';
import { thrownBy } from '../../harness/events/thrown.js';

const writes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/events/buffer-file.js', async (importOriginal) => {
  const actual = await importOriginal<typeof BufferFile>();
  return {
    ...actual,
    writeBufferFileAtomic: (file: string, text: string) => {
      writes.count += 1;
      return actual.writeBufferFileAtomic(file, text);
    },
  };
});

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const noop = (): void => undefined;
  return { debug: noop, info: noop, warn: noop, error: (_fields, msg) => errors.push(msg), errors };
}

async function publishSignals(publisher: EventPublisher, from: number, to: number): Promise<Array<number | null>> {
  const results: Array<number | null> = [];
  for (let n = from; n <= to; n++) results.push(await publisher.publish('signals.generated', signal(n)));
  return results;
}

describe('EventPublisher buffer: order, bound, replay', () => {
  it('keeps failed events FIFO and queues newer events behind them while the client is ready', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    client.down();
    expect(await publishSignals(publisher, 1, 3)).toEqual([null, null, null]);
    client.isReady = true; // back, but no 'ready' event yet: the next publish must not overtake
    expect(await publisher.publish('signals.generated', signal(4))).toBeNull();
    await waitFor(() => publisher.stats().buffered === 0, { description: 'replay kicked by the publish' });
    expect(client.signalNumbers()).toEqual([1, 2, 3, 4]);
    expect(await publisher.publish('signals.generated', signal(5))).toBe(1);
    expect(client.signalNumbers()).toEqual([1, 2, 3, 4, 5]);
    // Only the first event reached Redis and failed; the next ones queued behind it without an attempt.
    expect(publisher.stats()).toEqual({ published: 1, failed: 1, rejected: 0, buffered: 0, dropped: 0, replayed: 4, streamFailed: 0 });
    expect(client.attempts).toBe(6);
  });

  it.each<[string, PublishBufferOptions]>([
    ['maxQueuedEvents', { maxQueuedEvents: 3 }],
    ['maxSize, its deprecated alias', { maxSize: 3 }],
    ['both names given with one value', { maxQueuedEvents: 3, maxSize: 3 }],
  ])('drops the oldest event when full and counts it (bound from %s)', async (_case, buffer) => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer });
    client.down();
    await publishSignals(publisher, 1, 5);
    expect(publisher.stats()).toMatchObject({ buffered: 3, dropped: 2 });
    client.up();
    await waitFor(() => publisher.stats().buffered === 0);
    expect(client.signalNumbers()).toEqual([3, 4, 5]);
  });

  it('keeps 1000 events by default, dropping the oldest beyond', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    client.down();
    await publishSignals(publisher, 1, 1002);
    expect(publisher.stats()).toMatchObject({ buffered: 1000, dropped: 2 });
    expect(PUBLISH_BUFFER_DEFAULTS.maxQueuedEvents).toBe(1000);
  });

  it('still reads PUBLISH_BUFFER_DEFAULTS.maxSize, the deprecated key, without spreading it', () => {
    expect(PUBLISH_BUFFER_DEFAULTS.maxSize).toBe(1000);
    expect({ ...PUBLISH_BUFFER_DEFAULTS }).toEqual({ maxQueuedEvents: 1000, replayIntervalMs: 5000 });
    expect(Object.isFrozen(PUBLISH_BUFFER_DEFAULTS)).toBe(true);
  });

  it('a replay stops at the first failure and keeps the rest in order', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: true });
    client.down();
    await publishSignals(publisher, 1, 4);
    client.isReady = true;
    client.failAfter = 1;
    expect(await publisher.flush()).toBe(1);
    expect(publisher.stats()).toMatchObject({ buffered: 3, replayed: 1 });
    client.up();
    await waitFor(() => publisher.stats().buffered === 0);
    expect(client.signalNumbers()).toEqual([1, 2, 3, 4]);
  });

  it('rejects bad buffer options and a disagreeing maxSize alias at construction, naming the option the caller wrote', () => {
    const client = new FakePublishClient();
    const optionOf = (buffer: PublishBufferOptions): unknown => thrownBy(() => new EventPublisher(client, { buffer }), ConfigError).context['option'];
    expect(optionOf({ maxQueuedEvents: 0 })).toBe('buffer.maxQueuedEvents');
    expect(optionOf({ maxQueuedEvents: 1.5 })).toBe('buffer.maxQueuedEvents');
    expect(optionOf({ maxSize: 0 })).toBe('buffer.maxSize');
    expect(() => new EventPublisher(client, { buffer: { maxSize: 1.5 } })).toThrow('Option buffer.maxSize must be an integer >= 1, got 1.5');
    // Both names with different values disagree, even when the alias alone would be bad.
    for (const [buffer, message] of [
      [{ maxQueuedEvents: 3, maxSize: 100 }, 'buffer.maxQueuedEvents (3) and its deprecated alias buffer.maxSize (100) disagree: give buffer.maxQueuedEvents only'],
      [{ maxQueuedEvents: 2, maxSize: 0 }, 'buffer.maxQueuedEvents (2) and its deprecated alias buffer.maxSize (0) disagree: give buffer.maxQueuedEvents only'],
    ] as const) {
      const err = thrownBy(() => new EventPublisher(client, { buffer }), ConfigError);
      expect(err.context['option'], JSON.stringify(buffer)).toBe('buffer.maxQueuedEvents');
      expect(err.message).toBe(message);
    }
    expect(() => new EventPublisher(client, { buffer: { persistPath: '' } })).toThrow(ConfigError);
  });
});

describe('EventPublisher buffer: persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'publish-buffer-'));
    writes.count = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('persists buffered events as JSON lines and a new publisher replays them in order', async () => {
    const file = path.join(dir, 'events.buffer');
    const first = new FakePublishClient();
    first.down();
    const a = new EventPublisher(first, { buffer: { persistPath: file } });
    const events = [signal(1), signal(2), signal(3)];
    for (const e of events) await a.publish('signals.generated', e);
    await a.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(events.map((e) => ({ channel: 'signals.generated', wire: e.toWire() })));

    const second = new FakePublishClient();
    const b = new EventPublisher(second, { buffer: { persistPath: file } });
    expect(b.stats().buffered).toBe(3); // loaded synchronously by the constructor
    await waitFor(() => b.stats().buffered === 0, { description: 'replay on construction' });
    expect(second.sent.map((s) => s.message)).toEqual(events.map((e) => e.toWire()));
    await b.close();
    expect(existsSync(file)).toBe(false);
  });

  it('coalesces a burst of changes into one file write', async () => {
    const file = path.join(dir, 'burst.buffer');
    const client = new FakePublishClient();
    client.down();
    const publisher = new EventPublisher(client, { buffer: { persistPath: file } });
    const burst = Array.from({ length: 100 }, (_, i) => publisher.publish('signals.generated', signal(i)));
    await Promise.all(burst);
    await publisher.close();
    expect(writes.count).toBe(1);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(100);
  });

  it('moves a corrupt file aside, logs it, keeps its readable entries, and does not throw', async () => {
    const file = path.join(dir, 'corrupt.buffer');
    const good = signal(42);
    writeFileSync(file, `{"channel":"signals.generated","wire":${JSON.stringify(good.toWire())}}\nnot json\n{"channel":"nope","wire":"x"}\n`);
    const logger = recordingLogger();
    const client = new FakePublishClient();
    client.down();
    const publisher = new EventPublisher(client, { buffer: { persistPath: file }, logger });
    expect(publisher.stats().buffered).toBe(1);
    expect(logger.errors.join('\n')).toMatch(/unreadable lines/);
    expect(readdirSync(dir).some((name) => name.startsWith('corrupt.buffer.corrupt-'))).toBe(true);
    await publisher.close();
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify({ channel: 'signals.generated', wire: good.toWire() })}\n`);
    client.up();
    const replayer = new EventPublisher(client, { buffer: { persistPath: file } });
    await waitFor(() => replayer.stats().buffered === 0);
    expect(client.sent.map((s) => s.message)).toEqual([good.toWire()]);
    await replayer.close();
  });

  it('a persisted path that cannot be read (a directory) is logged and the buffer starts empty', () => {
    const logger = recordingLogger();
    const publisher = new EventPublisher(new FakePublishClient(), { buffer: { persistPath: dir }, logger });
    expect(publisher.stats().buffered).toBe(0);
    expect(logger.errors).toEqual(['could not read the persisted publish buffer; starting empty']);
  });
});
