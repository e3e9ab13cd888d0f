/**
 * Shared types of the feature value codecs: the feature vector, the codec names, the decode
 * result and the codec interface FeatureCache takes.
 */

/**
 * One feature vector: feature name to value. Values may be any double, including `NaN`,
 * `Infinity`, `-Infinity`, `-0` and subnormals; every codec round-trips them exactly
 * (`Object.is` per value).
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
 * What decoding a stored value gives. A value that is not a valid feature vector is reported as
 * `ok: false` with a human-readable `reason`, never thrown, so a cache read can count it as a
 * corrupt entry and treat it as a miss.
 */
export type DecodeResult =
  | {
      readonly ok: true;
      /** The format the value was stored in. */
      readonly format: CodecName;
      /** The decoded vector: a plain object, one own data property per feature. */
      readonly features: Features;
    }
  | {
      readonly ok: false;
      /** The format the value looked like (`json` unless it carried the f64 magic). */
      readonly format: CodecName;
      /** Why the value is not a valid feature vector. */
      readonly reason: string;
    };

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

/** Builds a corrupt-value result. */
export function corrupt(format: CodecName, reason: string): DecodeResult {
  return { ok: false, format, reason };
}
