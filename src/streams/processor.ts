/**
 * Processing of one batch of entries by a consumer: decode each entry, call the handler
 * sequentially in the batch's order, and decide its fate: acknowledge (handled), leave pending for a
 * retry (handler failed), or dead-letter (invalid entry, or failed `maxDeliveries` times).
 */
import type { RedisClient } from '../client/redis-client.js';
import type { Channel } from '../events/channels.js';
import type { Logger } from '../internal/logger.js';
import { errorMessage } from '../internal/error-text.js';
import { deadLetterFields } from './dead-letter.js';
import type { Delivery, ConsumerErrorStage, ConsumerStats } from './delivery.js';
import { decodeEntry } from './entry.js';
import { reportDelivery } from './report.js';
import type { ResolvedConsumeOptions } from './options.js';

/** One entry to process and how many deliveries it has had, this one included. */
export interface BatchItem {
  id: string;
  fields: Readonly<Record<string, string>>;
  deliveryCount: number;
}

/** What the processor needs from its consumer. Internal. */
export interface ProcessorContext<C extends Channel> {
  client: RedisClient;
  /** The cap dead-letter streams are trimmed to (`MAXLEN ~`), the stream's `maxEntries`. */
  maxEntries: number;
  log: Logger;
  options: ResolvedConsumeOptions<C>;
  stats: ConsumerStats;
  deadLetterKey(channel: C): string;
  reportError(error: unknown, stage: ConsumerErrorStage): void;
}

/**
 * Processes batches for one consumer and remembers which entries it left pending after a handler
 * failure (per stream key), for the `pending` counter.
 */
export class BatchProcessor<C extends Channel> {
  readonly #ctx: ProcessorContext<C>;
  /** Stream key -> ids this consumer left pending after a failure. */
  readonly failed = new Map<string, Set<string>>();

  constructor(ctx: ProcessorContext<C>) {
    this.#ctx = ctx;
  }

  /** How many failed entries wait for a retry. */
  get failedCount(): number {
    let n = 0;
    for (const ids of this.failed.values()) n += ids.size;
    return n;
  }

  /**
   * Processes `items` of `channel` (stream `key`) one after another and resolves the ids to
   * acknowledge. `onSettled` runs after each entry (for the in-flight count). Never rejects.
   */
  async process(channel: C, key: string, items: readonly BatchItem[], onSettled: () => void): Promise<string[]> {
    const ack: string[] = [];
    for (const item of items) {
      if (await this.#processOne(channel, key, item)) ack.push(item.id);
      onSettled();
    }
    return ack;
  }

  /** Resolves whether the entry is done with (to acknowledge). */
  async #processOne(channel: C, key: string, item: BatchItem): Promise<boolean> {
    const { options, stats } = this.#ctx;
    let delivery: Delivery<C>;
    try {
      const event = decodeEntry(channel, item.fields);
      delivery = {
        event,
        eventId: event.eventId ?? item.id,
        streamId: item.id,
        channel,
        deliveryCount: item.deliveryCount,
      } as Delivery<C>;
    } catch (error) {
      // An invalid entry never gets better: no retries.
      return this.#deadLetter(channel, key, item, error);
    }
    if (item.deliveryCount > options.maxDeliveries) {
      // Delivered too often without an outcome (e.g. consumers crashing on it): give up.
      const error = new Error(`exceeded maxDeliveries (${options.maxDeliveries}) without being acknowledged`);
      return this.#deadLetter(channel, key, item, error);
    }
    try {
      await options.handler(delivery);
    } catch (error) {
      if (item.deliveryCount >= options.maxDeliveries) return this.#deadLetter(channel, key, item, error);
      stats.retried += 1;
      reportDelivery(channel, options.group, 'retried', 1);
      this.#markFailed(key, item.id);
      this.#ctx.log.debug({ channel, id: item.id, deliveries: item.deliveryCount, err: errorMessage(error, true) }, 'handler failed; entry left pending for a retry');
      return false;
    }
    stats.processed += 1;
    reportDelivery(channel, options.group, 'processed', 1);
    this.#clearFailed(key, item.id);
    return true;
  }

  async #deadLetter(channel: C, key: string, item: BatchItem, error: unknown): Promise<boolean> {
    const { client, options, maxEntries, log, stats } = this.#ctx;
    const fields = deadLetterFields({
      originalId: item.id,
      channel,
      group: options.group,
      consumer: options.consumer,
      error,
      deliveries: item.deliveryCount,
      fields: item.fields,
    });
    try {
      await client.streams.add(this.#ctx.deadLetterKey(channel), fields, { maxEntries });
    } catch (writeError) {
      // Stays pending: a later claim tries again.
      this.#markFailed(key, item.id);
      this.#ctx.reportError(writeError, 'dead-letter');
      return false;
    }
    stats.deadLettered += 1;
    reportDelivery(channel, options.group, 'dead_lettered', 1);
    this.#clearFailed(key, item.id);
    log.warn({ channel, id: item.id, deliveries: item.deliveryCount, err: fields['error'] }, 'entry moved to the dead-letter stream');
    return true;
  }

  #markFailed(key: string, id: string): void {
    let ids = this.failed.get(key);
    if (!ids) this.failed.set(key, (ids = new Set()));
    ids.add(id);
  }

  #clearFailed(key: string, id: string): void {
    this.failed.get(key)?.delete(id);
  }
}
