/**
 * Feature value codecs and format detection: the single entry point FeatureCache uses to turn
 * vectors into stored values and back.
 *
 * Detection is by the first byte: an f64 value starts with a NUL byte (its magic `\0F64`), which
 * no JSON text can start with (nor contain outside a string escape), so neither format is ever
 * read as the other.
 */
import { ConfigError } from '../../internal/errors.js';
import { decodeF64, encodeF64, f64RejectionKind, inspectF64 } from './f64.js';
import type { NameSet } from './f64-names.js';
import { decodePythonJsonBytes, decodePythonJsonText, encodePythonJson } from './python-json.js';
import { CODEC_NAMES, corrupt, Rejection } from './types.js';
import type { CodecName, DecodeResult, FeatureCodec, Features } from './types.js';

export type { CodecName, DecodeResult, FeatureCodec, Features, RejectionKind } from './types.js';
export { CODEC_NAMES, Rejection } from './types.js';
export { buildF64, F64Reader } from './f64.js';
export type { NameSet } from './f64-names.js';

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes a stored feature value of either format, detected from its first byte. Never throws:
 * anything that is not a valid vector comes back as `{ ok: false, kind, reason }`, where `kind`
 * says what a cache does with it: deletes a `corrupt` value, leaves a `foreign` or `unsupported`
 * one in place (see {@link RejectionKind}).
 *
 * Read values as Buffers when the f64 codec may be in use: an f64 value that was decoded to text
 * has lost its bytes and is reported as corrupt.
 *
 * @example
 * ```ts
 * const result = decodeFeatures(await redis.get(key));
 * if (result.ok) score(result.features);
 * else if (result.kind === 'corrupt') await redis.del(key);
 * ```
 */
export function decodeFeatures(raw: string | Uint8Array): DecodeResult {
  if (typeof raw === 'string') {
    if (raw.charCodeAt(0) === 0) return corrupt('f64', 'binary f64 value was read as text; read it as a Buffer');
    return decodePythonJsonText(raw);
  }
  const bytes = toBuffer(raw);
  return isF64Value(bytes) ? decodeF64(bytes) : decodePythonJsonBytes(bytes);
}

/** Whether stored bytes are an f64 value (first byte NUL, see the module comment); else JSON. */
export function isF64Value(bytes: Uint8Array): boolean {
  return bytes[0] === 0;
}

/**
 * Checks stored bytes of either format, the one decoding step of the cache's reads. A JSON value
 * gives its vector. An f64 value ({@link isF64Value}) is checked in full but not built: it gives
 * its names, from which {@link buildF64} builds the vector, or whose values a matrix copies as
 * bytes. Nothing is allocated for an f64 value.
 *
 * @returns the f64 value's names, the JSON value's vector, or the {@link Rejection} saying why
 * the value is not read and what to do with it (tell it apart with `instanceof Rejection`).
 */
export function inspectStored(bytes: Buffer): NameSet | Features | Rejection {
  if (isF64Value(bytes)) {
    const set = inspectF64(bytes);
    return typeof set === 'string' ? new Rejection('f64', f64RejectionKind(bytes), set) : set;
  }
  const decoded = decodePythonJsonBytes(bytes);
  return decoded.ok ? decoded.features : decoded;
}

/** The Python-compatible JSON codec. Reads need no codec: {@link decodeFeatures} detects the format. */
export const jsonCodec: FeatureCodec<string> = Object.freeze({
  name: 'json',
  encode: encodePythonJson,
});

/** The binary f64 codec. Reads need no codec: {@link decodeFeatures} detects the format. */
export const f64Codec: FeatureCodec<Buffer> = Object.freeze({
  name: 'f64',
  encode: encodeF64,
});

/**
 * The codec with this name.
 *
 * @throws ConfigError for an unknown name (a JavaScript caller can pass anything).
 */
export function getCodec(name: 'json'): FeatureCodec<string>;
export function getCodec(name: 'f64'): FeatureCodec<Buffer>;
export function getCodec(name: CodecName): FeatureCodec;
export function getCodec(name: CodecName): FeatureCodec {
  if (name === 'json') return jsonCodec;
  if (name === 'f64') return f64Codec;
  throw new ConfigError(`Unknown feature codec ${JSON.stringify(name)}; expected one of: ${CODEC_NAMES.join(', ')}`, {
    context: { codec: name },
  });
}

/**
 * Encodes a vector with the named codec: a string for `json`, a Buffer for `f64`.
 *
 * @throws ValidationError naming every offending feature; nothing is produced in that case.
 * @throws ConfigError for an unknown codec name.
 */
export function encodeFeatures(codec: 'json', features: Features): string;
export function encodeFeatures(codec: 'f64', features: Features): Buffer;
export function encodeFeatures(codec: CodecName, features: Features): string | Buffer;
export function encodeFeatures(codec: CodecName, features: Features): string | Buffer {
  return getCodec(codec).encode(features);
}

/**
 * Size in bytes of an encoded value as Redis stores it (UTF-8 for text), for enforcing a
 * maximum value size before writing. JSON output is ASCII, so this is its length.
 */
export function byteLength(encoded: string | Uint8Array): number {
  return typeof encoded === 'string' ? Buffer.byteLength(encoded, 'utf8') : encoded.byteLength;
}
