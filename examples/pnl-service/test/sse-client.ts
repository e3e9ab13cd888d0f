/** A small Server-Sent Events reader for the P&L stream tests: parses messages, comments and `retry`, and can stop reading (a slow client). */
import { request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** One parsed message. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/** An open stream. */
export interface SseConnection {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Every message so far, in order. */
  readonly messages: SseMessage[];
  /** Comment lines (`: ping`) so far. */
  readonly comments: string[];
  /** The raw text before the first message (the `retry:` line). */
  readonly preamble: string[];
  /** Stops reading the socket (the server's writes back up). */
  pause(): void;
  /** Reads again. */
  resume(): void;
  /** Calls `listener` when the server ends the stream. */
  onEnd(listener: () => void): void;
  close(): void;
}

/** Opens `url` as an event stream with `headers` (e.g. `last-event-id`); resolves once the response headers arrived. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      const messages: SseMessage[] = [];
      const comments: string[] = [];
      const preamble: string[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | undefined;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
            else if (messages.length === 0) preamble.push(line);
          }
          if (data.length > 0) messages.push({ id, event, data: data.join('\n') });
        }
      });
      res.on('error', () => undefined);
      resolve({
        statusCode: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        comments,
        preamble,
        pause: () => void res.pause(),
        resume: () => void res.resume(),
        onEnd: (listener) => void res.once('end', listener),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
