/**
 * Validation of `POST /api/v1/signals/generate` bodies against the loaded market data: every
 * problem becomes a 400 with a message naming the field and what was wrong.
 */
import { BadRequestError } from '../../lib/bad-request.js';
import { dateProblem } from '../../lib/dates.js';
import type { MarketData } from '../../shared/index.js';
import type { GenerationRequest } from './signal-generator.js';

/** Book sizes used when a request does not give `top_n` / `bottom_n`. */
export interface BookDefaults {
  topN: number;
  bottomN: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new BadRequestError(`${field} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function symbolsOf(body: Record<string, unknown>, data: MarketData): string[] {
  const raw = body.symbols;
  if (!Array.isArray(raw) || raw.length === 0) throw new BadRequestError('symbols must be a non-empty array of symbols');
  const symbols = raw.map((s: unknown, i) => {
    if (typeof s !== 'string' || s.trim() === '') throw new BadRequestError(`symbols[${i}] must be a non-empty string`);
    return s.trim().toUpperCase();
  });
  const duplicates = symbols.filter((s, i) => symbols.indexOf(s) !== i);
  if (duplicates.length > 0) throw new BadRequestError(`symbols must not repeat: ${[...new Set(duplicates)].join(', ')}`);
  const unknown = symbols.filter((s) => !data.bars.has(s));
  if (unknown.length > 0) throw new BadRequestError(`unknown symbol(s): ${unknown.join(', ')} (no market data)`);
  return symbols;
}

function dateOf(body: Record<string, unknown>, data: MarketData, symbols: readonly string[]): string {
  const raw = body.as_of_date;
  const days = data.tradingDays();
  if (raw === undefined || raw === null) return days[days.length - 1] as string;
  if (typeof raw !== 'string') throw new BadRequestError(`as_of_date must be a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  const problem = dateProblem(raw);
  if (problem !== undefined) throw new BadRequestError(`as_of_date ${problem}`);
  const without = symbols.filter((s) => data.closeOn(s, raw) === undefined);
  if (without.length > 0) throw new BadRequestError(`as_of_date ${raw} is not a trading day for ${without.join(', ')}`);
  return raw;
}

/**
 * Validates a request body; `top_n`/`bottom_n` default to `defaults`, reduced to fit when the
 * request has few symbols.
 *
 * @throws BadRequestError describing the first problem.
 */
export function parseGenerateRequest(body: unknown, data: MarketData, defaults: BookDefaults): GenerationRequest {
  if (!isRecord(body)) throw new BadRequestError('body must be a JSON object');
  const symbols = symbolsOf(body, data);
  const asOfDate = dateOf(body, data, symbols);
  const half = Math.floor(symbols.length / 2);
  const topN = count(body, 'top_n') ?? Math.min(defaults.topN, half);
  const bottomN = count(body, 'bottom_n') ?? Math.min(defaults.bottomN, symbols.length - topN, half);
  if (topN + bottomN > symbols.length) {
    throw new BadRequestError(`top_n (${topN}) + bottom_n (${bottomN}) must not exceed the ${symbols.length} symbols`);
  }
  return { symbols, asOfDate, topN, bottomN };
}
