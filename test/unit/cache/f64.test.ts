import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cachedNameSetCount, NAME_SET_CACHE_SIZE } from '../../../src/cache/codecs/f64-names.js';
import { decodeF64, decodeF64Value, encodeF64, F64_HEADER_BYTES, F64Reader } from '../../../src/cache/codecs/f64.js';
import { decodeFeatures } from '../../../src/cache/codecs/index.js';
import { ValidationError } from '../../../src/internal/errors.js';
import {
  alpha158Names,
  decoded,
  expectSameFeatures,
  f64Name,
  fixtureBytes,
  SPECIAL_VALUES,
  vectors,
} from '../../harness/cache/codecs.js';

/** What the Python `encode_f64` snippet of the f64 module's JSDoc writes for `PYTHON_VECTOR`. */
const PYTHON_HEX =
  '0046363401000000050000001a0000004b4d49440a4b4c4f57320a434f525236300ac3a9f09f98800a78000000000000' +
  '22c9f3f4388cf03f0000000000000080000000000000f87f000000000000f07f0100000000000000';
const PYTHON_VECTOR = { KMID: 1.0342340057801, KLOW2: -0, CORR60: NaN, 'é😀': Infinity, x: 5e-324 };

/** `bytes` copied to `offset` bytes into a larger buffer, as in a pooled Redis reply. */
function atOffset(bytes: Buffer, offset: number): Buffer {
  const pool = Buffer.alloc(bytes.length + offset + 8, 0xaa);
  bytes.copy(pool, offset);
  return pool.subarray(offset, offset + bytes.length);
}

function expectCorrupt(bytes: Buffer, reason: string | RegExp, kind = 'corrupt'): void {
  const result = decodeFeatures(bytes);
  expect(result).toMatchObject({ ok: false, format: 'f64', kind });
  if (!result.ok) expect(result.reason).toMatch(reason);
}

describe('f64 codec: layout', () => {
  it('writes the documented layout, byte for byte what the Python snippet writes', () => {
    expect(encodeF64(PYTHON_VECTOR).toString('hex')).toBe(PYTHON_HEX);
    expect(encodeF64({}).toString('hex')).toBe('00463634010000000000000000000000');
  });

  it('reads what the Python snippet writes', () => {
    expectSameFeatures(decoded(decodeFeatures(Buffer.from(PYTHON_HEX, 'hex'))), PYTHON_VECTOR);
  });

  it('aligns the values to 8 bytes after the names block', () => {
    for (const name of ['', 'a', 'abcdefg', 'abcdefgh', 'é']) {
      const bytes = encodeF64({ [name]: 1 });
      const valuesOffset = bytes.length - 8;
      expect(valuesOffset % 8).toBe(0);
      expect(valuesOffset - F64_HEADER_BYTES - Buffer.byteLength(name)).toBeLessThan(8);
      expect(bytes.readDoubleLE(valuesOffset)).toBe(1);
    }
  });
});

describe('f64 codec: round trips', () => {
  it('carries the AAPL vector and every special value exactly', () => {
    const aapl = decoded(decodeFeatures(fixtureBytes('AAPL-2025-01-17.python-json.txt')));
    expectSameFeatures(decoded(decodeF64(encodeF64(aapl))), aapl);
    expectSameFeatures(decoded(decodeF64(encodeF64(SPECIAL_VALUES))), SPECIAL_VALUES);
    expect(Object.keys(aapl)).toEqual(alpha158Names());
  });

  it('decodes at every memory alignment (view or aligned copy)', () => {
    const bytes = encodeF64(SPECIAL_VALUES);
    for (let offset = 0; offset < 8; offset++) {
      expectSameFeatures(decoded(decodeFeatures(atOffset(bytes, offset))), SPECIAL_VALUES);
    }
  });

  it('accepts a plain Uint8Array as well as a Buffer', () => {
    const bytes = encodeF64(SPECIAL_VALUES);
    const plain = new Uint8Array(bytes.length + 3).subarray(3);
    plain.set(bytes);
    expectSameFeatures(decoded(decodeFeatures(plain)), SPECIAL_VALUES);
  });

  it('does not keep a view of the input: later changes to the bytes do not leak in', () => {
    const bytes = encodeF64({ a: 1, b: 2 });
    const features = decoded(decodeFeatures(bytes));
    bytes.fill(0xff, bytes.length - 16);
    expectSameFeatures(features, { a: 1, b: 2 });
  });

  it('a shared reader decodes values that lie side by side in one buffer, and values from other buffers', () => {
    const a = encodeF64(SPECIAL_VALUES);
    const b = encodeF64({ KMID: 1.5, KLOW2: -0 });
    // Like the replies of one MGET: slices of one socket chunk at unaligned offsets.
    const chunk = Buffer.alloc(3 + a.length + 5 + b.length, 0xaa);
    a.copy(chunk, 3);
    b.copy(chunk, 3 + a.length + 5);
    const first = chunk.subarray(3, 3 + a.length);
    const second = chunk.subarray(3 + a.length + 5);
    const elsewhere = atOffset(b, 1);
    const reader = new F64Reader();
    for (const [bytes, expected] of [
      [first, SPECIAL_VALUES],
      [second, { KMID: 1.5, KLOW2: -0 }],
      [elsewhere, { KMID: 1.5, KLOW2: -0 }],
      [first, SPECIAL_VALUES],
    ] as const) {
      const value = decodeF64Value(bytes, reader);
      if (typeof value === 'string') throw new Error(value);
      expectSameFeatures(value, expected);
    }
  });

  it('supports an empty name and a single feature', () => {
    expectSameFeatures(decoded(decodeF64(encodeF64({ '': -0 }))), { '': -0 });
    expectSameFeatures(decoded(decodeF64(encodeF64({}))), {});
  });

  it('property: decode(encode(x)) is x, key order and every value (Object.is)', () => {
    fc.assert(
      fc.property(vectors(f64Name), fc.integer({ min: 0, max: 7 }), (features, offset) => {
        expectSameFeatures(decoded(decodeFeatures(atOffset(encodeF64(features), offset))), features);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('f64 codec: names cache', () => {
  it('reuses one parsed name set and stays bounded', () => {
    const first = decoded(decodeF64(encodeF64({ cacheA: 1, cacheB: 2 })));
    const second = decoded(decodeF64(encodeF64({ cacheA: 3, cacheB: 4 })));
    expectSameFeatures(first, { cacheA: 1, cacheB: 2 });
    expectSameFeatures(second, { cacheA: 3, cacheB: 4 });
    for (let i = 0; i < NAME_SET_CACHE_SIZE * 2; i++) decodeF64(encodeF64({ [`bounded${i}`]: i }));
    expect(cachedNameSetCount()).toBe(NAME_SET_CACHE_SIZE);
  });

  it('never confuses two blocks of the same length', () => {
    expectSameFeatures(decoded(decodeF64(encodeF64({ ab: 1, cd: 2 }))), { ab: 1, cd: 2 });
    expectSameFeatures(decoded(decodeF64(encodeF64({ ab: 1, ce: 2 }))), { ab: 1, ce: 2 });
  });
});

describe('f64 codec: rejects truncated or garbled values', () => {
  // Names block 'a\nbb\ncc' is 7 bytes, so one padding byte precedes the values.
  const good = encodeF64({ a: 1.5, bb: NaN, cc: -0 });

  function patched(offset: number, byte: number): Buffer {
    const copy = Buffer.from(good);
    copy[offset] = byte;
    return copy;
  }

  it('rejects every truncation and an extra byte', () => {
    for (let length = 1; length < good.length; length++) expectCorrupt(good.subarray(0, length), /truncated|length/);
    expectCorrupt(Buffer.concat([good, Buffer.from([0])]), /length/);
  });

  it('rejects version 0, flags, reserved or padding bytes as corrupt (the magic is intact: a damaged f64 value)', () => {
    expectCorrupt(patched(4, 0), 'invalid f64 version 0');
    expectCorrupt(patched(5, 1), /flags/);
    expectCorrupt(patched(7, 1), /reserved/);
    expectCorrupt(patched(F64_HEADER_BYTES + 7, 1), 'non-zero padding');
  });

  it('rejects a count or names block that disagrees with the header', () => {
    const fewer = patched(8, 2).subarray(0, good.length - 8);
    expectCorrupt(fewer, /names/);
    const moreNames = Buffer.from(good);
    moreNames.write('a\nb\nb\nc', F64_HEADER_BYTES, 'latin1');
    expectCorrupt(moreNames, 'names block holds 4 names, header says 3');
    const invalidUtf8 = patched(F64_HEADER_BYTES, 0xff);
    expectCorrupt(invalidUtf8, /UTF-8/);
  });

  it('a newer version after an intact magic is unsupported, whatever follows (a newer layout)', () => {
    expectCorrupt(patched(4, 2), 'f64 version 2 is newer than this SDK reads (1)', 'unsupported');
    expectCorrupt(patched(4, 0xff), 'f64 version 255 is newer than this SDK reads (1)', 'unsupported');
    // A newer layout may be shorter or longer than version 1's, and set what version 1 reserves.
    expectCorrupt(Buffer.from([0, 0x46, 0x36, 0x34, 2]), /newer/, 'unsupported');
    expectCorrupt(Buffer.concat([patched(4, 3), Buffer.from([1, 2, 3])]), /newer/, 'unsupported');
    const flagged = patched(4, 2);
    flagged[5] = 0xff;
    expectCorrupt(flagged, /newer/, 'unsupported');
    // Only the magic and the version byte say "newer": a value cut before the version is corrupt.
    expectCorrupt(Buffer.from([0, 0x46, 0x36, 0x34]), /truncated/);
  });

  it('bytes starting with NUL but without the magic: corrupt when UTF-8 text, foreign when binary', () => {
    // No magic, no way to know it is an f64 value: judged like any bytes. UTF-8 text is text that
    // json.loads rejects; anything else may be another writer's binary format (Cap'n Proto and
    // BSON values can start with NUL), left in place.
    expectCorrupt(Buffer.from('\u0000{"a": 1.0}'), 'missing the f64 magic');
    expectCorrupt(Buffer.from([0, 0x46, 0x36]), /truncated/);
    expectCorrupt(Buffer.from([0, 0, 0, 12, 0xff, 0xfe, 0x80]), 'missing the f64 magic', 'foreign');
    // A wrong magic byte in front of binary doubles (NaN is f8 7f): foreign as well.
    expect(decodeF64(patched(1, 0x47))).toMatchObject({ ok: false, kind: 'foreign', reason: 'missing the f64 magic' });
    const textual = Buffer.from(encodeF64({ a: 0 })); // every byte ASCII
    textual[1] = 0x47;
    expect(decodeF64(textual)).toMatchObject({ ok: false, kind: 'corrupt', reason: 'missing the f64 magic' });
  });

  it('rejects a repeated name', () => {
    const bytes = encodeF64({ aa: 1, ab: 2 });
    bytes.write('aa\naa', F64_HEADER_BYTES, 'latin1');
    expectCorrupt(bytes, 'names block repeats a name');
  });

  it('rejects a huge declared count without allocating for it', () => {
    expectCorrupt(patched(11, 0xff), /length/);
  });
});

describe('f64 codec: prototype safety and validation', () => {
  it('keeps __proto__ as an own key', () => {
    const features = decoded(decodeF64(encodeF64(JSON.parse('{"__proto__": 1, "x": 2}') as Record<string, number>)));
    expect(Object.getPrototypeOf(features)).toBe(Object.prototype);
    expect(Object.keys(features)).toEqual(['__proto__', 'x']);
    expect(Object.getOwnPropertyDescriptor(features, '__proto__')?.value).toBe(1);
  });

  it.each([
    ['a newline in a name', { 'a\nb': 1 }, 'a\nb'],
    ['a lone surrogate in a name', { '\ud800': 1 }, '\ud800'],
    ['a string value', { s: '1' }, 's'],
  ])('throws ValidationError for %s', (_label, features, path) => {
    let caught: unknown;
    try {
      encodeF64(features as unknown as Record<string, number>);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path)).toEqual([path]);
  });
});
