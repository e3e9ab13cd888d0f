/** Shared set-up for the FeatureCache integration tests: fixtures, raw clients, commandstats. */
import { createClient, RESP_TYPES } from 'redis';
import { expect } from 'vitest';
import type { Features } from '../../../src/index.js';
import { parseInfo, type RedisServerHandle } from '../index.js';

// The wire fixtures are read one way for the codec unit tests and these integration tests.
export { alpha158Names, fixtureBytes } from './codecs.js';

function makePlain(url: string) {
  return createClient({ url, socket: { reconnectStrategy: 50 } });
}

/** A plain node-redis client (another process, as far as the SDK can tell). */
export type PlainClient = ReturnType<typeof makePlain>;

/** Connects a plain node-redis client; errors are swallowed so a stopped server never crashes the run. */
export async function plainClient(url: string): Promise<PlainClient> {
  const client = makePlain(url);
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** `GET key` as raw bytes through a plain client. */
export function getRaw(client: PlainClient, key: string): Promise<Buffer | null> {
  return client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(key);
}

/** A value's identity as text, `-0` apart from `0`. */
function tag(value: number | undefined): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Asserts same names in the same order and every value equal by `Object.is`. */
export function expectSameFeatures(actual: Features | null | undefined, expected: Features): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  const a = actual as Features;
  expect(Object.keys(a)).toEqual(Object.keys(expected));
  expect(Object.keys(a).map((k) => tag(a[k]))).toEqual(Object.keys(expected).map((k) => tag(expected[k])));
  for (const k of Object.keys(expected)) expect(Object.is(a[k], expected[k]), k).toBe(true);
}

/** `calls` per command from `INFO commandstats` (`{ mget: 3, set: 10 }`). */
export async function commandCalls(server: RedisServerHandle): Promise<Record<string, number>> {
  const info = parseInfo(await server.command('INFO', 'commandstats'));
  const out: Record<string, number> = {};
  for (const [field, value] of Object.entries(info)) {
    if (!field.startsWith('cmdstat_')) continue;
    const calls = /calls=(\d+)/.exec(value);
    if (calls) out[field.slice('cmdstat_'.length)] = Number(calls[1]);
  }
  return out;
}

/** Calls of each command between two snapshots, dropping zeros and the given commands. */
export function callDelta(before: Record<string, number>, after: Record<string, number>, ignore: readonly string[] = ['info', 'ping']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after)) {
    const delta = calls - (before[name] ?? 0);
    if (delta !== 0 && !ignore.includes(name)) out[name] = delta;
  }
  return out;
}

/** A vector of `n` features named `f0..f{n-1}` with values derived from `seed`. */
export function vector(seed: number, n = 8): Features {
  const out: Features = {};
  for (let i = 0; i < n; i++) out[`f${i}`] = seed + i / 8;
  return out;
}
