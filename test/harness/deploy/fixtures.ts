/** Shared helpers of the deployment tests (cluster, sentinel, TLS, ACL) and the fault suite. */
import { createHash } from 'node:crypto';
import type { Features, NodeAddress } from '../../../src/index.js';

/** `{ host, port }` of harness servers, as `cluster.rootNodes` / `sentinel.sentinels` take them. */
export function nodeAddresses(nodes: ReadonlyArray<{ host: string; port: number }>): NodeAddress[] {
  return nodes.map((n) => ({ host: n.host, port: n.port }));
}

/**
 * `n` distinct valid ticker-like symbols. They differ in every character (a hash of the index),
 * because keys that differ only in a trailing counter hash to a narrow band of cluster slots.
 */
export function symbols(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `S${createHash('sha1').update(String(i)).digest('hex').slice(0, 6).toUpperCase()}`);
}

/** A small feature vector derived from `seed`, distinct per seed. */
export function vectorFor(seed: number): Features {
  return { alpha: seed, beta: seed / 4, gamma: -seed - 0.5 };
}
