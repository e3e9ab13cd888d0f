/**
 * Shared types of the feature value codecs: the feature vector, the codec names, the decode
 * result (a vector, or a rejection saying what a cache does with the value) and the codec
 * interface FeatureCache takes.
 */

/**
 * One feature vector: feature name to value. Values may be any double, including `NaN`,
 * `Infinity`, `-Infinity`, `-0` and subnormals; every codec round-trips them exactly
 * (`Object.is` per value). A JSON `null` (what `json.dumps` writes for Python's `None`, e.g. a
 * pandas missing value) reads as `NaN`.
 */
export type Features = Record<string, number>;

/**
 * Names of the value formats. `json` is what Python's `json.dumps`/`json.loads` write and read;
 * `f64` is the opt-in binary format (a header, then little-endian doubles).
 */
export type CodecName = 'json' | 'f64';

/** Every codec name, in a stable order. */
export const CODEC_NAMES: readonly CodecName[] = Object.freeze(['json', 'f64']);

/**
 * Why a stored value is not read as a vector, and so what a cache does with it:
 *
 * - `corrupt`: bytes Python's `json.loads` rejects (valid UTF-8 that is not JSON), or an f64
 *   value whose header or layout is damaged. Nobody can read it; a cache deletes it, as Python's
 *   `FeatureCache.get` deletes what `json.loads` cannot decode.
 * - `foreign`: another writer's value that is not a vector of numbers: valid JSON (as
 *   `json.loads` reads it) that is not a flat object of numbers and `null`s (strings, booleans,
 *   nesting, a list, a bare value), or bytes that are not UTF-8 at all (Python's own reader
 *   fails on those without deleting them). A cache leaves it in Redis.
 * - `unsupported`: an f64 value of a newer version than this SDK reads (a rolling upgrade). A
 *   cache leaves it in Redis.
 */
export type RejectionKind = 'corrupt' | 'foreign' | 'unsupported';

/**
 * What decoding a stored value gives. A value that is not a valid feature vector is reported as
 * `ok: false` with its `kind` and a human-readable `reason`, never thrown, so a cache read can
 * count it and treat it as a miss.
 */
export type DecodeResult =
  | {
      readonly ok: true;
      /** The format the value was stored in. */
      readonly format: CodecName;
      /** The decoded vector: a plain object, one own data property per feature. */
      readonly features: Features;
    }
  | Rejection;

/**
 * A value that is not read as a vector: the failed {@link DecodeResult}. A class so that the
 * cache's reads tell it from a vector with one `instanceof`.
 */
export class Rejection {
  readonly ok = false as const;

  /**
   * @param format - the format the value looked like (`json` unless it started with a NUL byte).
   * @param kind - what a cache does with it (see {@link RejectionKind}).
   * @param reason - why the value is not a valid feature vector.
   */
  constructor(
    readonly format: CodecName,
    readonly kind: RejectionKind,
    readonly reason: string,
  ) {}
}

/**
 * A feature value codec: how new vectors are written. `encode` validates first and throws a
 * `ValidationError` naming every offending feature, so a rejected vector is never half-written.
 * There is no codec-specific decoding: reads detect the format from a value's first byte, so a
 * cache can switch codecs without invalidating what is already stored.
 *
 * @typeParam Encoded - what `encode` produces: a string for `json`, a Buffer for `f64`.
 */
export interface FeatureCodec<Encoded extends string | Buffer = string | Buffer> {
  /** The codec's name, as accepted by `getCodec` and `encodeFeatures`. */
  readonly name: CodecName;
  /** Encodes a vector; throws `ValidationError` for a value that is not a number. */
  encode(features: Features): Encoded;
}

/** A corrupt value: unreadable by anyone, so a cache deletes it. */
export function corrupt(format: CodecName, reason: string): Rejection {
  return new Rejection(format, 'corrupt', reason);
}

/** A JSON value of another writer that is not a vector of numbers: a cache leaves it in place. */
export function foreign(reason: string): Rejection {
  return new Rejection('json', 'foreign', reason);
}
