/** Runs a client's backend operations under its deadlines, with error mapping and retries, traced on `trading-platform:client:command`. */
import { commandsUntraced, dc, traced, tracedFully, traceRejected, traceResolved, traceSettling } from '../diagnostics/channels.js';
import type { ClientCommandContext } from '../diagnostics/payloads.js';
import { RedisClosedError, RedisUnavailableError, type RedisSdkError } from '../internal/errors.js';
import type { Backend } from './backend.js';
import { isRetryable } from '../internal/retryable.js';
import type { RetryOptions } from './options.js';
import { backoffDelay, sleep } from '../internal/backoff.js';
import { DeadlineScheduler, withDeadline } from '../internal/deadlines.js';

/** What the runner needs to know of its client at each call. */
export interface RunnerState {
  /** The client is closing or closed by its owner. */
  readonly closing: boolean;
  /** Connection status, for error messages. */
  readonly status: string;
  /** The redacted endpoint, for error messages (read when needed). */
  readonly endpoint: string;
  /** The client's `component` option, for diagnostics. */
  readonly component: string;
}

/**
 * Runs backend operations for a {@link RedisClient}: the SDK's own deadline on every call (also
 * covering commands already written to a socket), error mapping, and retries of idempotent
 * operations with full-jitter backoff, every attempt within the one deadline.
 */
export class CommandRunner {
  readonly #backend: Backend;
  readonly #commandTimeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  readonly #state: RunnerState;
  readonly #deadlines = new DeadlineScheduler();

  constructor(backend: Backend, commandTimeoutMs: number, retry: Required<RetryOptions>, state: RunnerState) {
    this.#backend = backend;
    this.#commandTimeoutMs = commandTimeoutMs;
    this.#retry = retry;
    this.#state = state;
  }

  /**
   * Runs one backend operation under the SDK's deadline. Idempotent operations retry
   * connection errors with full-jitter backoff, all attempts within the one deadline.
   * The first attempt on a ready connection is the hot path: no `async` frame, no timer of its
   * own (see {@link DeadlineScheduler}); retries and refusals take `#slow`. While the tracing
   * channel `trading-platform:client:command` has subscribers, the whole call is traced (unless
   * started inside `untracedCommands`).
   */
  run<T>(command: string, fn: (backend: Backend) => Promise<T>, idempotent: boolean, timeoutMs?: number): Promise<T> {
    const tc = dc.clientCommand;
    if (!traced(tc) || commandsUntraced()) return this.#run(command, fn, idempotent, timeoutMs, undefined);
    const context: ClientCommandContext = { command, component: this.#state.component, startedAt: performance.now() };
    if (tracedFully(tc)) return tc.tracePromise(() => this.#run(command, fn, idempotent, timeoutMs, undefined), context);
    return this.#run(command, fn, idempotent, timeoutMs, context);
  }

  /**
   * See {@link run}. With `trace`, the end of the call is published on `client:command` as it
   * settles, from inside this call's own promise (no promise added on the hot path).
   */
  #run<T>(command: string, fn: (backend: Backend) => Promise<T>, idempotent: boolean, timeoutMs: number | undefined, trace: ClientCommandContext | undefined): Promise<T> {
    const ms = timeoutMs ?? this.#commandTimeoutMs;
    // A traced call's start is the clock read its deadline counts from too.
    const deadline = (trace?.startedAt ?? performance.now()) + ms;
    if (this.#state.closing || !this.#backend.isReady()) {
      const slow = this.#slow(command, fn, idempotent, deadline, 1);
      return trace ? traceSettling(dc.clientCommand, trace, slow) : slow;
    }
    return new Promise<T>((resolveCall, rejectCall) => {
      // The trace ends once: the deadline may reject the call before its reply comes.
      let tracing = trace !== undefined;
      const reject =
        trace === undefined
          ? rejectCall
          : (err: Error): void => {
              if (tracing) traceRejected(dc.clientCommand, trace, err);
              tracing = false;
              rejectCall(err);
            };
      const entry = this.#deadlines.track(deadline, ms, command, reject);
      let work: Promise<T>;
      try {
        work = fn(this.#backend);
      } catch (err) {
        work = Promise.reject(err as Error);
      }
      work.then(
        (value) => {
          this.#deadlines.settle(entry);
          if (tracing) traceResolved(dc.clientCommand, trace as ClientCommandContext, value);
          tracing = false;
          resolveCall(value);
        },
        (err: unknown) => {
          this.#deadlines.settle(entry);
          const error = this.#backend.mapError(err, command, 'command');
          const retry = this.#retry;
          const wait = backoffDelay(0, retry.baseDelayMs, retry.maxDelayMs);
          if (!idempotent || !isRetryable(error) || retry.attempts <= 1 || performance.now() + wait >= deadline) reject(error);
          else {
            const retried = sleep(wait).then(() => this.#slow(command, fn, idempotent, deadline, 2));
            resolveCall(tracing ? traceSettling(dc.clientCommand, trace as ClientCommandContext, retried) : retried);
            tracing = false;
          }
        },
      );
    });
  }

  /** The retry loop of {@link run}, from `firstAttempt` on, within the same `deadline`. */
  async #slow<T>(command: string, fn: (backend: Backend) => Promise<T>, idempotent: boolean, deadline: number, firstAttempt: number): Promise<T> {
    const retry = this.#retry;
    for (let attempt = firstAttempt; ; attempt++) {
      let error: RedisSdkError;
      if (this.#state.closing) {
        throw new RedisClosedError(`${command} refused: the client is closed`, { context: { command } });
      }
      if (this.#backend.isReady()) {
        const remaining = Math.max(1, Math.ceil(deadline - performance.now()));
        try {
          return await withDeadline(fn(this.#backend), remaining, command);
        } catch (err) {
          error = this.#backend.mapError(err, command, 'command');
        }
      } else {
        error = new RedisUnavailableError(`${command} refused: Redis is ${this.#state.status} (${this.#state.endpoint})`, {
          context: { command, status: this.#state.status },
        });
      }
      const wait = backoffDelay(attempt - 1, retry.baseDelayMs, retry.maxDelayMs);
      if (!idempotent || !isRetryable(error) || attempt >= retry.attempts || performance.now() + wait >= deadline) throw error;
      await sleep(wait);
    }
  }
}
