/** Cache warming for a `FeatureCache`: fills what is missing for many dates, a bounded number at a time, within a deadline. */
import { deadlineError } from '../internal/deadlines.js';
import { errorMessage } from '../internal/error-text.js';
import { ValidationError, type ValidationIssue } from '../internal/errors.js';
import type { Logger } from '../internal/logger.js';
import type { Features } from './codecs/index.js';
import type { ComputeMissing } from './compute.js';
import { validateDate, validateSymbol } from './keys.js';
import type { FeatureEntries } from './writes.js';

/**
 * Computes the vectors of the symbols of `date` that were not cached, keyed by symbol, like
 * {@link ComputeMissing} with the date first. It must return a vector for every symbol it is
 * given. `signal` is aborted when the warm stops (timeout or abort) while this date is in
 * flight: a compute may give up then, which fails its date and any reader that joined it.
 */
export type WarmCompute = (date: string, symbols: string[], signal: AbortSignal) => Promise<FeatureEntries> | FeatureEntries;

/** What `FeatureCache.warm` does. Every option is checked before anything is sent. */
export interface WarmOptions {
  /** The symbols to warm for every date (each distinct symbol once). */
  symbols: readonly string[];
  /** The dates to warm, started in this order (each distinct date once). */
  dates: readonly string[];
  /** Computes one date's missing vectors; called at most once per date, never for a fully cached date. */
  compute: WarmCompute;
  /** Most dates in flight at once (an integer >= 1). @default 4 */
  concurrency?: number;
  /**
   * Milliseconds after which no further date starts and the warm resolves (an integer from 1
   * to 2147483647). @default no limit
   */
  timeoutMs?: number;
  /** Aborting stops the warm like `timeoutMs` does. An already aborted signal attempts nothing. */
  signal?: AbortSignal;
  /** Called once per attempted date when it settles (or is cut off by the stop), never after the warm resolved. */
  onProgress?: (progress: WarmProgress) => void;
}

/** One date of a warm, as `onProgress` reports it. */
export interface WarmProgress {
  date: string;
  /** `failed`: the computation threw or returned a bad result, or the stop cut the date off. */
  status: 'succeeded' | 'failed';
  /** Vectors this warm computed and wrote for the date (0 when failed). */
  cached: number;
  /** Symbols of the date this warm did not compute: already cached, or computed by a concurrent reader (0 when failed). */
  skipped: number;
  /**
   * Why the date failed: what the computation threw, a `RedisTimeoutError` when `timeoutMs` cut it
   * off, or the signal's `reason` when an abort did. Absent when it succeeded.
   */
  error?: unknown;
  /** Dates settled so far, this one included. */
  datesDone: number;
  /** Distinct dates asked for. */
  datesTotal: number;
}

/**
 * What a warm did: the counts of upstream's `HydrationResult` (`dates_attempted`,
 * `dates_succeeded`, `dates_failed`, `cached_count`, `skipped_count`) and why it stopped early.
 * `datesAttempted` is `datesSucceeded + datesFailed`; `cached + skipped` is `datesSucceeded`
 * times the number of symbols.
 */
export interface WarmReport {
  /** Dates started. Fewer than asked for only when the warm stopped early; the rest were not attempted. */
  datesAttempted: number;
  /** Dates where every symbol ended up cached (read, joined or computed). */
  datesSucceeded: number;
  /** Dates whose computation failed, or that were still in flight when the warm stopped. */
  datesFailed: number;
  /** Vectors computed and written by this warm (upstream `cached_count`), over succeeded dates. */
  cached: number;
  /** Symbols not computed by this warm because they were already cached (upstream `skipped_count`), over succeeded dates. */
  skipped: number;
  /** `timeout` or `abort` when the warm stopped before every date settled; `null` when it ran to the end. */
  stopped: 'timeout' | 'abort' | null;
}

/** Defaults of {@link WarmOptions}. */
export const WARM_DEFAULTS = Object.freeze({ concurrency: 4 });

/** The largest `timeoutMs` a Node timer honours (larger ones fire at once). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** The one cache operation a warm needs: `getManyOrCompute`, single-flight with concurrent readers. */
export interface WarmTarget {
  /** `written` is told how many computed vectors were written (another writer's keys are not). */
  getManyOrCompute(symbols: readonly string[], date: string, computeMissing: ComputeMissing, written: (count: number) => void): Promise<Map<string, Features>>;
}

interface Plan {
  symbols: string[];
  dates: string[];
  compute: WarmCompute;
  concurrency: number;
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  onProgress: ((progress: WarmProgress) => void) | undefined;
}

/** The outcome of one date: never a rejection. */
type DateOutcome = { ok: true; cached: number; skipped: number } | { ok: false; error: unknown };

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Checks every option and key before anything is sent.
 * @throws ValidationError listing every bad option by name; InvalidKeyError for a bad symbol or date.
 */
function checkWarmOptions(options: WarmOptions): Plan {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('warm options', [{ path: '', message: 'must be an object' }]);
  }
  const issues: ValidationIssue[] = [];
  const { symbols, dates, compute, concurrency, timeoutMs, signal, onProgress } = options;
  if (!Array.isArray(symbols)) issues.push({ path: 'symbols', message: 'must be an array of symbols' });
  if (!Array.isArray(dates)) issues.push({ path: 'dates', message: 'must be an array of YYYY-MM-DD dates' });
  if (typeof compute !== 'function') issues.push({ path: 'compute', message: 'must be a function (date, symbols, signal) => vectors' });
  if (concurrency !== undefined && (!Number.isSafeInteger(concurrency) || concurrency < 1)) {
    issues.push({ path: 'concurrency', message: `must be an integer >= 1, got ${String(concurrency)}` });
  }
  if (timeoutMs !== undefined && (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS)) {
    issues.push({ path: 'timeoutMs', message: `must be an integer from 1 to ${MAX_TIMEOUT_MS}, got ${String(timeoutMs)}` });
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) issues.push({ path: 'signal', message: 'must be an AbortSignal' });
  if (onProgress !== undefined && typeof onProgress !== 'function') issues.push({ path: 'onProgress', message: 'must be a function' });
  if (issues.length > 0) throw new ValidationError('warm options', issues);
  for (const symbol of symbols) validateSymbol(symbol);
  for (const date of dates) validateDate(date);
  return {
    symbols: unique(symbols),
    dates: unique(dates),
    compute,
    concurrency: concurrency ?? WARM_DEFAULTS.concurrency,
    timeoutMs,
    signal,
    onProgress,
  };
}

/** One date: one `getManyOrCompute`, whose compute (if any symbol is missing) is this warm's. */
async function warmDate(target: WarmTarget, plan: Plan, date: string, stop: AbortSignal): Promise<DateOutcome> {
  let computed = 0;
  let written = 0;
  try {
    await target.getManyOrCompute(
      plan.symbols,
      date,
      (missing) => {
        computed = missing.length;
        return plan.compute(date, missing, stop);
      },
      (count) => (written = count),
    );
    // A vector computed for a key holding another writer's value is not written: neither cached nor skipped.
    return { ok: true, cached: written, skipped: plan.symbols.length - computed };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs a warm over `target` (see `FeatureCache.warm`). Resolves with the report once every date
 * settled, or at once when the timeout or the abort stops it: dates not started are not
 * attempted, dates in flight count as failed and finish in the background (their writes still
 * land, readers that joined them get their vectors), and nothing they do changes the report.
 * Never rejects for a failed computation.
 * @throws ValidationError for bad options; InvalidKeyError for a bad symbol or date (both before anything is sent).
 */
export async function warmCache(target: WarmTarget, options: WarmOptions, log: Logger): Promise<WarmReport> {
  const plan = checkWarmOptions(options);
  const report: WarmReport = { datesAttempted: 0, datesSucceeded: 0, datesFailed: 0, cached: 0, skipped: 0, stopped: null };
  // As upstream: no symbols (or no dates) is nothing to attempt.
  if (plan.symbols.length === 0 || plan.dates.length === 0) return report;
  if (plan.signal?.aborted === true) {
    report.stopped = 'abort';
    return report;
  }
  log.info({ symbols: plan.symbols.length, dates: plan.dates.length, concurrency: plan.concurrency }, 'warming feature cache');
  return new Promise<WarmReport>((resolve) => {
    const stop = new AbortController();
    const inFlight = new Set<string>();
    let next = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;

    const progress = (date: string, outcome: DateOutcome): void => {
      if (outcome.ok) {
        report.datesSucceeded++;
        report.cached += outcome.cached;
        report.skipped += outcome.skipped;
      } else {
        report.datesFailed++;
        log.warn({ date, err: errorMessage(outcome.error) }, 'feature warm: date failed');
      }
      if (plan.onProgress === undefined) return;
      const datesDone = report.datesSucceeded + report.datesFailed;
      const base = { date, datesDone, datesTotal: plan.dates.length };
      try {
        plan.onProgress(
          outcome.ok ? { ...base, status: 'succeeded', cached: outcome.cached, skipped: outcome.skipped } : { ...base, status: 'failed', cached: 0, skipped: 0, error: outcome.error },
        );
      } catch (err) {
        log.warn({ date, err: errorMessage(err) }, 'feature warm: onProgress threw; ignored');
      }
    };

    const finish = (stopped: WarmReport['stopped'], reason?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      plan.signal?.removeEventListener('abort', onAbort);
      report.stopped = stopped;
      if (stopped !== null) {
        for (const date of inFlight) progress(date, { ok: false, error: reason });
        inFlight.clear();
        stop.abort(reason);
      }
      log.info({ ...report }, stopped === null ? 'feature cache warmed' : `feature warm stopped (${stopped})`);
      resolve(report);
    };

    const fill = (): void => {
      while (!done && inFlight.size < plan.concurrency && next < plan.dates.length) {
        const date = plan.dates[next++] as string;
        inFlight.add(date);
        report.datesAttempted++;
        void warmDate(target, plan, date, stop.signal).then((outcome) => {
          if (done) return;
          inFlight.delete(date);
          progress(date, outcome);
          fill();
        });
      }
      if (!done && inFlight.size === 0 && next >= plan.dates.length) finish(null);
    };

    function onAbort(): void {
      finish('abort', plan.signal?.reason);
    }

    plan.signal?.addEventListener('abort', onAbort, { once: true });
    if (plan.timeoutMs !== undefined) {
      const ms = plan.timeoutMs;
      timer = setTimeout(() => finish('timeout', deadlineError('FeatureCache.warm', ms)), ms);
    }
    fill();
  });
}
