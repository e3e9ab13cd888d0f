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
 * alias for one minor version. Returns the value and the name the caller used, so an error names
 * what the caller wrote. Both names with the same value are fine (e.g. defaults spread under an
 * old name); both with different values is a mistake the SDK will not guess at: `conflict`
 * builds the error (a {@link ConfigError} naming both by default).
 */
export function renamedOption<T>(
  current: T | undefined,
  currentName: string,
  deprecated: T | undefined,
  deprecatedName: string,
  conflict: (message: string, option: string) => Error = (message, option) => new ConfigError(message, { context: { option } }),
): readonly [value: T | undefined, name: string] {
  if (current !== undefined && deprecated !== undefined && !Object.is(current, deprecated)) {
    throw conflict(
      `${currentName} (${String(current)}) and its deprecated alias ${deprecatedName} (${String(deprecated)}) disagree: give ${currentName} only`,
      currentName,
    );
  }
  return current === undefined && deprecated !== undefined ? [deprecated, deprecatedName] : [current, currentName];
}
