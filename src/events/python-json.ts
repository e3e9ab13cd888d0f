/**
 * Decoding a wire message as Pydantic's JSON parser (jiter) decodes it: `JSON.parse`, plus
 * Python's `NaN`, `Infinity` and `-Infinity` tokens (accepted anywhere a value goes, refused by
 * every field of the event models), minus what jiter refuses and `JSON.parse` takes: escapes of
 * unpaired UTF-16 surrogates (`"\ud800"`), invalid UTF-8 and a byte order mark in bytes.
 */
import { ValidationError } from '../internal/errors.js';
import { errorMessage } from '../internal/error-text.js';
import { replacePythonTokens, type PythonToken } from '../internal/python-tokens.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The key of the object that stands in for a Python non-finite token once decoded
 * (`{"\u0000python-token": "NaN"}`): no field of the event models accepts an object, and an
 * unknown field ignores it, as Pydantic does with the token.
 */
export const PYTHON_TOKEN_KEY = '\u0000python-token';

interface WellFormedString {
  isWellFormed(): boolean;
}

/** The stand-in text of a token: an object under {@link PYTHON_TOKEN_KEY} naming it. */
function tokenStandIn(token: PythonToken): string {
  return `{${JSON.stringify(PYTHON_TOKEN_KEY)}:${JSON.stringify(token)}}`;
}

/** Whether a decoded JSON value holds a string (or key) with an unpaired surrogate. */
function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !(value as unknown as WellFormedString).isWellFormed();
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  for (const key of Object.keys(value)) {
    if (holdsLoneSurrogate(key) || holdsLoneSurrogate((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function notJson(subject: string, message: string, cause?: unknown): ValidationError {
  return new ValidationError(subject, [{ path: '', message }], cause === undefined ? undefined : { cause });
}

/**
 * Decodes JSON text as the Python models' parser does.
 *
 * @throws {ValidationError} (path `''`) when jiter would refuse the text; the `cause` is the
 * `SyntaxError` when `JSON.parse` refused it too.
 */
export function decodePythonJsonText(subject: string, text: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    const replaced = replacePythonTokens(text, tokenStandIn);
    try {
      if (replaced === undefined) throw error;
      data = JSON.parse(replaced) as unknown;
    } catch {
      throw notJson(subject, `not valid JSON (${errorMessage(error)})`, error);
    }
  }
  // Escapes are ASCII, so a text without `\u` cannot decode to a lone surrogate; a raw one in the
  // text itself could never have come through UTF-8.
  if (!(text as unknown as WellFormedString).isWellFormed() || (text.includes('\\u') && holdsLoneSurrogate(data))) {
    throw notJson(subject, 'not valid JSON (a string holds an unpaired UTF-16 surrogate, which Python refuses)');
  }
  return data;
}

/**
 * Decodes a wire message given as JSON text or UTF-8 bytes; any other value is taken as JSON
 * already decoded and returned as it is.
 *
 * @throws {ValidationError} (path `''`) when the text or bytes are not JSON the Python models read.
 */
export function decodeWireInput(subject: string, input: unknown): unknown {
  if (typeof input === 'string') return decodePythonJsonText(subject, input);
  if (!(input instanceof Uint8Array)) return input;
  let text: string;
  try {
    text = utf8.decode(input);
  } catch (error) {
    throw notJson(subject, 'not valid JSON (the bytes are not UTF-8)', error);
  }
  return decodePythonJsonText(subject, text);
}
