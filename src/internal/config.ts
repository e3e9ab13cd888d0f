/** Option validation shared by every component: one integer-option check, one error text. */
import { ConfigError } from './errors.js';

/** Inclusive bounds of an integer option. */
export interface IntegerBounds {
  /** @default 1 */
  min?: number;
  /** @default Number.MAX_SAFE_INTEGER */
  max?: number;
}

/**
 * Validates one integer option, shared by every component's option resolution: `fallback` when
 * the value is `undefined`, the value when it is a safe integer within the bounds, otherwise a
 * {@link ConfigError} naming the option (`context.option`) and the allowed range.
 */
export function integerOption(value: number | undefined, fallback: number, name: string, bounds: IntegerBounds = {}): number {
  if (value === undefined) return fallback;
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`Option ${name} must be an integer ${range}, got ${String(value)}`, { context: { option: name } });
  }
  return value;
}

/**
 * Reads an option renamed under the SDK's naming convention, whose old name stays a deprecated
 * alias for one minor version: the current name wins when both are given. Returns the value and
 * the name the caller used, so an error names what the caller wrote.
 */
export function renamedOption<T>(
  current: T | undefined,
  currentName: string,
  deprecated: T | undefined,
  deprecatedName: string,
): readonly [value: T | undefined, name: string] {
  return current === undefined && deprecated !== undefined ? [deprecated, deprecatedName] : [current, currentName];
}
