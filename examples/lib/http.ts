/** JSON over HTTP between the example services (Node's global `fetch`). */

/** A non-2xx answer from another service. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** The HTTP status. */
  readonly status: number;

  constructor(url: string, status: number, body: string) {
    super(`${url} answered ${status}: ${body}`);
    this.status = status;
  }
}

/** POSTs `body` as JSON and returns the parsed answer. @throws HttpError on a non-2xx status. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new HttpError(url, response.status, text);
  return JSON.parse(text) as T;
}

/** GETs `url` and returns the parsed answer. @throws HttpError on a non-2xx status. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new HttpError(url, response.status, text);
  return JSON.parse(text) as T;
}
