/**
 * The `f64` codec: an opt-in binary format whose decoding is a copy, not a parse.
 *
 * Layout (all integers little-endian):
 *
 * | offset    | size      | field                                                            |
 * |-----------|-----------|------------------------------------------------------------------|
 * | 0         | 4         | magic `00 46 36 34` (`"\0F64"`); a JSON text never has a NUL byte |
 * | 4         | 1         | version, `1`                                                     |
 * | 5         | 1         | flags, `0` (reserved)                                            |
 * | 6         | 2         | reserved, `0`                                                    |
 * | 8         | 4         | `count`: number of features (u32)                                |
 * | 12        | 4         | `n`: byte length of the names block (u32)                        |
 * | 16        | n         | names block: the names in UTF-8, joined by `\n`, no trailing `\n` |
 * | 16 + n    | 0-7       | zero padding up to `V`, the next multiple of 8                   |
 * | V         | 8 × count | the values, IEEE 754 float64 little-endian, in names order       |
 *
 * A value is exactly `V + 8 × count` bytes long. Readers reject non-zero flags, reserved or
 * padding bytes, a count that does not match the names, repeated names and any length mismatch
 * as corrupt. A version above {@link F64_VERSION}, after an intact magic, is a newer writer's
 * value: rejected as `unsupported` (a cache leaves it in place), whatever follows. Names cannot
 * contain `\n`; the encoder refuses them.
 *
 * Reading it from Python:
 * ```python
 * import struct, numpy as np
 *
 * def decode_f64(buf: bytes) -> dict[str, float]:
 *     magic, version, flags, _, count, n = struct.unpack_from('<4sBBHII', buf, 0)
 *     assert magic == b'\x00F64' and version == 1 and flags == 0
 *     names = buf[16:16 + n].decode('utf-8').split('\n') if count else []
 *     values = np.frombuffer(buf, dtype='<f8', count=count, offset=(16 + n + 7) & ~7)
 *     return dict(zip(names, values.tolist()))
 *
 * def encode_f64(features: dict[str, float]) -> bytes:
 *     names = '\n'.join(features).encode('utf-8')
 *     head = struct.pack('<4sBBHII', b'\x00F64', 1, 0, 0, len(features), len(names)) + names
 *     head += b'\x00' * (-len(head) % 8)
 *     return head + np.asarray(list(features.values()), dtype='<f8').tobytes()
 * ```
 */
import { isUtf8 } from 'node:buffer';
import { lookupNames, type NameSet } from './f64-names.js';
import { Rejection } from './types.js';
import type { DecodeResult, Features, RejectionKind } from './types.js';
import { validateFeatures } from './validate.js';

/** The four bytes every f64 value starts with. */
export const F64_MAGIC: readonly number[] = Object.freeze([0x00, 0x46, 0x36, 0x34]);

/** The layout version this module writes and reads. */
export const F64_VERSION = 1;

/** Byte length of the fixed header that precedes the names block. */
export const F64_HEADER_BYTES = 16;

/** Rounds up to the next multiple of 8 (exact for any length a Buffer can have). */
function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The u32 little-endian at `at`; the caller has checked that four bytes are there. */
function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) + (bytes[at + 3] as number) * 0x100_0000;
}

/**
 * Encodes a vector in the f64 layout described above, names in `Object.keys` order.
 *
 * @throws ValidationError naming every feature whose value is not a number or whose name
 * contains `\n` or a lone surrogate.
 */
export function encodeF64(features: Features): Buffer {
  const names = validateFeatures(features, 'f64');
  const block = names.join('\n');
  const blockBytes = Buffer.byteLength(block, 'utf8');
  const valuesOffset = align8(F64_HEADER_BYTES + blockBytes);
  // Buffer.alloc zero-fills (flags, reserved and padding) and never hands out a pooled slice.
  const out = Buffer.alloc(valuesOffset + names.length * 8);
  out.set(F64_MAGIC, 0);
  out[4] = F64_VERSION;
  out.writeUInt32LE(names.length, 8);
  out.writeUInt32LE(blockBytes, 12);
  out.write(block, F64_HEADER_BYTES, 'utf8');
  for (let i = 0; i < names.length; i++) {
    out.writeDoubleLE(features[names[i] as string] as number, valuesOffset + i * 8);
  }
  return out;
}

/**
 * Reads the values of many f64 values that may share one `ArrayBuffer` (the replies of one
 * `MGET` are slices of a few socket chunks): one `DataView` per distinct buffer instead of one
 * per value. Keep one for a batch and drop it afterwards, since it holds the buffer it saw last.
 */
export class F64Reader {
  #buffer: ArrayBufferLike | undefined;
  #view: DataView | undefined;

  /** A view of the whole ArrayBuffer under `bytes` (offsets are `bytes.byteOffset`-based). */
  view(bytes: Uint8Array): DataView {
    if (bytes.buffer !== this.#buffer || this.#view === undefined) {
      this.#buffer = bytes.buffer;
      this.#view = new DataView(bytes.buffer);
    }
    return this.#view;
  }
}

/** Whether `bytes` starts with the four bytes of {@link F64_MAGIC}. */
function hasF64Magic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x46 && bytes[2] === 0x36 && bytes[3] === 0x34;
}

/**
 * What a cache does with a value starting with a NUL byte that {@link inspectF64} rejected:
 *
 * - the magic, then a version above {@link F64_VERSION}: `unsupported`, a newer writer's value,
 *   left in place;
 * - the magic, then anything else wrong: `corrupt`, a damaged f64 value, deleted;
 * - no magic: not an f64 value at all. Judged like any other bytes: valid UTF-8 is text that
 *   Python's `json.loads` rejects (no JSON text starts with NUL), so `corrupt`; anything else is
 *   some other writer's binary format, `foreign`, left in place.
 */
export function f64RejectionKind(bytes: Buffer): RejectionKind {
  if (hasF64Magic(bytes)) return bytes.length > 4 && (bytes[4] as number) > F64_VERSION ? 'unsupported' : 'corrupt';
  return isUtf8(bytes) ? 'corrupt' : 'foreign';
}

/**
 * Checks an f64 value's whole layout: the magic, the version, zero flags, reserved and padding
 * bytes, the exact length and the names block.
 *
 * @returns the value's parsed names (shared by every value with the same names block), or why
 * the value is corrupt.
 */
export function inspectF64(bytes: Buffer): NameSet | string {
  const length = bytes.length;
  if (!hasF64Magic(bytes)) return length < 4 ? `truncated: ${length} bytes, header needs ${F64_HEADER_BYTES}` : 'missing the f64 magic';
  if (length > 4 && (bytes[4] as number) > F64_VERSION) return `f64 version ${bytes[4]} is newer than this SDK reads (${F64_VERSION})`;
  if (length < F64_HEADER_BYTES) return `truncated: ${length} bytes, header needs ${F64_HEADER_BYTES}`;
  if (bytes[4] !== F64_VERSION) return `invalid f64 version ${bytes[4]}`;
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) return 'non-zero flags or reserved bytes';
  const count = u32(bytes, 8);
  const blockEnd = F64_HEADER_BYTES + u32(bytes, 12);
  const valuesOffset = align8(blockEnd);
  const expected = valuesOffset + count * 8;
  if (length !== expected) return `length ${length} bytes, header implies ${expected}`;
  for (let i = blockEnd; i < valuesOffset; i++) {
    if (bytes[i] !== 0) return 'non-zero padding';
  }
  return lookupNames(bytes, F64_HEADER_BYTES, blockEnd, count);
}

/** Where the values of an f64 value start, relative to `bytes` (for a value {@link inspectF64} accepted). */
export function f64ValuesOffset(bytes: Buffer): number {
  return align8(F64_HEADER_BYTES + u32(bytes, 12));
}

/**
 * The vector of an f64 value that {@link inspectF64} accepted with names `set`. The values are
 * read where they lie: no copy of the bytes, no intermediate objects.
 */
export function buildF64(bytes: Buffer, set: NameSet, reader?: F64Reader): Features {
  const view = reader === undefined ? new DataView(bytes.buffer) : reader.view(bytes);
  return set.build(view, bytes.byteOffset + f64ValuesOffset(bytes));
}

/** Why an f64 value is corrupt, as a string, or the decoded vector (see {@link buildF64}). */
export function decodeF64Value(bytes: Buffer, reader?: F64Reader): Features | string {
  const nameSet = inspectF64(bytes);
  return typeof nameSet === 'string' ? nameSet : buildF64(bytes, nameSet, reader);
}

/**
 * Decodes an f64 value. A newer version is rejected as `unsupported`, any other deviation from
 * the layout as `corrupt` (or `foreign`, see {@link f64RejectionKind}).
 */
export function decodeF64(bytes: Buffer): DecodeResult {
  const decoded = decodeF64Value(bytes);
  return typeof decoded === 'string' ? new Rejection('f64', f64RejectionKind(bytes), decoded) : { ok: true, format: 'f64', features: decoded };
}
