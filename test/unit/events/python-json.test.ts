import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/internal/errors.js';
import { PYTHON_TOKEN_KEY, decodePythonJsonText, decodeWireInput } from '../../../src/events/python-json.js';
import { thrownBy } from '../../harness/events/thrown.js';

// What Pydantic's JSON parser (jiter, pydantic-core 2.46.4) accepts, checked with model_validate_json.

function refusal(fn: () => unknown): ValidationError {
  return thrownBy(fn, ValidationError);
}

describe('decodePythonJsonText', () => {
  it('decodes plain JSON as JSON.parse does', () => {
    expect(decodePythonJsonText('event', ' {"a": [1, "x", null]} ')).toEqual({ a: [1, 'x', null] });
  });

  it('takes NaN, Infinity and -Infinity anywhere a value goes, as stand-ins no event field accepts', () => {
    const data = decodePythonJsonText('event', '{"x": NaN, "y": [Infinity, {"z": -Infinity}], "s": "NaN Infinity"}');
    expect(data).toEqual({
      x: { [PYTHON_TOKEN_KEY]: 'NaN' },
      y: [{ [PYTHON_TOKEN_KEY]: 'Infinity' }, { z: { [PYTHON_TOKEN_KEY]: '-Infinity' } }],
      s: 'NaN Infinity',
    });
  });

  it('leaves the tokens inside strings alone, escaped quotes included', () => {
    expect(decodePythonJsonText('event', '{"k\\"NaN": "a\\\\", "v": NaN}')).toEqual({ 'k"NaN': 'a\\', v: { [PYTHON_TOKEN_KEY]: 'NaN' } });
  });

  it('refuses what jiter refuses: nan, -NaN, +Infinity, infinity, bare words, trailing commas', () => {
    for (const text of ['{"x": nan}', '{"x": -NaN}', '{"x": +Infinity}', '{"x": infinity}', '{"x": NaNx}', '{"x": 1,}', '{"x": 1}x', '']) {
      const error = refusal(() => decodePythonJsonText('event', text));
      expect(error.issues).toEqual([{ path: '', message: expect.stringMatching(/^not valid JSON/) as unknown }]);
      expect(error.cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('refuses unpaired surrogate escapes, in values and keys, and accepts a pair', () => {
    for (const text of ['{"x": "\\ud800"}', '{"x": "\\udc00"}', '{"x": "\\ude00\\ud83d"}', '{"x": ["\\ud83dx"]}', '{"\\ud800": 1}']) {
      expect(refusal(() => decodePythonJsonText('event', text)).issues[0]?.message).toMatch(/surrogate/);
    }
    expect(decodePythonJsonText('event', '{"x": "\\ud83d\\ude00", "y": "\\\\ud800"}')).toEqual({ x: '\u{1f600}', y: '\\ud800' });
  });

  it('refuses a raw unpaired surrogate, which no UTF-8 message can carry', () => {
    expect(refusal(() => decodePythonJsonText('event', '{"x": "\ud800"}')).issues[0]?.message).toMatch(/surrogate/);
  });
});

describe('decodeWireInput', () => {
  it('decodes UTF-8 bytes and passes anything else through', () => {
    expect(decodeWireInput('event', new TextEncoder().encode('{"a": "é"}'))).toEqual({ a: 'é' });
    const object = { a: 1 };
    expect(decodeWireInput('event', object)).toBe(object);
  });

  it('refuses bytes that are not UTF-8, or that start with a byte order mark, as jiter does', () => {
    expect(refusal(() => decodeWireInput('event', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]))).issues[0]?.message).toMatch(/UTF-8/);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a": 1}')]);
    expect(refusal(() => decodeWireInput('event', withBom)).issues[0]?.message).toMatch(/not valid JSON/);
  });
});
