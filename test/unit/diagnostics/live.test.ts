import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { liveSnapshots, trackLive, type LiveCache, type LiveSnapshot } from '../../../src/diagnostics/live.js';
import { EventPublisher } from '../../../src/events/publisher.js';
import { FakePublishClient } from '../../harness/events/fake-publish-client.js';
import { embeddedPair, signal } from '../../harness/events/helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Lets the current job end (WeakRef targets live until then), then collects. */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}

const readSize = (target: { size: number }): LiveCache => ({ kind: 'cache', localEntries: target.size });
const mine = (marker: number) => (s: LiveSnapshot) => s.kind === 'cache' && s.localEntries === marker;

describe('the live-object registry', () => {
  it('reads tracked objects at each call, skips what reports nothing, and forgets untracked ones', () => {
    const target = { size: 424_242 };
    const untrack = trackLive(target, readSize);
    expect(liveSnapshots().filter(mine(424_242))).toHaveLength(1);
    target.size = 424_243;
    expect(liveSnapshots().filter(mine(424_243))).toHaveLength(1);
    const quiet = { size: 1 };
    const untrackQuiet = trackLive(quiet, () => undefined);
    expect(liveSnapshots().filter(mine(1))).toHaveLength(0);
    untrack();
    untrack();
    untrackQuiet();
    expect(liveSnapshots().filter(mine(424_243))).toHaveLength(0);
  });

  it('holds objects weakly: a collected object drops out', async () => {
    let target: { size: number } | undefined = { size: 515_151 };
    trackLive(target, readSize);
    expect(liveSnapshots().filter(mine(515_151))).toHaveLength(1);
    target = undefined;
    await collect();
    expect(liveSnapshots().filter(mine(515_151))).toHaveLength(0);
  });

  it('is one registry per process, on globalThis under a versioned Symbol.for key', () => {
    const key = Symbol.for('@trading-platform/redis-client:live-objects:v1');
    const held = (globalThis as Record<symbol, { entries: Set<unknown> } | undefined>)[key];
    expect(held?.entries).toBeInstanceOf(Set);
    const before = held?.entries.size ?? 0;
    const untrack = trackLive({ size: 3 }, readSize);
    expect(held?.entries.size).toBe(before + 1);
    untrack();
  });

  it('has the clients, publishers with a buffer, and leaves them on close', async () => {
    const { client } = await embeddedPair();
    const component = (name: string) => liveSnapshots().filter((s) => s.kind === 'client' && s.component === name);
    const named = client.duplicate({ component: 'live-test' });
    expect(component('live-test')).toEqual([]); // not connected yet: closed, not reported
    await named.connect();
    expect(component('live-test')).toEqual([{ kind: 'client', component: 'live-test', status: 'ready' }]);
    await named.close();
    expect(component('live-test')).toEqual([]);

    const fake = new FakePublishClient();
    const publisher = new EventPublisher(fake, { buffer: { maxQueuedEvents: 77_777 } });
    const plain = new EventPublisher(fake);
    const buffers = () => liveSnapshots().filter((s) => s.kind === 'publisher' && s.maxQueuedEvents === 77_777);
    fake.down();
    await publisher.publish('signals.generated', signal(1));
    expect(buffers()).toEqual([{ kind: 'publisher', bufferedEvents: 1, maxQueuedEvents: 77_777 }]);
    await publisher.close();
    await plain.close();
    expect(buffers()).toEqual([]);
  });
});
