/**
 * Feature vectors of many symbols as one row-major matrix of doubles: the result of
 * `FeatureCache.getMatrix`, and the builder that fills it from stored values.
 *
 * An f64 value whose names are the matrix's columns, in order, is copied into its row as bytes
 * (one `memcpy` on a little-endian host): no object per vector and no number per feature, which
 * is what makes a 500-symbol read cost little more than the MGET itself.
 */
import { constants } from 'node:buffer';
import { endianness } from 'node:os';
import { ValidationError } from '../internal/errors.js';
import { f64ValuesOffset, F64Reader } from './codecs/f64.js';
import type { NameSet } from './codecs/f64-names.js';
import type { Features } from './codecs/index.js';

/** The largest matrix, in bytes: what one Buffer (and so one ArrayBuffer here) can hold. */
const MAX_MATRIX_BYTES = constants.MAX_LENGTH;

/** f64 values are little-endian; on such a host their bytes are a Float64Array's bytes. */
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** Options of `FeatureCache.getMatrix`. */
export interface MatrixOptions {
  /**
   * The columns, in order. Without it the columns are the names of the first vector found (in
   * input order), so every row has that vector's layout. Must be distinct strings.
   */
  names?: readonly string[];
}

/**
 * Cached vectors of many symbols as one `Float64Array`, row-major: symbol `i`'s value of column
 * `j` is `values[i * names.length + j]`. A row is `found` when its symbol had a valid cached
 * vector holding every column (extra features are left out); any other row (a miss, a corrupt,
 * foreign or unsupported value, a failed read, a vector lacking a column) is all `NaN` and not
 * found.
 *
 * @example
 * ```ts
 * const m = await cache.getMatrix(symbols, '2025-01-17', { names: MODEL_FEATURES });
 * for (let i = 0; i < m.symbols.length; i++) {
 *   if (m.found[i]) scores[i] = dot(m.values.subarray(i * m.columns, (i + 1) * m.columns), weights);
 * }
 * ```
 */
export class FeatureMatrix {
  /** Row order: the symbols as given to `getMatrix`. */
  readonly symbols: readonly string[];
  /** Column order: feature names. */
  readonly names: readonly string[];
  /** `symbols.length × names.length` doubles, row-major; rows that were not found are `NaN`. */
  readonly values: Float64Array;
  /** Per row: whether it holds a cached vector. */
  readonly found: readonly boolean[];
  #index: Map<string, number> | undefined;

  /** @internal Built by `FeatureCache.getMatrix`. */
  constructor(symbols: readonly string[], names: readonly string[], values: Float64Array, found: readonly boolean[]) {
    this.symbols = symbols;
    this.names = names;
    this.values = values;
    this.found = found;
  }

  /** Number of columns (features per row). */
  get columns(): number {
    return this.names.length;
  }

  /**
   * The row of `symbol` as a view into {@link values} (no copy), or `null` when the symbol is
   * not in the matrix or its row was not found. A symbol given twice gives its first row.
   */
  row(symbol: string): Float64Array | null {
    if (this.#index === undefined) {
      this.#index = new Map();
      for (let i = this.symbols.length - 1; i >= 0; i--) this.#index.set(this.symbols[i] as string, i);
    }
    const i = this.#index.get(symbol);
    if (i === undefined || this.found[i] !== true) return null;
    const width = this.names.length;
    return this.values.subarray(i * width, (i + 1) * width);
  }

  /** The row of `symbol` as a plain feature object, or `null` (see {@link row}). */
  features(symbol: string): Features | null {
    const row = this.row(symbol);
    if (row === null) return null;
    const features: Features = {};
    for (let j = 0; j < this.names.length; j++) {
      const name = this.names[j] as string;
      // A "__proto__" column stays an own data property; it never replaces the prototype.
      if (name === '__proto__') Object.defineProperty(features, name, { value: row[j], writable: true, enumerable: true, configurable: true });
      else features[name] = row[j] as number;
    }
    return features;
  }
}

/**
 * Checks `getMatrix`'s options and returns the asked-for columns, if any.
 *
 * @throws ValidationError when the options are not an object, or `names` is not an array of
 * distinct strings.
 */
export function checkMatrixOptions(options: unknown): readonly string[] | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('getMatrix options', [{ path: '', message: `must be an object, got ${options === null ? 'null' : typeof options}` }]);
  }
  const names: unknown = (options as MatrixOptions).names;
  if (names === undefined) return undefined;
  if (!Array.isArray(names)) {
    throw new ValidationError('getMatrix options', [{ path: 'names', message: 'must be an array of feature names' }]);
  }
  const seen = new Set<string>();
  const issues: Array<{ path: string; message: string }> = [];
  // An index loop, not forEach: a hole in a sparse array is a missing name, not one to skip.
  for (let i = 0; i < names.length; i++) {
    const name: unknown = names[i];
    if (typeof name !== 'string') issues.push({ path: `names.${i}`, message: `must be a string, got ${name === null ? 'null' : typeof name}` });
    else if (seen.has(name)) issues.push({ path: `names.${i}`, message: `repeats ${JSON.stringify(name)}` });
    else seen.add(name);
  }
  if (issues.length > 0) throw new ValidationError('getMatrix options', issues);
  return Object.freeze([...seen]);
}

/** How one names block maps onto the columns: `null` when they are the same names in order. */
type Plan = Int32Array | null;

/**
 * Fills a matrix row by row. The columns are given up front or taken from the first vector
 * found; misses before that are remembered and filled once the width is known. Keeps one plan
 * per distinct names block, so the usual batch (every value written with the same feature set)
 * compares names once.
 *
 * Every row is written in full, with values or with `NaN`, which is why the matrix may start
 * from uninitialised memory.
 */
export class MatrixBuilder {
  readonly #rows: number;
  #names: readonly string[] | undefined;
  #values = new Float64Array(0);
  #bytes = new Uint8Array(0);
  readonly #found: boolean[];
  readonly #pending: number[] = [];
  readonly #plans = new Map<NameSet, Plan>();
  readonly #reader = new F64Reader();
  /** Symbols of rows whose vector lacked a column, for one log line per batch. */
  readonly lacking: string[] = [];

  constructor(rows: number, names?: readonly string[]) {
    this.#rows = rows;
    this.#found = new Array<boolean>(rows).fill(false);
    if (names !== undefined) this.#columns(names);
  }

  #columns(names: readonly string[]): void {
    const length = this.#rows * names.length;
    if (length * 8 > MAX_MATRIX_BYTES) {
      throw new ValidationError('getMatrix', [
        { path: '', message: `${this.#rows} rows of ${names.length} columns need ${length * 8} bytes, more than the ${MAX_MATRIX_BYTES} one matrix can hold` },
      ]);
    }
    this.#names = names;
    // Not zero-filled: every row is overwritten (see the class comment).
    this.#values = new Float64Array(Buffer.allocUnsafeSlow(length * 8).buffer, 0, length);
    this.#bytes = new Uint8Array(this.#values.buffer);
    for (const i of this.#pending) this.#blank(i);
    this.#pending.length = 0;
  }

  #blank(i: number): void {
    const width = (this.#names as readonly string[]).length;
    this.#values.fill(NaN, i * width, (i + 1) * width);
  }

  /** Row `i` has no vector. */
  miss(i: number): void {
    if (this.#names === undefined) this.#pending.push(i);
    else this.#blank(i);
  }

  /** Row `i` from an f64 value that {@link inspectF64} accepted with names `set`. */
  f64(i: number, symbol: string, bytes: Buffer, set: NameSet): void {
    if (this.#names === undefined) this.#columns(set.names);
    this.#settle(i, symbol, this.#fillBytes(i * (this.#names as readonly string[]).length, bytes, set));
  }

  /** Row `i` from a decoded vector. */
  object(i: number, symbol: string, features: Features): void {
    if (this.#names === undefined) this.#columns(Object.freeze(Object.keys(features)));
    this.#settle(i, symbol, this.#fillObject(i * (this.#names as readonly string[]).length, features));
  }

  #settle(i: number, symbol: string, ok: boolean): void {
    this.#found[i] = ok;
    if (ok) return;
    this.lacking.push(symbol);
    this.#blank(i);
  }

  #plan(set: NameSet, names: readonly string[]): Plan {
    let plan = this.#plans.get(set);
    if (plan !== undefined) return plan;
    const same = set.names === names || (set.names.length === names.length && set.names.every((n, j) => n === names[j]));
    if (same) plan = null;
    else {
      const at = new Map(set.names.map((n, k) => [n, k]));
      plan = Int32Array.from(names, (n) => at.get(n) ?? -1);
    }
    this.#plans.set(set, plan);
    return plan;
  }

  #fillBytes(start: number, bytes: Buffer, set: NameSet): boolean {
    const names = this.#names as readonly string[];
    const plan = this.#plan(set, names);
    const from = bytes.byteOffset + f64ValuesOffset(bytes);
    if (plan === null && LITTLE_ENDIAN_HOST) {
      this.#bytes.set(new Uint8Array(bytes.buffer, from, names.length * 8), start * 8);
      return true;
    }
    const view = this.#reader.view(bytes);
    const values = this.#values;
    for (let j = 0; j < names.length; j++) {
      const k = plan === null ? j : (plan[j] as number);
      if (k < 0) return false;
      values[start + j] = view.getFloat64(from + k * 8, true);
    }
    return true;
  }

  #fillObject(start: number, features: Features): boolean {
    const names = this.#names as readonly string[];
    const values = this.#values;
    for (let j = 0; j < names.length; j++) {
      const name = names[j] as string;
      if (!Object.hasOwn(features, name)) return false;
      values[start + j] = features[name] as number;
    }
    return true;
  }

  /** The finished matrix. */
  build(symbols: readonly string[]): FeatureMatrix {
    if (this.#names === undefined) this.#columns(Object.freeze([]));
    return new FeatureMatrix(Object.freeze([...symbols]), this.#names as readonly string[], this.#values, Object.freeze(this.#found));
  }
}
