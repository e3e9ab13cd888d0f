import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './ports.js';
import type { FindFreePortOptions } from './ports.js';
import { trackProcess, untrackProcess } from './process-registry.js';
import { RespError, parseInfo, sendCommand } from './resp.js';
import type { RespTlsOptions, RespValue } from './resp.js';
import { exitOf, logTail, waitForExit } from './server-process.js';

/** TLS files for a TLS-only server (see `startTlsRedisServer` for the usual entry point). */
export interface ServerTlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
  /** `--tls-auth-clients`. @default 'optional' */
  authClients?: 'yes' | 'no' | 'optional';
  /** Client certificate/key files presented by `cli()` and the readiness probe. */
  clientCertFile?: string;
  clientKeyFile?: string;
  /** PEM material for the readiness probe and `command()`. */
  probe: RespTlsOptions;
}

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Fixed port (no retry on EADDRINUSE). @default a random free port in 20000-55535 */
  port?: number;
  /** Constraints for the random port (cluster nodes need port + 10000 free too). */
  portSearch?: FindFreePortOptions;
  /** Persist with AOF. @default false (`--save '' --appendonly no`) */
  appendonly?: boolean;
  /** `--appendfsync` when `appendonly` is set. @default 'always' */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** `--requirepass`; `cli()`, `command()` and the readiness probe authenticate with it. */
  password?: string;
  /** Extra `redis-server` arguments, appended last (e.g. `['--notify-keyspace-events', 'KEA']`). */
  args?: readonly string[];
  /** Contents of a config file written to the server's dir and passed first. */
  config?: string;
  /** Run as a Sentinel (`redis-server <config> --sentinel`); requires `config`. */
  sentinel?: boolean;
  /** Serve TLS only on the chosen port (plain port disabled). */
  tls?: ServerTlsFiles;
  /** How long to wait for the first PONG. @default 30000 */
  readyTimeoutMs?: number;
}

/** A throw-away `redis-server` process owned by the test that started it. */
export interface RedisServerHandle {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (or `rediss://localhost:<port>` for TLS); no credentials. */
  readonly url: string;
  /** Pid of the current process (changes on `restart()`). */
  readonly pid: number;
  /** Temp dir holding config, log and data; removed by `stop()`. */
  readonly dir: string;
  readonly password: string | undefined;
  /** Graceful SIGTERM (SIGKILL after 5 s), waits for exit, removes `dir`. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit; `dir` and data stay for `restart()`. */
  kill(): Promise<void>;
  /** SIGSTOP: the port stays open but nothing answers. */
  freeze(): void;
  /** SIGCONT after `freeze()`. */
  thaw(): void;
  /** Stops the process if still running, starts it again on the same port and dir, waits ready. */
  restart(): Promise<void>;
  /** Runs `redis-cli` against this server (auth/TLS included) and returns its trimmed stdout. */
  cli(...args: string[]): Promise<string>;
  /** Sends one command over a fresh raw connection and returns the decoded reply. */
  command(...args: string[]): Promise<RespValue>;
  /** Last `lines` lines of the server log. */
  logTail(lines?: number): string;
}

const STOP_GRACE_MS = 5000;

class RedisServer implements RedisServerHandle {
  readonly host = '127.0.0.1';
  readonly password: string | undefined;
  readonly dir: string;
  private child: ChildProcess | undefined;
  private stopped = false;

  constructor(
    readonly port: number,
    private readonly options: RedisServerOptions,
  ) {
    this.password = options.password;
    this.dir = mkdtempSync(path.join(os.tmpdir(), options.sentinel ? 'redis-sentinel-' : 'redis-harness-'));
  }

  get url(): string {
    return this.options.tls ? `rediss://localhost:${this.port}` : `redis://${this.host}:${this.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  private get logFile(): string {
    return path.join(this.dir, 'redis.log');
  }

  private buildArgs(): string[] {
    const o = this.options;
    const args: string[] = [];
    if (o.config !== undefined) {
      const file = path.join(this.dir, o.sentinel ? 'sentinel.conf' : 'redis.conf');
      writeFileSync(file, o.config);
      args.push(file);
    }
    const portArgs = o.tls ? ['--port', '0', '--tls-port', String(this.port)] : ['--port', String(this.port)];
    args.push(...portArgs, '--bind', this.host, '--dir', this.dir, '--logfile', this.logFile, '--daemonize', 'no');
    if (!o.sentinel) {
      args.push('--save', '', '--appendonly', o.appendonly ? 'yes' : 'no', '--shutdown-timeout', '0');
      if (o.appendonly) args.push('--appendfsync', o.appendfsync ?? 'always');
    }
    if (o.tls) {
      args.push('--tls-cert-file', o.tls.certFile, '--tls-key-file', o.tls.keyFile);
      args.push('--tls-ca-cert-file', o.tls.caFile, '--tls-auth-clients', o.tls.authClients ?? 'optional');
    }
    if (o.password !== undefined) args.push('--requirepass', o.password);
    args.push(...(o.args ?? []));
    if (o.sentinel) args.push('--sentinel');
    return args;
  }

  /** Spawns the process and waits until it answers PING (or fails with the log tail). */
  async launch(): Promise<void> {
    const child = spawn('redis-server', this.buildArgs(), { stdio: ['ignore', 'pipe', 'pipe'] });
    const early: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => early.push(b));
    child.stderr?.on('data', (b: Buffer) => early.push(b));
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    child.unref();
    // The pipes are sockets; unref them so a forgotten server never holds the test process open.
    for (const stream of [child.stdout, child.stderr]) (stream as Partial<Pick<Socket, 'unref'>> | null)?.unref?.();
    this.child = child;
    if (child.pid === undefined) throw await spawnError;
    trackProcess(child.pid, this.dir);
    child.once('exit', () => child.pid !== undefined && untrackProcess(child.pid));
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 30_000);
    for (;;) {
      const exit = exitOf(child);
      if (exit !== undefined) {
        const output = Buffer.concat(early).toString('utf8').trim();
        throw new ServerStartError(this.port, `exited with ${exit} before becoming ready`, output, this.logTail(30));
      }
      // INFO's process_id proves the answer comes from our child, not from whoever holds the port.
      const ready = await this.command('INFO', 'server').then(
        (r) =>
          typeof r === 'string'
            ? parseInfo(r)['process_id'] === String(child.pid)
            : r instanceof RespError && !r.message.startsWith('LOADING') && exitOf(child) === undefined,
        () => false,
      );
      if (ready) return;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_GRACE_MS);
        throw new ServerStartError(this.port, 'did not answer PING in time', '', this.logTail(30));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  logTail(lines = 20): string {
    return logTail(this.logFile, lines);
  }

  command(...args: string[]): Promise<RespValue> {
    return sendCommand(this.host, this.port, args, {
      timeoutMs: 2000,
      ...(this.password !== undefined ? { password: this.password } : {}),
      ...(this.options.tls ? { tls: this.options.tls.probe } : {}),
    });
  }

  cli(...args: string[]): Promise<string> {
    const base = ['-h', this.host, '-p', String(this.port)];
    if (this.password !== undefined) base.push('--no-auth-warning', '-a', this.password);
    const t = this.options.tls;
    if (t) {
      base.push('--tls', '--cacert', t.caFile);
      if (t.clientCertFile && t.clientKeyFile) base.push('--cert', t.clientCertFile, '--key', t.clientKeyFile);
    }
    return new Promise((resolve, reject) => {
      execFile('redis-cli', [...base, ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`redis-cli ${args.join(' ')} failed on port ${this.port}: ${stderr || err.message}`));
        else resolve(stdout.trim());
      });
    });
  }

  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || exitOf(child) !== undefined) return;
    child.kill('SIGKILL');
    await waitForExit(child, STOP_GRACE_MS);
  }

  /** Terminates the process gracefully (SIGTERM, then SIGKILL), keeping the dir. */
  private async terminate(): Promise<void> {
    const child = this.child;
    if (!child || exitOf(child) !== undefined) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_GRACE_MS))) await this.kill();
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error(`server on port ${this.port} was stopped; restart() needs kill() instead`);
    await this.terminate();
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.terminate();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Thrown when a server exits or stays silent during start-up; carries the log tail. */
export class ServerStartError extends Error {
  /** True when the port was taken between the free-port check and the bind. */
  readonly addressInUse: boolean;

  constructor(port: number, what: string, output: string, log: string) {
    super(`redis-server on port ${port} ${what}.\n--- output ---\n${output}\n--- log tail ---\n${log}`);
    this.name = 'ServerStartError';
    this.addressInUse = /address already in use/i.test(output + log);
  }
}

/**
 * Starts a throw-away `redis-server` on a free 127.0.0.1 port in a fresh temp dir and waits
 * until it answers PING. Retries on a new port when the chosen one was taken meanwhile.
 * Every spawned pid is tracked and SIGKILLed if the test process exits without stopping it.
 *
 * @example
 * const server = await startRedisServer({ appendonly: true });
 * await server.cli('SET', 'k', 'v');
 * await server.kill();
 * await server.restart();
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(options.portSearch));
    const server = new RedisServer(port, options);
    try {
      await server.launch();
      return server;
    } catch (err) {
      rmSync(server.dir, { recursive: true, force: true });
      const retry = err instanceof ServerStartError && err.addressInUse && options.port === undefined;
      if (!retry || attempt >= 5) throw err;
    }
  }
}
