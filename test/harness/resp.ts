import net from 'node:net';
import tls from 'node:tls';

/** A decoded RESP2 reply: simple/bulk strings, integers, nil, errors and nested arrays. */
export type RespValue = string | number | null | RespError | RespValue[];

/** An error reply (`-ERR ...`) returned by the server, kept as a value rather than thrown. */
export class RespError {
  /** @param message the error line without the leading `-`. */
  constructor(readonly message: string) {}
}

/** TLS settings for {@link sendCommand}; PEM strings. */
export interface RespTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
}

/** Options for {@link sendCommand}. */
export interface SendCommandOptions {
  /** Give up (reject) after this long. @default 2000 */
  timeoutMs?: number;
  /** Send `AUTH <password>` first. */
  password?: string;
  /** Connect over TLS with these settings. */
  tls?: RespTlsOptions;
}

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

/**
 * Parses one RESP2 value from `buf` at `offset`.
 * Returns the value and the offset after it, or `undefined` when more bytes are needed.
 */
export function parseResp(buf: Buffer, offset = 0): { value: RespValue; next: number } | undefined {
  const eol = buf.indexOf('\r\n', offset);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[offset] ?? 0);
  const line = buf.toString('utf8', offset + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new RespError(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: after };
      if (buf.length < after + len + 2) return undefined;
      return { value: buf.toString('utf8', after, after + len), next: after + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let cursor = after;
      for (let i = 0; i < count; i++) {
        const item = parseResp(buf, cursor);
        if (!item) return undefined;
        items.push(item.value);
        cursor = item.next;
      }
      return { value: items, next: cursor };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/**
 * Opens a fresh connection, sends one command (after `AUTH` if a password is given), returns its
 * reply and closes. Used by the harness for readiness probes and topology queries, so it never
 * depends on the SDK under test.
 */
export function sendCommand(
  host: string,
  port: number,
  args: readonly string[],
  options: SendCommandOptions = {},
): Promise<RespValue> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const commands: (readonly string[])[] = options.password ? [['AUTH', options.password], args] : [args];
  return new Promise<RespValue>((resolve, reject) => {
    const socket = options.tls
      ? tls.connect({ host, port, ...options.tls })
      : net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const replies: RespValue[] = [];
    const finish = (err: Error | undefined, value?: RespValue): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value ?? null);
    };
    const timer = setTimeout(
      () => finish(new Error(`${args[0] ?? 'command'} to ${host}:${port} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const parsed = parseResp(buf);
        if (!parsed) break;
        replies.push(parsed.value);
        buf = buf.subarray(parsed.next);
      }
      if (replies.length >= commands.length) finish(undefined, replies[replies.length - 1]);
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error(`connection to ${host}:${port} closed before a reply`)));
  });
}

/** Turns a flat `[k1, v1, k2, v2, ...]` reply (SENTINEL MASTER, CONFIG GET) into a record. */
export function pairsToRecord(reply: RespValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** Parses `field:value` lines of an INFO or CLUSTER INFO reply into a record. */
export function parseInfo(text: RespValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== 'string') return out;
  for (const line of text.split(/\r?\n/)) {
    const idx = line.indexOf(':');
    if (idx > 0 && !line.startsWith('#')) out[line.slice(0, idx)] = line.slice(idx + 1).trim();
  }
  return out;
}
