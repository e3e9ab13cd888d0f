/** A scriptable stand-in for RedisClient's publishing side, to drive outages step by step. */
import { EventEmitter } from 'node:events';
import { RedisUnavailableError } from '../../../src/internal/errors.js';
import type { PublisherClient } from '../../../src/events/publisher.js';

/** A publish kept pending by {@link FakePublishClient.holdNext}. */
export interface HeldPublish {
  readonly promise: Promise<number>;
  resolve(receivers: number): void;
  reject(err: Error): void;
}

/**
 * Records every successful PUBLISH; fails with a scripted error (`failWith`), while down, or after
 * `failAfter` more successes.
 */
export class FakePublishClient extends EventEmitter<{ ready: [] }> implements PublisherClient {
  isReady = true;
  readonly sent: Array<{ channel: string; message: string }> = [];
  attempts = 0;
  /** When set, this many more publishes succeed, then they fail (the client stays "ready"). */
  failAfter: number | undefined;
  /** Errors the next publishes reject with, one each, before anything else is considered. */
  readonly failWith: Error[] = [];
  readonly #held: HeldPublish[] = [];

  /** Makes the next publish stay pending until the returned handle settles it. */
  holdNext(): HeldPublish {
    let resolve!: (receivers: number) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const handle = { promise, resolve, reject };
    this.#held.push(handle);
    return handle;
  }

  publish(channel: string, message: string): Promise<number> {
    this.attempts += 1;
    const held = this.#held.shift();
    if (held) return held.promise;
    const scripted = this.failWith.shift();
    if (scripted) return Promise.reject(scripted);
    if (!this.isReady || this.failAfter === 0) return Promise.reject(new RedisUnavailableError('PUBLISH refused: down'));
    if (this.failAfter !== undefined) this.failAfter -= 1;
    this.sent.push({ channel, message });
    return Promise.resolve(1);
  }

  down(): void {
    this.isReady = false;
  }

  up(): void {
    this.isReady = true;
    this.failAfter = undefined;
    this.emit('ready');
  }

  /** The `num_signals` of every SignalEvent sent, in order. */
  signalNumbers(): number[] {
    return this.sent.map((s) => (JSON.parse(s.message) as { num_signals: number }).num_signals);
  }
}
