/**
 * A consumer-group reader of event streams with at-least-once delivery: fresh entries are read
 * with a blocking `XREADGROUP` on a dedicated connection, handled sequentially in stream order
 * and acknowledged per batch with one `XACK` per stream; failed entries stay pending and are
 * claimed again after `claimIdleMs` (by this or another consumer), then dead-lettered after
 * `maxDeliveries`. Redis errors never escape: the consumer logs, reports and backs off.
 */
import type { RedisClient } from '../client/redis-client.js';
import { RedisCommandError } from '../errors.js';
import type { Channel } from '../events/channels.js';
import type { Logger } from '../logger.js';
import { Claimer } from './claimer.js';
import type { ConsumerErrorStage, ConsumerStats } from './delivery.js';
import { errorMessage } from './dead-letter.js';
import type { ResolvedConsumeOptions } from './options.js';
import { BatchProcessor } from './processor.js';
import type { BatchItem } from './processor.js';

/** What a consumer needs from its {@link EventStream}. Internal. */
export interface ConsumerContext<C extends Channel> {
  client: RedisClient;
  maxLen: number;
  log: Logger;
  streamKey(channel: C): string;
  deadLetterKey(channel: C): string;
}

const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5000;
/** Margin of the reader connection's idle watchdog over the longest blocking read. */
const READER_SOCKET_MARGIN_MS = 1000;

/**
 * A running consumer, made by {@link EventStream.consume}. Call {@link Consumer.stop} to shut it
 * down gracefully.
 */
export class Consumer<C extends Channel = Channel> {
  readonly #ctx: ConsumerContext<C>;
  readonly #options: ResolvedConsumeOptions<C>;
  readonly #stats: ConsumerStats = { processed: 0, acked: 0, retried: 0, deadLettered: 0, pending: 0 };
  readonly #processor: BatchProcessor<C>;
  readonly #claimer: Claimer;
  readonly #reader: RedisClient;
  readonly #keys: ReadonlyMap<string, C>;
  /** Stream key -> ids handled but not yet acknowledged (the XACK failed). */
  readonly #ackBacklog = new Map<string, string[]>();
  readonly #done: Promise<void>;
  #ready: (() => void) | undefined;
  readonly #readyPromise: Promise<void>;
  #groupsReady = false;
  #inFlight = 0;
  /** Handled entries whose XACK is on its way. */
  #acking = 0;
  #ackInFlight: Promise<void> = Promise.resolve();
  #stopping = false;
  #reading = false;
  #wake: (() => void) | undefined;
  #nextClaimAt = 0;

  /** Internal: use {@link EventStream.consume}. */
  constructor(ctx: ConsumerContext<C>, options: ResolvedConsumeOptions<C>) {
    this.#ctx = ctx;
    this.#options = options;
    this.#keys = new Map(options.channels.map((c) => [ctx.streamKey(c), c]));
    this.#processor = new BatchProcessor<C>({
      ...ctx,
      options,
      stats: this.#stats,
      reportError: (error, stage) => this.#report(error, stage),
    });
    this.#claimer = new Claimer(ctx.client, options.group, options.consumer, options.claimIdleMs, options.batchSize, ctx.log);
    this.#reader = ctx.client.duplicate({
      socketTimeoutMs: options.blockMs + ctx.client.commandTimeoutMs + READER_SOCKET_MARGIN_MS,
      logger: ctx.log,
    });
    this.#readyPromise = new Promise((resolve) => (this.#ready = resolve));
    this.#done = this.#run();
  }

  /** The group name. */
  get group(): string {
    return this.#options.group;
  }

  /** This consumer's name. */
  get name(): string {
    return this.#options.consumer;
  }

  /** Resolves once the groups exist and the reader connection is up (or the consumer stopped). */
  ready(): Promise<void> {
    return this.#readyPromise;
  }

  /** A snapshot of the counters; see {@link ConsumerStats}. */
  stats(): ConsumerStats {
    let backlog = 0;
    for (const ids of this.#ackBacklog.values()) backlog += ids.length;
    return { ...this.#stats, pending: this.#inFlight + this.#acking + backlog + this.#processor.failedCount };
  }

  /**
   * Stops gracefully: the batch in progress finishes and is acknowledged, a blocked read is cut
   * short (its entries, if any arrived, stay pending for a claim), the reader connection closes.
   * Resolves when stopped; idempotent. A handler that never settles keeps it from resolving.
   */
  async stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      this.#wake?.();
      if (this.#reading) this.#reader.destroy();
    }
    await this.#done;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      try {
        await this.#setUp();
        await this.#flushAcks();
        if (performance.now() >= this.#nextClaimAt) await this.#claimPass();
        if (!this.#stopping) await this.#readPass();
        failures = 0;
      } catch (error) {
        if (this.#stopping) break;
        if (error instanceof RedisCommandError && error.message.includes('NOGROUP')) this.#groupsReady = false;
        this.#report(error, this.#groupsReady ? 'read' : 'setup');
        await this.#sleep(Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures, 10)) * (0.5 + Math.random() / 2));
        failures += 1;
      }
    }
    await this.#settleAcks();
    await this.#flushAcks().catch((error: unknown) => this.#report(error, 'ack'));
    this.#ready?.();
    await this.#reader.close().catch(() => this.#reader.destroy());
  }

  async #setUp(): Promise<void> {
    // Once connected, the reader reconnects by itself; connect() only for the first time (or a failed one).
    if (this.#reader.status === 'closed') await this.#reader.connect();
    if (this.#groupsReady) return;
    for (const key of this.#keys.keys()) {
      await this.#ctx.client.streams.createGroup(key, this.#options.group, this.#options.startId);
    }
    this.#groupsReady = true;
    this.#ready?.();
  }

  async #claimPass(): Promise<void> {
    let more = false;
    for (const [key, channel] of this.#keys) {
      if (this.#stopping) return;
      const failed = this.#processor.failed.get(key);
      if (failed) await this.#claimer.prune(key, failed);
      const page = await this.#claimer.claim(key);
      more ||= page.more;
      await this.#handle(channel, key, page.items);
    }
    // A full page means more idle entries: claim again right away instead of after a read.
    this.#nextClaimAt = performance.now() + (more ? 0 : Math.max(1, this.#options.claimIdleMs / 2));
  }

  async #readPass(): Promise<void> {
    const streams = [...this.#keys.keys()].map((key) => ({ key, id: '>' }));
    const { batchSize, blockMs, group, consumer } = this.#options;
    const blockFor = Math.max(1, Math.min(blockMs, Math.ceil(this.#nextClaimAt - performance.now())));
    this.#reading = true;
    let batches;
    try {
      batches = await this.#reader.streams.readGroup(group, consumer, streams, { count: batchSize, blockMs: blockFor });
    } finally {
      this.#reading = false;
    }
    for (const batch of batches) {
      const channel = this.#keys.get(batch.stream);
      if (channel === undefined) continue;
      const items = batch.entries.map((e) => ({ id: e.id, fields: e.fields, deliveryCount: 1 }));
      await this.#handle(channel, batch.stream, items);
    }
  }

  /**
   * Processes one stream's batch, then acknowledges what is done in one XACK. The XACK goes out
   * on the command connection while the next read proceeds on the reader (one round trip saved
   * per batch); the loop waits for outstanding XACKs before it ends.
   */
  async #handle(channel: C, key: string, items: readonly BatchItem[]): Promise<void> {
    if (items.length === 0) return;
    this.#inFlight += items.length;
    const ids = await this.#processor.process(channel, key, items, () => (this.#inFlight -= 1));
    if (ids.length === 0) return;
    this.#acking += ids.length;
    const previous = this.#ackInFlight;
    const current = this.#ack(key, ids).finally(() => (this.#acking -= ids.length));
    this.#ackInFlight = Promise.all([previous, current]).then(() => undefined);
  }

  /** Waits for every XACK sent so far (failed ones are in the backlog by then). */
  async #settleAcks(): Promise<void> {
    await this.#ackInFlight;
  }

  /** Never rejects: a failed XACK goes to the backlog. */
  async #ack(key: string, ids: readonly string[]): Promise<void> {
    try {
      // Read the counter after the await: concurrent XACKs would otherwise overwrite each other.
      const acked = await this.#ctx.client.streams.ack(key, this.#options.group, ids);
      this.#stats.acked += acked;
    } catch (error) {
      // Sent again before the next read; if that never succeeds the entries are claimed and redelivered.
      const backlog = this.#ackBacklog.get(key) ?? [];
      backlog.push(...ids);
      this.#ackBacklog.set(key, backlog);
      this.#report(error, 'ack');
    }
  }

  async #flushAcks(): Promise<void> {
    for (const [key, ids] of [...this.#ackBacklog]) {
      const acked = await this.#ctx.client.streams.ack(key, this.#options.group, ids);
      this.#stats.acked += acked;
      this.#ackBacklog.delete(key);
    }
  }

  #report(error: unknown, stage: ConsumerErrorStage): void {
    this.#ctx.log.warn({ stage, group: this.#options.group, consumer: this.#options.consumer, err: errorMessage(error) }, 'stream consumer error');
    try {
      this.#options.onError?.(error, stage);
    } catch (observerError) {
      this.#ctx.log.error({ err: errorMessage(observerError) }, 'onError observer threw');
    }
  }

  /** Waits `ms`, or less when {@link stop} is called. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => (this.#wake = undefined));
  }
}
