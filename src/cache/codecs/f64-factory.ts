/**
 * Building the decoded object of an f64 value. A service reads one feature set (e.g. the 158
 * Alpha158 names) over and over, so each distinct names block gets a constructor generated
 * once, with one `this["KMID"] = d.getFloat64(o + 0, true);` line per name. V8 then gives every
 * decoded vector the same fast shape with in-object properties, about 10x cheaper than adding
 * 158 properties with keyed stores, which turns the object into a dictionary after a dozen.
 *
 * Safety of the generated code: every name enters the source only as `JSON.stringify(name)`,
 * a string literal that cannot end early (quotes, backslashes, control characters and lone
 * surrogates are escaped; U+2028/U+2029 are legal in string literals since ES2019), and values
 * are only read at numeric offsets. A `__proto__` name is defined with `Object.defineProperty` so it stays
 * an own data property and never replaces the prototype. When code generation is not allowed
 * (`--disallow-code-generation-from-strings`, some sandboxes) or the set is very large, the same
 * objects are built by a plain loop instead.
 */
import type { Features } from './types.js';

/**
 * Builds one decoded vector from its little-endian doubles (one per name, in names order) at
 * `offset` in `view`. A DataView reads at any alignment and on any host byte order, without
 * copying the values first.
 */
export type FeatureFactory = (view: DataView, offset: number) => Features;

/** Name sets larger than this are built by the loop rather than compiled (bounded source size). */
export const MAX_COMPILED_NAMES = 4096;

/** Defines an own, enumerable, writable data property (used for `__proto__`). */
function defineOwn(target: object, name: string, value: number): void {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The fallback: one property at a time; same keys, order, descriptors and prototype as the
 * compiled factory (exported so tests can compare the two).
 */
export function loopFeatureFactory(names: readonly string[]): FeatureFactory {
  return (view, offset) => {
    const features: Features = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value = view.getFloat64(offset + i * 8, true);
      if (name === '__proto__') defineOwn(features, name, value);
      else features[name] = value;
    }
    return features;
  };
}

/** A constructor whose instances are plain objects (prototype `Object.prototype`). */
type GeneratedConstructor = new (view: DataView, offset: number, define: typeof defineOwn) => Features;

function compiledFactory(names: readonly string[]): FeatureFactory | undefined {
  const lines = names.map((name, i) => {
    const value = `d.getFloat64(o + ${i * 8}, true)`;
    return name === '__proto__' ? `define(this, "__proto__", ${value});` : `this[${JSON.stringify(name)}] = ${value};`;
  });
  let Ctor: GeneratedConstructor;
  try {
    // The generated body only assigns properties; see the module comment for why it is safe.
    Ctor = new Function('d', 'o', 'define', `"use strict";\n${lines.join('\n')}`) as unknown as GeneratedConstructor;
  } catch {
    return undefined;
  }
  // Instances get Object.prototype, exactly like `{}`, rather than a generated prototype object.
  Ctor.prototype = Object.prototype;
  return (view, offset) => new Ctor(view, offset, defineOwn);
}

/**
 * The factory for one names block: a generated constructor when possible, else the loop. The
 * objects it builds are plain objects (`Object.prototype`), one own enumerable, writable,
 * configurable data property per name, in names order; `__proto__` included as an own key.
 */
export function featureFactory(names: readonly string[]): FeatureFactory {
  if (names.length > MAX_COMPILED_NAMES) return loopFeatureFactory(names);
  return compiledFactory(names) ?? loopFeatureFactory(names);
}
