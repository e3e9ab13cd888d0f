/** One in-memory Redis server (ioredis-mock): its keyspace, its pub/sub, and the backends of its clients. */
import { EventEmitter } from 'node:events';
import RedisMock from 'ioredis-mock';
import type { BackendFactory } from '../../client/backend.js';
import { EmbeddedBackend, type EmbeddedHub, type IoredisLike } from './backend.js';

let serverCount = 0;

/** A fresh, empty in-memory server: its unique id and the backend factory of its clients. */
export function embeddedServer(): { id: string; backends: BackendFactory } {
  serverCount += 1;
  const id = `embedded-${process.pid}-${serverCount}`;
  // ioredis-mock keeps one keyspace per host:port, so a unique host isolates this server.
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const hub: EmbeddedHub = {
    connect: () => new RedisMock({ host: id, port: 6379, lazyConnect: false }) as unknown as IoredisLike,
    changes,
  };
  // In-process connections never drop, so there is no reconnect policy to follow.
  return { id, backends: () => new EmbeddedBackend(hub) };
}
