/**
 * The demos' Redis: the embedded in-memory server unless `REDIS_URL` names a real one, one client
 * per component (as separate services would have), the guard that keeps a demo from overwriting
 * a real platform's quotes, and the clean-up of a run's keys.
 */
import { ConfigError, RedisClient } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import { boolVar } from '../lib/env.js';
import type { Env } from '../lib/env.js';

/** Which Redis a demo runs on. */
export type DemoRedis = 'embedded' | 'real';

/** The demo's clients, and on a real server the warning to print before anything is written. */
export interface DemoClients {
  kind: DemoRedis;
  clients: RedisClient[];
  /** On a real server: what the demo will write outside its own prefix (print it at start-up); `null` on the embedded one. */
  warning: string | null;
}

/** The platform's key of the latest quote of `symbol`, which the demos write without a prefix. */
export function priceKey(symbol: string): string {
  return `price:${symbol}`;
}

/**
 * `count` connected clients of one server: the embedded one, or `REDIS_URL`'s. On a real server
 * the demo's quotes of `quotedSymbols` go to the platform's own `price:{symbol}` keys and
 * `price.updated.{symbol}` channels, and the keys are deleted at the end: when one of those keys
 * already exists (a live market-data service's quote, say) this refuses, closing the clients,
 * unless `DEMO_OVERWRITE_PRICES` is true.
 *
 * @throws ConfigError naming the existing keys (and `DEMO_OVERWRITE_PRICES`), or a bad `DEMO_OVERWRITE_PRICES`.
 */
export async function makeClients(env: Env, count: number, quotedSymbols: readonly string[]): Promise<DemoClients> {
  const url = env.REDIS_URL?.trim();
  if (!url) {
    const server = createEmbeddedServer();
    const clients = Array.from({ length: count }, () => server.createClient());
    await Promise.all(clients.map((c) => c.connect()));
    return { kind: 'embedded', clients, warning: null };
  }
  const overwrite = boolVar(env, 'DEMO_OVERWRITE_PRICES', false);
  const clients = await Promise.all(Array.from({ length: count }, () => RedisClient.connect({ url })));
  let existing: string[];
  try {
    existing = await existingKeys(clients[0] as RedisClient, quotedSymbols.map(priceKey));
    if (existing.length > 0 && !overwrite) {
      throw new ConfigError(
        `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} on REDIS_URL: the demo would overwrite ${existing.length === 1 ? 'it' : 'them'} with synthetic quotes ` +
          'and delete the price: keys it wrote at the end. Run the demo on a Redis of its own, or set DEMO_OVERWRITE_PRICES=1 to overwrite anyway',
        { context: { variable: 'DEMO_OVERWRITE_PRICES', keys: existing } },
      );
    }
  } catch (err) {
    await Promise.all(clients.map((c) => c.close()));
    throw err;
  }
  const keys = quotedSymbols.length === 0 ? '' : `${priceKey('{symbol}')} (${quotedSymbols.join(', ')})`;
  const overwritten = existing.length > 0 ? ` DEMO_OVERWRITE_PRICES is set: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} and will be overwritten.` : '';
  const warning =
    keys === ''
      ? null
      : `Warning: synthetic quotes go to the platform's own keys ${keys} and channels price.updated.{symbol}, with no prefix, and those keys are deleted at the end: ` +
        `never run a demo against a Redis that a live market-data service or live consumers use.${overwritten}`;
  return { kind: 'real', clients, warning };
}

/** Which of `keys` exist, whatever their type (one `EXISTS` each, routed by its key on a cluster). */
async function existingKeys(client: RedisClient, keys: readonly string[]): Promise<string[]> {
  const found = await Promise.all(keys.map((key) => client.command(['EXISTS', key], { idempotent: true, key })));
  return keys.filter((_, i) => Number(found[i]) > 0);
}

/** Unlinks every key matching `pattern` (SCAN, never KEYS). */
export async function deleteMatching(client: RedisClient, pattern: string): Promise<void> {
  const keys: string[] = [];
  for await (const key of client.scan({ match: pattern })) keys.push(key);
  if (keys.length > 0) await client.unlink(keys);
}
