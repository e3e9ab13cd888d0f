/**
 * `SignalGenerator`: features for a request from the feature cache in one batch (computing and
 * caching the missing ones), scored by the linear model, ranked into long/short target weights.
 */
import type { FeatureCache, Features } from '@trading-platform/redis-client';
import { computeAlpha158, rankSignals, score } from '../../shared/index.js';
import type { LinearModel, MarketData } from '../../shared/index.js';

/** One symbol's signal, as the HTTP API returns it. */
export interface Signal {
  symbol: string;
  predicted_return: number;
  rank: number;
  target_weight: number;
}

/** What one generation produced, and how the cache served it. */
export interface GenerationResult {
  signals: Signal[];
  asOfDate: string;
  /** Symbols whose features were read from the cache. */
  hits: number;
  /** Symbols whose features were computed for this request. */
  misses: number;
  /**
   * Symbols that were not cached and that another request (or the start-up hydration) was
   * already computing: this request waited for that computation (single-flight) instead of
   * computing them again.
   */
  joined: number;
}

/** A validated request: known symbols, a trading day of the data, book sizes that fit. */
export interface GenerationRequest {
  symbols: readonly string[];
  asOfDate: string;
  topN: number;
  bottomN: number;
}

/**
 * Turns market data into signals. With a cache, a request's features are read with one
 * `getManyOrCompute`: cached vectors are used as they are, the others are computed with
 * Alpha158 from the bars up to the as-of date and written back, except those another request
 * is computing at that moment, which are awaited (joined). Without one (Redis disabled),
 * every vector is computed. Cached and computed vectors are the same numbers (the JSON codec
 * round-trips doubles exactly), so both give identical signals.
 */
export class SignalGenerator {
  readonly #data: MarketData;
  readonly #model: LinearModel;
  readonly #cache: FeatureCache | null;
  /**
   * Every vector this generator computed (for a request or the hydration), while something holds
   * it. `getManyOrCompute` only returns a map of vectors, so a symbol another request computed
   * looks like a cache hit; but a joiner receives the very object that computation returned,
   * while a cache read decodes a new one. Identity tells the two apart.
   */
  readonly #computed = new WeakSet<Features>();

  /** `cache` is `null` when Redis is disabled. */
  constructor(data: MarketData, model: LinearModel, cache: FeatureCache | null) {
    this.#data = data;
    this.#model = model;
    this.#cache = cache;
  }

  /** The model that scores the features. */
  get model(): LinearModel {
    return this.#model;
  }

  /** Alpha158 features of `symbol` on `date`, from its bars up to that date. */
  computeFeatures(symbol: string, date: string): Features {
    return computeAlpha158(this.#data.barsUpTo(symbol, date), date);
  }

  /**
   * The features of `symbols` on `date`, keyed by symbol, each remembered as computed here: what
   * a request computes for its misses, and what the start-up hydration computes (so a request
   * that joins the hydration's computation counts it as `joined`, not as a hit).
   * @throws RangeError when a symbol has no bar on `date`.
   */
  computeMissing(date: string, symbols: readonly string[]): Map<string, Features> {
    const vectors = new Map<string, Features>();
    for (const symbol of symbols) {
      const features = this.computeFeatures(symbol, date);
      this.#computed.add(features);
      vectors.set(symbol, features);
    }
    return vectors;
  }

  /** Generates ranked signals for a validated request. */
  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const { symbols, asOfDate } = request;
    const mine = new Set<string>();
    const compute = (missing: readonly string[]): Map<string, Features> => {
      const vectors = this.computeMissing(asOfDate, missing);
      for (const symbol of missing) mine.add(symbol);
      return vectors;
    };
    const features = this.#cache
      ? await this.#cache.getManyOrCompute(symbols, asOfDate, compute)
      : compute(symbols);
    let joined = 0;
    const scores = new Map<string, number>();
    for (const symbol of symbols) {
      const vector = features.get(symbol) as Features;
      if (!mine.has(symbol) && this.#computed.has(vector)) joined++;
      scores.set(symbol, score(this.#model, vector));
    }
    const ranked = rankSignals(scores, request.topN, request.bottomN);
    return {
      signals: ranked.map((s) => ({ symbol: s.symbol, predicted_return: s.score, rank: s.rank, target_weight: s.targetWeight })),
      asOfDate,
      hits: symbols.length - mine.size - joined,
      misses: mine.size,
      joined,
    };
  }
}
