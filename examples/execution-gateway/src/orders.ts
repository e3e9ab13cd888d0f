/**
 * Reading `POST /api/v1/orders` bodies into one batch of signed order quantities: either explicit
 * orders, or the target weights of a signal-service response with a notional capital (turned into
 * the trades that move the current positions to the targets). A malformed body is a 400; a bad
 * order inside a good body is rejected with a reason, and the rest of the batch still runs.
 */
import { BadRequestError } from '../../lib/bad-request.js';
import { dateProblem } from '../../lib/dates.js';
import type { PaperBroker } from './paper-broker.js';

/** An order the gateway will fill: signed quantity, positive buys. */
export interface AcceptedOrder {
  symbol: string;
  quantity: number;
}

/** An order the gateway refused, with why. */
export interface RejectedOrder {
  symbol: string;
  quantity: unknown;
  reason: string;
}

/** A parsed request. */
export interface OrderBatch {
  strategyId: string;
  asOfDate: string;
  accepted: AcceptedOrder[];
  rejected: RejectedOrder[];
}

type Body = Record<string, unknown>;

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function dateOf(value: unknown, field: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new BadRequestError(`${field} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const problem = dateProblem(value);
  if (problem !== undefined) throw new BadRequestError(`${field} ${problem}`);
  return value;
}

function checkSymbol(broker: PaperBroker, symbol: string, date: string): string | undefined {
  return broker.priceOn(symbol, date) === undefined ? `no close price for ${symbol} on ${date} (unknown symbol or not a trading day)` : undefined;
}

function explicitOrders(orders: unknown[], broker: PaperBroker, date: string): Pick<OrderBatch, 'accepted' | 'rejected'> {
  const accepted: AcceptedOrder[] = [];
  const rejected: RejectedOrder[] = [];
  orders.forEach((raw, i) => {
    if (!isRecord(raw)) throw new BadRequestError(`orders[${i}] must be an object {symbol, quantity, side?}`);
    const symbol = text(raw.symbol)?.toUpperCase();
    if (symbol === undefined) throw new BadRequestError(`orders[${i}].symbol must be a non-empty string`);
    const { quantity, side } = raw;
    const reject = (reason: string): void => void rejected.push({ symbol, quantity, reason });
    if (side !== undefined && side !== 'buy' && side !== 'sell') return reject(`side must be "buy" or "sell", got ${JSON.stringify(side)}`);
    if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) return reject('quantity must be an integer');
    if (quantity === 0) return reject('quantity must not be zero');
    if (side !== undefined && quantity < 0) return reject('quantity must be positive when side is given');
    const problem = checkSymbol(broker, symbol, date);
    if (problem !== undefined) return reject(problem);
    accepted.push({ symbol, quantity: side === 'sell' ? -quantity : quantity });
  });
  return { accepted, rejected };
}

function rebalanceOrders(signals: unknown[], capital: number, broker: PaperBroker, strategyId: string, date: string): Pick<OrderBatch, 'accepted' | 'rejected'> {
  const accepted: AcceptedOrder[] = [];
  const rejected: RejectedOrder[] = [];
  signals.forEach((raw, i) => {
    if (!isRecord(raw)) throw new BadRequestError(`signals[${i}] must be an object {symbol, target_weight}`);
    const symbol = text(raw.symbol)?.toUpperCase();
    const weight = raw.target_weight;
    if (symbol === undefined) throw new BadRequestError(`signals[${i}].symbol must be a non-empty string`);
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new BadRequestError(`signals[${i}].target_weight must be a finite number`);
    const price = broker.priceOn(symbol, date);
    if (price === undefined) return void rejected.push({ symbol, quantity: null, reason: checkSymbol(broker, symbol, date) as string });
    const delta = Math.trunc((weight * capital) / price) - broker.quantity(strategyId, symbol);
    if (delta !== 0) accepted.push({ symbol, quantity: delta });
  });
  return { accepted, rejected };
}

/**
 * Parses an order request. `defaultDate` is used when the body names no date.
 *
 * @throws BadRequestError for a malformed body.
 */
export function parseOrderRequest(body: unknown, broker: PaperBroker, defaultDate: string): OrderBatch {
  if (!isRecord(body)) throw new BadRequestError('body must be a JSON object');
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const strategyId = text(body.strategy_id) ?? text(metadata.strategy);
  if (strategyId === undefined) throw new BadRequestError('strategy_id must be a non-empty string');
  if (Array.isArray(body.orders)) {
    const asOfDate = dateOf(body.as_of_date, 'as_of_date', defaultDate);
    if (body.orders.length === 0) throw new BadRequestError('orders must not be empty');
    return { strategyId, asOfDate, ...explicitOrders(body.orders, broker, asOfDate) };
  }
  if (Array.isArray(body.signals)) {
    const asOfDate = dateOf(body.as_of_date ?? metadata.as_of_date, 'metadata.as_of_date', defaultDate);
    const capital = body.capital;
    if (typeof capital !== 'number' || !Number.isFinite(capital) || capital <= 0) {
      throw new BadRequestError(`capital must be a number > 0 with signals, got ${JSON.stringify(capital)}`);
    }
    return { strategyId, asOfDate, ...rebalanceOrders(body.signals, capital, broker, strategyId, asOfDate) };
  }
  throw new BadRequestError('body must have orders [{symbol, quantity, side?}] or signals [{symbol, target_weight}] with capital');
}
