/**
 * The P&L service in a process of its own for bench/pnl.mjs (forked with an IPC channel), so its
 * CPU and memory are measured apart from the feed and the SSE clients: it builds the bundled
 * service (`buildPnlService`, durable positions from the stream), listens on a free port, and
 * answers `usage` messages with `process.cpuUsage()` and `process.memoryUsage()` (after a full GC
 * when asked and `--expose-gc` is on).
 *
 * argv: <bundle dir> <redis url> <stream prefix>
 */
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { EventStream, RedisClient } from '@trading-platform/redis-client';

const [bundle, url, streamPrefix] = process.argv.slice(2);
const { buildPnlService } = await import(pathToFileURL(path.join(bundle, 'pnl-app.js')).href);
const redis = await RedisClient.connect({ url });
const service = await buildPnlService({
  redis,
  durable: { stream: new EventStream(redis, { keyPrefix: streamPrefix }), group: 'pnl-bench', consumer: `pnl-bench-${process.pid}` },
});
const address = await service.listen({ port: 0, host: '127.0.0.1' });

process.on('message', async (message) => {
  if (message.type === 'usage') {
    if (message.gc && typeof globalThis.gc === 'function') globalThis.gc();
    process.send({ type: 'usage', id: message.id, cpu: process.cpuUsage(), memory: process.memoryUsage(), sse: service.sseStats() });
  } else if (message.type === 'stop') {
    await service.close();
    process.send({ type: 'stopped' });
    process.exit(0);
  }
});
process.send({ type: 'ready', url: address });
