/** The client-error type the example services answer with a 400. */

/** A client error: the service answers 400 with this message (Fastify reads `statusCode`). */
export class BadRequestError extends Error {
  /** The HTTP status the service answers with. */
  readonly statusCode = 400;
  override readonly name = 'BadRequestError';
}
