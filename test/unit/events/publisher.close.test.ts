import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisConnectionError } from '../../../src/internal/errors.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { signal } from '../../harness/events/helpers.js';

/** Resolves after the current macrotask: every promise job queued so far has run. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('EventPublisher.close with publishes in flight', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'publisher-close-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for an in-flight PUBLISH; when it fails, the event is buffered and on disk before close resolves', async () => {
    const file = path.join(dir, 'events.buffer');
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client, { buffer: { persistPath: file } });
    const held = client.holdNext();
    const event = signal(1);
    const published = publisher.publish('signals.generated', event);
    let closed = false;
    const closing = publisher.close().then(() => (closed = true));
    await nextMacrotask();
    expect(closed).toBe(false);
    held.reject(new RedisConnectionError('connection lost'));
    expect(await published).toBeNull();
    await closing;
    expect(publisher.stats().buffered).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify({ channel: 'signals.generated', wire: event.toWire() })}\n`);
  });

  it('waits for an in-flight PUBLISH that succeeds, and counts it', async () => {
    const client = new FakePublishClient();
    const publisher = new EventPublisher(client);
    const held = client.holdNext();
    const published = publisher.publish('signals.generated', signal(1));
    let closed = false;
    const closing = publisher.close().then(() => (closed = true));
    await nextMacrotask();
    expect(closed).toBe(false);
    held.resolve(2);
    await closing;
    expect(await published).toBe(2);
    expect(publisher.stats()).toMatchObject({ published: 1, failed: 0 });
  });

  it('waits for an in-flight stream append', async () => {
    const client = new FakePublishClient();
    let finishAppend!: (id: string) => void;
    const stream = { append: () => new Promise<string>((resolve) => (finishAppend = resolve)) };
    const publisher = new EventPublisher(client, { stream });
    const published = publisher.publish('signals.generated', signal(1));
    let closed = false;
    const closing = publisher.close().then(() => (closed = true));
    await nextMacrotask();
    expect(closed).toBe(false);
    finishAppend('1-0');
    await closing;
    expect(await published).toBe(1);
  });
});
