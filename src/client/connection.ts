/** A client's connection life cycle: its status, connecting in the foreground or background, its own reconnect policy, close and destroy. */
import { dc } from '../diagnostics/channels.js';
import { trackLive, type LiveClient } from '../diagnostics/live.js';
import { backoffDelay } from '../internal/backoff.js';
import { withDeadline } from '../internal/deadlines.js';
import { RedisConnectionError, type RedisSdkError } from '../internal/errors.js';
import type { Logger } from '../internal/logger.js';
import type { Backend, BackendFactory } from './backend.js';
import type { RunnerState } from './command-runner.js';
import type { ResolvedClientOptions } from './options.js';

/** Connection status. `closed` before `connect()` and after `close()`/`destroy()`. */
export type ClientStatus = 'connecting' | 'ready' | 'reconnecting' | 'closed';

/** What the connection tells its `RedisClient`. */
export interface ConnectionHooks {
  /** The status changed. */
  status(status: ClientStatus): void;
  /** A connection-level error, already mapped to an SDK error (and logged). */
  error(error: RedisSdkError): void;
}

type Mode = 'foreground' | 'background';

/**
 * One client's connection: it builds the backend with its own reconnect policy (so a duplicated
 * connection never follows another client's state), tracks the status from the backend's
 * signals, and bounds connect and close by their deadlines.
 */
export class Connection implements RunnerState {
  readonly backend: Backend;
  readonly #options: ResolvedClientOptions;
  readonly #log: Logger;
  readonly #hooks: ConnectionHooks;
  readonly #readyWaiters = new Set<() => void>();
  #status: ClientStatus = 'closed';
  #mode: Mode = 'foreground';
  #everReady = false;
  #closing = false;
  #connecting: Promise<void> | undefined;
  /** The SDK's policy scheduled the attempt the backend's next `reconnecting` signal announces (and published it). */
  #policyScheduled = false;
  /** Attempts announced by the backend alone (a user's reconnect strategy) since the last `ready`. */
  #attempts = 0;
  /** `performance.now()` of the backend's last error: an attempt it announces alone waited since then. */
  #failedAt: number | undefined;

  constructor(factory: BackendFactory, options: ResolvedClientOptions, log: Logger, hooks: ConnectionHooks) {
    this.#options = options;
    this.#log = log;
    this.#hooks = hooks;
    this.backend = factory((retries, cause) => this.#reconnectPolicy(retries, cause));
    this.backend.onSignal((s) => {
      if (s.type === 'ready') this.#onReady();
      else if (s.type === 'reconnecting') this.#onReconnecting();
      else if (s.type === 'error') this.#onBackendError(s.error);
      else if (!this.#closing && this.#status !== 'closed') this.#setStatus('reconnecting');
    });
    // A wrapped client that is already connected is ready from the start.
    if (this.backend.isReady()) this.#onReady();
    trackLive(this, readLive);
  }

  /** The client's `component` option, for diagnostics. */
  get component(): string {
    return this.#options.component;
  }

  get status(): ClientStatus {
    return this.#status;
  }

  /** True from `close()`/`destroy()` until the next connect. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Where the backend connects, for messages. */
  get endpoint(): string {
    return this.backend.endpoint;
  }

  get isReady(): boolean {
    return this.#status === 'ready' && this.backend.isReady();
  }

  /** Connects and resolves when ready; see `RedisClient.connect`. */
  connect(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    if (this.#status === 'reconnecting' || (this.#status === 'connecting' && this.#mode === 'background')) {
      return this.#awaitReady();
    }
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  /** Already (re)connecting on its own: wait for `ready` within the connect deadline, changing nothing. */
  async #awaitReady(): Promise<void> {
    const ms = this.#options.connectTimeoutMs;
    let resolveReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      resolveReady = resolve;
      this.#readyWaiters.add(resolve);
    });
    try {
      await withDeadline(ready, ms, 'connect');
    } catch (err) {
      throw new RedisConnectionError(`Could not connect to ${this.backend.endpoint}: still ${this.#status} after ${ms} ms`, {
        cause: err,
        context: { endpoint: this.backend.endpoint, connectTimeoutMs: ms },
      });
    } finally {
      this.#readyWaiters.delete(resolveReady);
    }
  }

  async #connect(): Promise<void> {
    this.#closing = false;
    this.#mode = 'foreground';
    this.#setStatus('connecting');
    const ms = this.#options.connectTimeoutMs;
    try {
      await withDeadline(this.backend.connect(), ms, 'connect');
      if (this.backend.isReady()) this.#onReady();
    } catch (err) {
      this.backend.destroy();
      this.#setStatus('closed');
      const cause = this.backend.mapError(err, 'connect', 'connect');
      throw new RedisConnectionError(`Could not connect to ${this.backend.endpoint}: ${cause.message}`, {
        cause: err,
        context: { endpoint: this.backend.endpoint, connectTimeoutMs: ms },
      });
    }
  }

  /** Starts connecting without waiting and retries until connected or closed; see `RedisClient.connectInBackground`. */
  connectInBackground(): void {
    if (this.#status !== 'closed') return;
    this.#closing = false;
    this.#mode = 'background';
    this.#setStatus('connecting');
    this.backend.connect().catch((err: unknown) => {
      if (!this.#closing) this.#log.warn({ err: this.backend.mapError(err, 'connect', 'command').message }, 'background connect stopped');
    });
  }

  /**
   * This connection's own decision per failed (re)connection attempt: give up once closing, or
   * on a foreground connect that never succeeded (it fails fast); otherwise back off and retry.
   */
  #reconnectPolicy(retries: number, cause: Error): number | Error {
    if (this.#closing) return cause;
    if (!this.#everReady && this.#mode === 'foreground') return cause;
    const delay = Math.max(1, backoffDelay(retries, this.#options.reconnect.baseDelayMs, this.#options.reconnect.maxDelayMs));
    this.#log.warn({ retries, delayMs: delay, reason: cause.message }, 'reconnecting to Redis');
    this.#policyScheduled = true;
    if (dc.clientReconnect.hasSubscribers) dc.clientReconnect.publish({ component: this.#options.component, attempt: retries + 1, delayMs: delay });
    return delay;
  }

  /**
   * The backend is about to try again. The SDK's policy published the attempt when it scheduled
   * it; a client the user made (and its duplicates) reconnects by the user's strategy, which the
   * SDK never sees: the attempt is published from this signal, its wait measured since the failure.
   */
  #onReconnecting(): void {
    if (this.#policyScheduled) this.#policyScheduled = false;
    else {
      this.#attempts += 1;
      if (dc.clientReconnect.hasSubscribers) {
        const delayMs = this.#failedAt === undefined ? 0 : Math.max(0, Math.round(performance.now() - this.#failedAt));
        dc.clientReconnect.publish({ component: this.#options.component, attempt: this.#attempts, delayMs });
      }
    }
    this.#setStatus('reconnecting');
  }

  #onReady(): void {
    this.#attempts = 0;
    this.#policyScheduled = false;
    this.#everReady = true;
    this.#setStatus('ready');
    for (const resolve of this.#readyWaiters) resolve();
  }

  #onBackendError(error: unknown): void {
    this.#failedAt = performance.now();
    const mapped = this.backend.mapError(error, 'connection', 'command');
    this.#log.warn({ err: mapped.message }, 'Redis connection error');
    this.#hooks.error(mapped);
  }

  #setStatus(status: ClientStatus): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    if (dc.clientStatus.hasSubscribers) dc.clientStatus.publish({ component: this.#options.component, status, previous });
    this.#hooks.status(status);
  }

  /** Graceful close within `commandTimeoutMs`, destroying what does not finish; see `RedisClient.close`. */
  async close(): Promise<void> {
    if (this.#status === 'closed' && !this.#connecting) return;
    this.#closing = true;
    try {
      await withDeadline(this.backend.close(), this.#options.commandTimeoutMs, 'close');
    } catch (err) {
      this.#log.debug({ err: this.backend.mapError(err, 'close', 'command').message }, 'close did not finish in time; destroying');
      this.backend.destroy();
    }
    this.#setStatus('closed');
  }

  /** Immediate close: pending commands reject at once. */
  destroy(): void {
    this.#closing = true;
    this.backend.destroy();
    this.#setStatus('closed');
  }
}

/** What a connection reports at scrape time: its status, unless closed (not a connection then). */
function readLive(connection: Connection): LiveClient | undefined {
  const status = connection.status;
  return status === 'closed' ? undefined : { kind: 'client', component: connection.component, status };
}
