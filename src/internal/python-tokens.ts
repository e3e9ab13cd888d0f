/** Python's non-finite float tokens (`NaN`, `Infinity`, `-Infinity`, which `json.dumps` writes) found in JSON text outside string literals. */

/** A non-finite token Python's `json.dumps` writes and `json.loads` reads. */
export type PythonToken = 'NaN' | 'Infinity' | '-Infinity';

/**
 * `text` with every {@link PythonToken} outside string literals replaced by `replacement(token)`,
 * or `undefined` when there is none (then text that `JSON.parse` refused is simply not JSON).
 */
export function replacePythonTokens(text: string, replacement: (token: PythonToken) => string): string | undefined {
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) {
      inString = true;
      continue;
    }
    const token = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('Infinity', i) ? 'Infinity' : text.startsWith('-Infinity', i) ? '-Infinity' : undefined;
    if (token === undefined) continue;
    out += text.slice(copied, i) + replacement(token);
    i += token.length - 1;
    copied = i + 1;
  }
  return copied === 0 ? undefined : out + text.slice(copied);
}
