/**
 * Start-up feature hydration, as upstream's `feature_hydration_task`: the service warms the
 * feature cache for its universe over the last trading days in the background with
 * `FeatureCache.warm`, serving requests from the start, and reports progress on `/health`.
 */
import type { FeatureCache, Logger, RedisClient, WarmReport } from '@trading-platform/redis-client';
import type { MarketData } from '../../shared/index.js';
import type { SignalGenerator } from './signal-generator.js';

/** How the service hydrates its feature cache at start-up. */
export interface FeatureHydrationOptions {
  /**
   * `FEATURE_HYDRATION_ENABLED`: warm at start-up. The environment defaults it to `true`, as
   * upstream does; `buildSignalService` warms only when given `true`. @default false
   */
  enabled?: boolean;
  /**
   * `FEATURE_HYDRATION_TIMEOUT_SECONDS`: the longest the hydration may take, waiting for an
   * unreachable Redis included. Past it, no further date starts and `/health` stays degraded.
   * @default 300
   */
  timeoutSeconds?: number;
  /** `FEATURE_HYDRATION_DAYS`: trading days warmed, newest first (upstream's `DEFAULT_FEATURE_HYDRATION_DAYS`). @default 60 */
  days?: number;
  /** Dates warmed at once. @default 2 */
  concurrency?: number;
}

/** Defaults of {@link FeatureHydrationOptions}. */
export const HYDRATION_DEFAULTS = Object.freeze({ enabled: false, timeoutSeconds: 300, days: 60, concurrency: 2 });

/**
 * `disabled`: not configured, or nothing to warm with (no cache, no model); `running`: waiting
 * for Redis or warming; `complete`: every date was attempted; `failed`: timed out, stopped or threw.
 */
export type HydrationStatus = 'disabled' | 'running' | 'complete' | 'failed';

/** Upstream's `HydrationResult`, field for field (see `FeatureCache.warm` for what each counts). */
export interface HydrationResult {
  dates_attempted: number;
  dates_succeeded: number;
  dates_failed: number;
  cached_count: number;
  skipped_count: number;
}

/** The `feature_hydration` part of `/health`. */
export interface HydrationHealth {
  /** Whether hydration runs: configured, with a feature cache and a model. */
  enabled: boolean;
  status: HydrationStatus;
  /** The warm's counts once it ended (also after a timeout: what was done in time), else `null`. */
  result: HydrationResult | null;
  /** Why it failed, or `null`. */
  error: string | null;
}

/** What a {@link FeatureHydration} warms with. */
export interface HydrationDeps {
  cache: FeatureCache | null;
  redis: RedisClient | null;
  generator: SignalGenerator | null;
  marketData: MarketData;
  log: Logger;
}

function resultOf(report: WarmReport): HydrationResult {
  return {
    dates_attempted: report.datesAttempted,
    dates_succeeded: report.datesSucceeded,
    dates_failed: report.datesFailed,
    cached_count: report.cached,
    skipped_count: report.skipped,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The start-up hydration of one service: {@link start} launches it in the background and
 * returns at once; {@link health} says where it is; {@link stop} aborts it on shutdown. The
 * universe is every symbol of the market data, the dates its last `days` trading days.
 */
export class FeatureHydration {
  readonly #deps: HydrationDeps;
  readonly #options: Required<FeatureHydrationOptions>;
  readonly #stop = new AbortController();
  #status: HydrationStatus = 'disabled';
  #result: HydrationResult | null = null;
  #error: string | null = null;
  #task: Promise<void> | undefined;

  constructor(deps: HydrationDeps, options: FeatureHydrationOptions = {}) {
    this.#deps = deps;
    this.#options = { ...HYDRATION_DEFAULTS, ...options };
  }

  /** Starts warming in the background (once); logs why not when it does not run. */
  start(): void {
    if (this.#task !== undefined || this.#status !== 'disabled') return;
    const { cache, generator, log } = this.#deps;
    if (!this.#options.enabled) return log.info({}, 'Feature hydration disabled (FEATURE_HYDRATION_ENABLED=false)');
    if (cache === null) return log.info({}, 'Feature cache not enabled, skipping hydration');
    if (generator === null) return log.info({}, 'Model not loaded, skipping hydration');
    this.#status = 'running';
    this.#task = this.#run(cache, generator).catch((err: unknown) => this.#fail(messageOf(err)));
  }

  /** Where the hydration is, for `/health`. */
  health(): HydrationHealth {
    return { enabled: this.#status !== 'disabled', status: this.#status, result: this.#result, error: this.#error };
  }

  /** Whether `/health` reports degraded for it: while running, and after a failure (as upstream). */
  get degraded(): boolean {
    return this.#status === 'running' || this.#status === 'failed';
  }

  /** Aborts a running hydration (no further date starts) and waits for it to settle. */
  async stop(): Promise<void> {
    this.#stop.abort(new Error('the service is closing'));
    await this.#task;
  }

  async #run(cache: FeatureCache, generator: SignalGenerator): Promise<void> {
    const { marketData, log } = this.#deps;
    const { days, timeoutSeconds, concurrency } = this.#options;
    const deadline = Date.now() + timeoutSeconds * 1000;
    const symbols = marketData.symbols();
    const dates = marketData.tradingDays().slice(-days).reverse();
    log.info({ days: dates.length, symbols: symbols.length }, `Hydrating feature cache with ${dates.length} days of history for ${symbols.length} symbols...`);
    // Warming while Redis is down would read nothing and write nothing: wait for it, within the timeout.
    if (!(await this.#redisReady(deadline - Date.now()))) {
      if (this.#stop.signal.aborted) return this.#stopped();
      return this.#timedOut('Redis did not become ready');
    }
    const report = await cache.warm({
      symbols,
      dates,
      compute: (date, missing) => generator.computeMissing(date, missing),
      concurrency,
      timeoutMs: Math.max(1, deadline - Date.now()),
      signal: this.#stop.signal,
      onProgress: (p) => log.debug({ date: p.date, status: p.status, cached: p.cached, skipped: p.skipped, done: p.datesDone, total: p.datesTotal }, 'feature hydration progress'),
    });
    this.#result = resultOf(report);
    if (report.stopped === 'timeout') return this.#timedOut(`${report.datesAttempted} of ${dates.length} dates attempted`);
    if (report.stopped === 'abort') return this.#stopped();
    this.#status = 'complete';
    log.info({ ...this.#result }, 'Feature cache hydration completed');
  }

  /** Resolves `true` once the Redis client is ready, `false` when `ms` pass or the hydration is stopped first. */
  #redisReady(ms: number): Promise<boolean> {
    const redis = this.#deps.redis;
    if (redis === null || redis.isReady) return Promise.resolve(redis !== null);
    if (this.#stop.signal.aborted || ms <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const done = (ready: boolean): void => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        this.#stop.signal.removeEventListener('abort', onStop);
        resolve(ready);
      };
      const onReady = (): void => done(true);
      const onStop = (): void => done(false);
      const timer = setTimeout(onStop, ms);
      redis.on('ready', onReady);
      this.#stop.signal.addEventListener('abort', onStop, { once: true });
    });
  }

  #timedOut(detail: string): void {
    const { timeoutSeconds } = this.#options;
    this.#status = 'failed';
    this.#error = `timed out after ${timeoutSeconds} s (${detail})`;
    this.#deps.log.warn({ ...this.#result }, `Feature cache hydration timed out after ${timeoutSeconds} seconds; health will remain degraded`);
  }

  /** Stopped by {@link stop} (the service closing): failed, but nothing went wrong, so logged at info. */
  #stopped(): void {
    this.#status = 'failed';
    this.#error = `stopped: ${messageOf(this.#stop.signal.reason)}`;
    this.#deps.log.info({ ...this.#result }, 'Feature cache hydration stopped: the service is closing');
  }

  #fail(reason: string): void {
    this.#status = 'failed';
    this.#error = reason;
    this.#deps.log.error({ err: reason }, 'Feature cache hydration failed; health will remain degraded');
  }
}
