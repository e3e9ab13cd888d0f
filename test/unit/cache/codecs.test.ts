import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildF64,
  byteLength,
  CODEC_NAMES,
  decodeFeatures,
  encodeFeatures,
  f64Codec,
  getCodec,
  inspectStored,
  isF64Value,
  jsonCodec,
  Rejection,
} from '../../../src/cache/codecs/index.js';
import type { CodecName, Features, NameSet } from '../../../src/cache/codecs/index.js';
import { ConfigError, ValidationError } from '../../../src/internal/errors.js';
import { decoded, expectSameFeatures, f64Name, fixtureBytes, SPECIAL_VALUES, vectors } from '../../harness/cache/codecs.js';

describe('format detection', () => {
  it('tells each encoded format apart, as bytes and (for JSON) as text', () => {
    const json = encodeFeatures('json', SPECIAL_VALUES);
    const f64 = encodeFeatures('f64', SPECIAL_VALUES);
    expect(decodeFeatures(json)).toMatchObject({ ok: true, format: 'json' });
    expect(decodeFeatures(Buffer.from(json))).toMatchObject({ ok: true, format: 'json' });
    expect(decodeFeatures(f64)).toMatchObject({ ok: true, format: 'f64' });
  });

  it('property: each codec output decodes as its own format to the same vector', () => {
    fc.assert(
      fc.property(vectors(f64Name), fc.constantFrom<CodecName>(...CODEC_NAMES), (features, codec) => {
        const encoded = encodeFeatures(codec, features);
        const result = decodeFeatures(encoded);
        expect(result.format).toBe(codec);
        expectSameFeatures(decoded(result), features);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('never reads arbitrary bytes as the other format', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        const result = decodeFeatures(bytes);
        expect(result.format).toBe(bytes[0] === 0 ? 'f64' : 'json');
      }),
    );
  });

  it('reports an f64 value that was read as text instead of guessing', () => {
    const text = encodeFeatures('f64', { a: 1 }).toString('latin1');
    expect(decodeFeatures(text)).toMatchObject({ ok: false, format: 'f64', reason: expect.stringContaining('Buffer') });
  });

  it('reports a JSON text that merely contains the magic as JSON, not f64', () => {
    expect(decodeFeatures('{"\\u0000F64": 1.0}')).toMatchObject({ ok: true, format: 'json' });
    expect(decodeFeatures(Buffer.from(' \u0000F64'))).toMatchObject({ ok: false, format: 'json' });
  });
});

describe('codec objects', () => {
  it('look up by name and reject unknown names with ConfigError', () => {
    expect(getCodec('json')).toBe(jsonCodec);
    expect(getCodec('f64')).toBe(f64Codec);
    expect(() => getCodec('msgpack' as CodecName)).toThrow(ConfigError);
    expect(() => encodeFeatures('msgpack' as CodecName, {})).toThrow(ConfigError);
  });

  it('validate before encoding, naming the feature', () => {
    const bad = { good: 1, bad: 'x' } as unknown as Record<string, number>;
    for (const codec of CODEC_NAMES) {
      expect(() => encodeFeatures(codec, bad)).toThrow(ValidationError);
      expect(() => encodeFeatures(codec, bad)).toThrow(/bad: must be a number, got a string/);
    }
  });
});

describe('byteLength', () => {
  it('is the stored size in bytes of either encoding', () => {
    const aapl = fixtureBytes('AAPL-2025-01-17.python-json.txt');
    const features = decoded(decodeFeatures(aapl));
    expect(byteLength(encodeFeatures('json', features))).toBe(aapl.length);
    const f64 = encodeFeatures('f64', features);
    expect(byteLength(f64)).toBe(f64.length);
    expect(byteLength('é')).toBe(2);
    expect(byteLength(new Uint8Array(5).subarray(1))).toBe(4);
  });
});

describe('inspectStored, the decoding step of cache reads', () => {
  it('gives a JSON value its vector and an f64 value its names, built by buildF64 into the same vector', () => {
    const json = Buffer.from(encodeFeatures('json', SPECIAL_VALUES));
    const f64 = encodeFeatures('f64', SPECIAL_VALUES);
    expect([isF64Value(json), isF64Value(f64)]).toEqual([false, true]);
    expectSameFeatures(inspectStored(json) as Features, SPECIAL_VALUES);
    const set = inspectStored(f64) as NameSet;
    expect(set.names).toEqual(Object.keys(SPECIAL_VALUES));
    expectSameFeatures(buildF64(f64, set), SPECIAL_VALUES);
    expectSameFeatures(buildF64(f64, set), decoded(decodeFeatures(f64)));
  });

  it('gives the same rejection (format, kind, reason) as decodeFeatures for a value of either format it does not read', () => {
    const newer = encodeFeatures('f64', { a: 1 });
    newer[4] = 2;
    const rejected: Array<[Buffer, string]> = [
      [Buffer.from('{"a": "x"}'), 'foreign'],
      [Buffer.from('[1.0]'), 'foreign'],
      [Buffer.from([0xff]), 'foreign'],
      [Buffer.from('{"a": 1.0,}'), 'corrupt'],
      [Buffer.from('{"a": nan}'), 'corrupt'],
      [encodeFeatures('f64', { a: 1 }).subarray(0, 20), 'corrupt'],
      [newer, 'unsupported'],
    ];
    for (const [bytes, kind] of rejected) {
      const result = decodeFeatures(bytes);
      expect(result).toMatchObject({ ok: false, kind });
      const inspected = inspectStored(bytes);
      expect(inspected).toBeInstanceOf(Rejection);
      expect({ ...(inspected as Rejection) }).toEqual({ ...(result as Rejection) });
    }
  });

  it('reads a null as NaN from bytes, on the first read and once learned', () => {
    const bytes = fixtureBytes('with-null.python-json.txt');
    for (let i = 0; i < 3; i++) {
      expectSameFeatures(inspectStored(bytes) as Features, { ret_1d: 0.0123, vol_20d: NaN, ma_5: 151.2, rsv_60: NaN });
    }
  });

  it('property: agrees with decodeFeatures on every encoded vector', () => {
    fc.assert(
      fc.property(vectors(f64Name), fc.constantFrom<CodecName>(...CODEC_NAMES), (features, codec) => {
        const bytes = Buffer.from(encodeFeatures(codec, features));
        const inspected = inspectStored(bytes);
        const built = isF64Value(bytes) ? buildF64(bytes, inspected as NameSet) : (inspected as Features);
        expectSameFeatures(built, decoded(decodeFeatures(bytes)));
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
