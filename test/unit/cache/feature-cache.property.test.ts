import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedClient } from '../../../src/embedded.js';
import { FeatureCache, type Features, type RedisClient } from '../../../src/index.js';

const DATE = '2025-01-17';

/** Doubles of every kind, with NaN, ±Infinity, -0 and subnormals made frequent. */
const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc.double({ min: -1e-300, max: 1e-300 }),
);

/** Feature names: Alpha158-like identifiers plus arbitrary text (JSON escapes, non-ASCII). */
const name = fc.oneof(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,11}$/), fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }));

/** 1 to 1000 features, distinct names, insertion order kept. */
const vectors = fc
  .uniqueArray(fc.tuple(name, anyDouble), { minLength: 1, maxLength: 1000, selector: ([n]) => n })
  .map((pairs) => {
    const out: Features = {};
    for (const [n, v] of pairs) out[n] = v;
    return out;
  })
  .filter((f) => Object.keys(f).length > 0);

const symbol = fc.stringMatching(/^[A-Za-z0-9.-]{1,32}$/);

function same(a: Features | null | undefined, b: Features): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && Object.is(a[k], b[k]));
}

describe('FeatureCache round trip property (embedded backend)', () => {
  let client: RedisClient;

  beforeAll(async () => {
    client = await createEmbeddedClient().connect();
  });
  afterAll(async () => {
    await client.close();
  });

  it.each(['json', 'f64'] as const)('%s codec: get(set(v)) is v exactly, and so is getMany, read by either codec', async (codec) => {
    const writer = new FeatureCache(client, { codec, prefix: `prop-${codec}` });
    const reader = new FeatureCache(client, { codec: codec === 'json' ? 'f64' : 'json', prefix: `prop-${codec}` });
    await fc.assert(
      fc.asyncProperty(symbol, vectors, async (sym, features) => {
        expect(await writer.set(sym, DATE, features)).toBe(true);
        expect(same(await writer.get(sym, DATE), features)).toBe(true);
        expect(same(await reader.get(sym, DATE), features)).toBe(true);
        const many = await reader.getMany([sym], DATE);
        expect(same(many.get(sym), features)).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(writer.stats().corrupt + reader.stats().corrupt).toBe(0);
  });

  it('getMatrix rows are exactly the vectors getMany reads, for any columns, either codec, any layout', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('json', 'f64'), fc.option(vectors, { nil: undefined })), { minLength: 1, maxLength: 6 }),
        fc.option(fc.uniqueArray(name, { maxLength: 12 }), { nil: undefined }),
        fc.boolean(),
        async (rows, extraColumns, shuffle) => {
          const prefix = `prop-mx-${run++}`;
          const symbols = rows.map((_, i) => `S${i}`);
          for (const [i, [codec, features]] of rows.entries()) {
            if (features !== undefined) await new FeatureCache(client, { codec, prefix }).set(symbols[i] as string, DATE, features);
          }
          const cache = new FeatureCache(client, { prefix });
          // Columns: none (the first vector's names), or names from the vectors, shuffled, plus others.
          const seen = [...new Set(rows.flatMap(([, f]) => (f === undefined ? [] : Object.keys(f))))];
          const asked = extraColumns === undefined ? undefined : [...new Set([...(shuffle ? [...seen].reverse() : seen).slice(0, 20), ...extraColumns])];
          const m = await cache.getMatrix(symbols, DATE, asked === undefined ? {} : { names: asked });
          const many = await cache.getMany(symbols, DATE);
          const first = rows.find(([, f]) => f !== undefined)?.[1];
          expect(m.names).toEqual(asked ?? (first === undefined ? [] : Object.keys(first)));
          for (const [i, s] of symbols.entries()) {
            const v = many.get(s) ?? null;
            const complete = v !== null && m.names.every((n) => Object.hasOwn(v, n));
            expect(m.found[i]).toBe(complete);
            const row = m.values.subarray(i * m.columns, (i + 1) * m.columns);
            row.forEach((value, j) => expect(Object.is(value, complete ? (v as Features)[m.names[j] as string] : NaN)).toBe(true));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
