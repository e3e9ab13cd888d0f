/**
 * Errors thrown by the shared example code (market data, features, model). Each carries the
 * place that is wrong so a user can fix their input file without reading the source.
 */

/** A market-data CSV is malformed: bad header, bad number, duplicate row... */
export class MarketDataError extends Error {
  /** File name or other label of the input. */
  readonly source: string;
  /** 1-based line number of the offending row, when the problem is on one line. */
  readonly line: number | undefined;
  /** Column name of the offending field, when the problem is in one field. */
  readonly column: string | undefined;

  constructor(source: string, message: string, where: { line?: number; column?: string } = {}) {
    const place = [
      source,
      where.line === undefined ? undefined : `line ${where.line}`,
      where.column === undefined ? undefined : `column '${where.column}'`,
    ]
      .filter((part) => part !== undefined)
      .join(', ');
    super(`${place}: ${message}`);
    this.name = 'MarketDataError';
    this.source = source;
    this.line = where.line;
    this.column = where.column;
  }
}

/** A model file is missing, unreadable or does not describe a valid linear model. */
export class ModelError extends Error {
  /** Path or label of the model file. */
  readonly source: string;
  /** One readable line per problem, e.g. `weights.FOO: unknown feature`. */
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[], options: { cause?: unknown } = {}) {
    super(
      `${source}: invalid model: ${problems.join('; ')}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ModelError';
    this.source = source;
    this.problems = Object.freeze([...problems]);
  }
}
