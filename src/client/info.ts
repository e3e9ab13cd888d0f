/**
 * Parses the text of `INFO` into a flat record: `# Section` headers are skipped, each
 * `field:value` line becomes one entry. Values stay strings (INFO mixes numbers and text).
 */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}
