/**
 * Parsing of the examples' own environment variables. A bad value throws the SDK's
 * `ConfigError` naming the variable, so start-up stops with a message that says what to fix.
 */
import { ConfigError } from '@trading-platform/redis-client';
import { dateProblem } from './dates.js';

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

function configError(name: string, message: string): ConfigError {
  return new ConfigError(`${name} ${message}`, { context: { variable: name } });
}

/** An integer variable in `[min, max]`, or `fallback` when unset or empty. @throws ConfigError */
export function intVar(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw configError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A positive finite number variable, or `fallback` when unset or empty. @throws ConfigError */
export function positiveNumberVar(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw configError(name, `must be a number > 0, got "${raw}"`);
  return value;
}

/** A string variable, or `fallback` when unset or empty. */
export function stringVar(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? fallback : raw;
}

/** An `http(s)://` URL variable without a trailing slash. @throws ConfigError */
export function urlVar(env: Env, name: string, fallback: string): string {
  const raw = stringVar(env, name, fallback);
  if (!/^https?:\/\/[^\s/]+/.test(raw)) throw configError(name, `must be an http:// or https:// URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** A comma-separated list variable (upper-cased, trimmed, no empties), or `fallback`. @throws ConfigError */
export function listVar(env: Env, name: string, fallback: readonly string[]): string[] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return [...fallback];
  const items = raw.split(',').map((s) => s.trim().toUpperCase());
  if (items.some((s) => s === '')) throw configError(name, `must be a comma-separated list without empty items, got "${raw}"`);
  return items;
}

/**
 * A `YYYY-MM-DD` variable naming a real calendar day by the SDK's `IsoDateSchema`, or `undefined`
 * when unset or empty. @throws ConfigError
 */
export function dateVar(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const problem = dateProblem(raw);
  if (problem !== undefined) throw configError(name, problem);
  return raw;
}

const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/**
 * A boolean variable as pydantic reads upstream's settings (`true`/`false`, `1`/`0`, `yes`/`no`,
 * `on`/`off`, `t`/`f`, `y`/`n`, any case), or `fallback` when unset or empty. @throws ConfigError
 */
export function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const lower = raw.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw configError(name, `must be true or false (or 1/0, yes/no, on/off), got "${raw}"`);
}
