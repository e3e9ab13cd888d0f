/**
 * The parsed-names cache of the f64 decoder. A service reads the same feature set (e.g. the 158
 * Alpha158 names) over and over, so the names block of a value is parsed once, with the factory
 * that builds its objects (`f64-factory.ts`), and then looked up.
 */
import { isUtf8 } from 'node:buffer';
import { featureFactory, type FeatureFactory } from './f64-factory.js';

/** A parsed names block, shared by every value that carries the same block. */
export interface NameSet {
  readonly names: readonly string[];
  /** Builds the decoded object from the values, in names order (compiled once per block). */
  readonly build: FeatureFactory;
}

/** How many distinct names blocks are kept; the oldest entry is dropped beyond this. */
export const NAME_SET_CACHE_SIZE = 64;

/**
 * Keyed by the block's bytes read as latin1: one character per byte, so equal keys mean equal
 * bytes and a lookup can never return another block's names.
 */
const cache = new Map<string, NameSet>();

/** The block seen last, compared byte for byte first: the usual case skips building a key. */
let last: { block: Buffer; set: NameSet } | undefined;

function parseNames(block: Buffer, count: number): NameSet | string {
  if (count === 0) return block.length === 0 ? { names: [], build: () => ({}) } : 'names block for zero features';
  if (!isUtf8(block)) return 'names block is not valid UTF-8';
  const names = block.toString('utf8').split('\n');
  if (names.length !== count) return `names block holds ${names.length} names, header says ${count}`;
  if (new Set(names).size !== count) return 'names block repeats a name';
  return { names: Object.freeze(names), build: featureFactory(names) };
}

/**
 * The names of `count` features stored in `bytes[start, end)` (UTF-8, joined by `\n`), parsed
 * once per distinct block. Comparing in place against the last block seen needs no slice.
 *
 * @returns the name set, or a string saying why the block is corrupt.
 */
export function lookupNames(bytes: Buffer, start: number, end: number, count: number): NameSet | string {
  if (last !== undefined && last.set.names.length === count && last.block.compare(bytes, start, end) === 0) return last.set;
  const block = bytes.subarray(start, end);
  const key = block.toString('latin1');
  let set = cache.get(key);
  if (set === undefined || set.names.length !== count) {
    const parsed = parseNames(block, count);
    if (typeof parsed === 'string') return parsed;
    if (cache.size >= NAME_SET_CACHE_SIZE) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(key, parsed);
    set = parsed;
  }
  // A copy: the caller's bytes may sit in a pooled Buffer that is reused later.
  last = { block: Buffer.from(block), set };
  return set;
}

/** Number of cached name sets (for tests and diagnostics). */
export function cachedNameSetCount(): number {
  return cache.size;
}
