/**
 * A consumer-group reader of event streams with at-least-once delivery: fresh entries are read
 * with a blocking `XREADGROUP` on a dedicated connection, handled one at a time (in stream order
 * on first delivery; retried and claimed entries come after, out of order) and acknowledged per batch with one `XACK` per stream (see {@link Acker}); during a backlog the
 * next batch is read ahead while one is handled; failed entries stay pending and are
 * claimed again after `claimIdleMs` (by this or another consumer), then dead-lettered after
 * `maxDeliveries`. Redis errors never escape: the consumer logs, reports and backs off.
 */
import type { RedisClient } from '../client/redis-client.js';
import { trackLive, type LiveConsumer } from '../diagnostics/live.js';
import { backoffDelay } from '../internal/backoff.js';
import { RedisCommandError } from '../internal/errors.js';
import type { Channel } from '../events/channels.js';
import type { Logger } from '../internal/logger.js';
import { Acker } from './acker.js';
import { Claimer } from './claimer.js';
import type { ConsumerErrorStage, ConsumerStats } from './delivery.js';
import { errorMessage } from '../internal/error-text.js';
import type { ResolvedConsumeOptions } from './options.js';
import { readGroupStreams, type GroupStreamKeys } from './group-gauges.js';
import { BatchProcessor } from './processor.js';
import type { BatchItem } from './processor.js';

/** What a consumer needs from its {@link EventStream}. Internal. */
export interface ConsumerContext<C extends Channel> {
  client: RedisClient;
  maxEntries: number;
  log: Logger;
  streamKey(channel: C): string;
  deadLetterKey(channel: C): string;
}

/** The entries one `XREADGROUP` returned for one stream. */
type StreamBatch = Awaited<ReturnType<RedisClient['streams']['readGroup']>>[number];

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
  readonly #acker: Acker;
  readonly #done: Promise<void>;
  #ready: (() => void) | undefined;
  readonly #readyPromise: Promise<void>;
  #groupsReady = false;
  #inFlight = 0;
  #stopping = false;
  #reading = false;
  #wake: (() => void) | undefined;
  #nextClaimAt = 0;
  #readAhead: Promise<StreamBatch[]> | undefined;
  /** Leaves the live-object registry (a running consumer reports its group's state at scrape time). */
  readonly #untrack: () => void;

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
    this.#acker = new Acker(ctx.client, options.group, this.#stats, (error, stage) => this.#report(error, stage), (key) => this.#keys.get(key) ?? key);
    this.#claimer = new Claimer(ctx.client, options.group, options.consumer, options.claimIdleMs, options.maxBatchEntries, ctx.log);
    this.#reader = ctx.client.duplicate({
      socketTimeoutMs: options.blockMs + ctx.client.commandTimeoutMs + READER_SOCKET_MARGIN_MS,
      logger: ctx.log,
      component: 'stream-reader',
    });
    this.#untrack = trackLive(this, Consumer.#live);
    this.#readyPromise = new Promise((resolve) => (this.#ready = resolve));
    this.#done = this.#run();
  }

  static #live<K extends Channel>(consumer: Consumer<K>): LiveConsumer {
    const { client } = consumer.#ctx;
    const streams: GroupStreamKeys[] = [...consumer.#keys.values()].map((channel) => ({
      streamKey: consumer.#ctx.streamKey(channel),
      deadLetterKey: consumer.#ctx.deadLetterKey(channel),
    }));
    const group = consumer.#options.group;
    return { kind: 'consumer', group, readGroups: (timeoutMs) => readGroupStreams(client, group, streams, timeoutMs) };
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
    return { ...this.#stats, pending: this.#inFlight + this.#acker.unacknowledged + this.#processor.failedCount };
  }

  /**
   * Stops gracefully: the batch in progress (and one already read ahead during a backlog)
   * finishes and is acknowledged, a blocked read is cut short (its entries, if any arrived, stay
   * pending for a claim), the reader connection closes.
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
        await this.#acker.flush();
        if (performance.now() >= this.#nextClaimAt) {
          // Entries read ahead are idle while they wait; handle them first or the claim would take them again.
          await this.#drainReadAhead();
          await this.#claimPass();
        }
        if (!this.#stopping) await this.#readPass();
        failures = 0;
      } catch (error) {
        if (this.#stopping) break;
        if (error instanceof RedisCommandError && error.message.includes('NOGROUP')) this.#groupsReady = false;
        this.#report(error, this.#groupsReady ? 'read' : 'setup');
        await this.#sleep(backoffDelay(failures, BACKOFF_BASE_MS, BACKOFF_MAX_MS));
        failures += 1;
      }
    }
    await this.#drainReadAhead();
    await this.#acker.settle();
    await this.#acker.flush().catch((error: unknown) => this.#report(error, 'ack'));
    this.#untrack();
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

  /**
   * Reads a batch (the one read ahead, if any) and handles it. A full batch means a backlog: the
   * next batch is then read ahead, without blocking, while this one is handled.
   */
  async #readPass(): Promise<void> {
    const ahead = this.#readAhead;
    this.#readAhead = undefined;
    const batches = ahead ? await ahead : await this.#read(true);
    if (!this.#stopping && batches.some((b) => b.entries.length >= this.#options.maxBatchEntries)) {
      const next = this.#read(false);
      next.catch(() => undefined); // Rethrown when awaited by the next pass.
      this.#readAhead = next;
    }
    await this.#handleBatches(batches);
  }

  /** `XREADGROUP ... >` on the reader; blocking reads are cut short by {@link stop}. */
  async #read(block: boolean): Promise<StreamBatch[]> {
    const streams = [...this.#keys.keys()].map((key) => ({ key, id: '>' }));
    const { maxBatchEntries, blockMs, group, consumer } = this.#options;
    if (!block) return this.#reader.streams.readGroup(group, consumer, streams, { count: maxBatchEntries });
    const blockFor = Math.max(1, Math.min(blockMs, Math.ceil(this.#nextClaimAt - performance.now())));
    this.#reading = true;
    try {
      return await this.#reader.streams.readGroup(group, consumer, streams, { count: maxBatchEntries, blockMs: blockFor });
    } finally {
      this.#reading = false;
    }
  }

  async #handleBatches(batches: readonly StreamBatch[]): Promise<void> {
    for (const batch of batches) {
      const channel = this.#keys.get(batch.stream);
      if (channel === undefined) continue;
      const items = batch.entries.map((e) => ({ id: e.id, fields: e.fields, deliveryCount: 1 }));
      await this.#handle(channel, batch.stream, items);
    }
  }

  /**
   * Handles a batch already read ahead: before a claim pass, and on stop (rather than leaving it
   * pending until a claim). A failed read is reported; its entries, if any, stay pending.
   */
  async #drainReadAhead(): Promise<void> {
    const ahead = this.#readAhead;
    this.#readAhead = undefined;
    if (!ahead) return;
    try {
      await this.#handleBatches(await ahead);
    } catch (error) {
      this.#report(error, 'read');
    }
  }

  /** Processes one stream's batch, then acknowledges what is done in one XACK (not awaited). */
  async #handle(channel: C, key: string, items: readonly BatchItem[]): Promise<void> {
    if (items.length === 0) return;
    this.#inFlight += items.length;
    const ids = await this.#processor.process(channel, key, items, () => (this.#inFlight -= 1));
    this.#acker.send(key, ids);
  }

  #report(error: unknown, stage: ConsumerErrorStage): void {
    this.#ctx.log.warn({ stage, group: this.#options.group, consumer: this.#options.consumer, err: errorMessage(error, true) }, 'stream consumer error');
    try {
      this.#options.onError?.(error, stage);
    } catch (observerError) {
      this.#ctx.log.error({ err: errorMessage(observerError, true) }, 'onError observer threw');
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
