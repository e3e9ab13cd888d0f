/** The text of anything thrown, for logs, error messages and dead letters: one format everywhere. */

/**
 * A readable one-line description of a thrown value: an `Error`'s message (prefixed by its
 * name when `withName`), a string as it is, anything else as JSON (or `String()` when JSON
 * cannot show it).
 */
export function errorMessage(error: unknown, withName = false): string {
  if (error instanceof Error) return withName ? `${error.name}: ${error.message}` : error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
