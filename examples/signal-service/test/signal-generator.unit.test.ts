// SignalGenerator's cache accounting: each symbol is a hit (read), a miss (computed here) or joined (another request's computation).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache } from '@trading-platform/redis-client';
import type { ComputeMissing, Features, RedisClient, WriteOptions } from '@trading-platform/redis-client';
import { embeddedClient, loadShared, tradingDay } from '../../lib/test/fixtures.js';
import type { LinearModel, MarketData } from '../../shared/index.js';
import { SignalGenerator } from '../src/signal-generator.js';
import type { GenerationRequest, GenerationResult } from '../src/signal-generator.js';

/** One call of a compute callback, holding its vectors back from the cache until released. */
interface HeldCompute {
  symbols: string[];
  release: () => void;
}

/**
 * A FeatureCache whose compute callbacks run at once but hand their vectors back only when the
 * test releases them, so a computation stays in flight while another request arrives.
 */
class HeldCache extends FeatureCache {
  readonly #calls: HeldCompute[] = [];
  readonly #waiting: ((call: HeldCompute) => void)[] = [];

  override getManyOrCompute(symbols: readonly string[], date: string, computeMissing: ComputeMissing, options?: WriteOptions): Promise<Map<string, Features>> {
    const held: ComputeMissing = async (missing) => {
      const vectors = await computeMissing(missing);
      await new Promise<void>((release) => this.#arrived({ symbols: [...missing], release }));
      return vectors;
    };
    return super.getManyOrCompute(symbols, date, held, options);
  }

  #arrived(call: HeldCompute): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(call);
    else this.#calls.push(call);
  }

  /** The next compute call (already made, or the next one to come). */
  nextCompute(): Promise<HeldCompute> {
    const call = this.#calls.shift();
    return call ? Promise.resolve(call) : new Promise((resolve) => this.#waiting.push(resolve));
  }
}

let marketData: MarketData;
let model: LinearModel;
let date: string;
const clients: RedisClient[] = [];

beforeAll(async () => {
  ({ marketData, model } = await loadShared());
  date = tradingDay(marketData, 4);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function heldCache(): Promise<HeldCache> {
  const client = await embeddedClient();
  clients.push(client);
  return new HeldCache(client);
}

const request = (symbols: string[]): GenerationRequest => ({ symbols, asOfDate: date, topN: 1, bottomN: 1 });
const counts = ({ hits, misses, joined }: GenerationResult): Pick<GenerationResult, 'hits' | 'misses' | 'joined'> => ({ hits, misses, joined });

describe('SignalGenerator cache accounting', () => {
  it('counts symbols awaited from a concurrent request\'s computation as joined, not as hits', async () => {
    const cache = await heldCache();
    const generator = new SignalGenerator(marketData, model, cache);

    const first = generator.generate(request(['AAPL', 'MSFT']));
    const firstCompute = await cache.nextCompute();
    expect(firstCompute.symbols).toEqual(['AAPL', 'MSFT']);
    // AAPL and MSFT are uncached and in flight; the second request may only compute KO and PEP,
    // and its compute call comes after it has joined the first request's AAPL and MSFT.
    const second = generator.generate(request(['AAPL', 'MSFT', 'KO', 'PEP']));
    const secondCompute = await cache.nextCompute();
    expect(secondCompute.symbols).toEqual(['KO', 'PEP']);
    secondCompute.release();
    firstCompute.release();

    expect(counts(await first)).toEqual({ hits: 0, misses: 2, joined: 0 });
    const joined = await second;
    expect(counts(joined)).toEqual({ hits: 0, misses: 2, joined: 2 });

    // Now all four are in Redis: a third request reads them all (hits), none joined.
    const third = await generator.generate(request(['AAPL', 'MSFT', 'KO', 'PEP']));
    expect(counts(third)).toEqual({ hits: 4, misses: 0, joined: 0 });
    expect(third.signals).toEqual(joined.signals);
  });

  it('counts every symbol as a miss without a cache', async () => {
    const result = await new SignalGenerator(marketData, model, null).generate(request(['AAPL', 'MSFT', 'KO']));
    expect(counts(result)).toEqual({ hits: 0, misses: 3, joined: 0 });
  });
});
