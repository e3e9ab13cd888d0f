/**
 * The P&L service's side of the demos: waiting until the service shows the orchestrator book's
 * positions marked at a day's closes, and P&L amounts printed the way the run report prints them.
 */
import type { PnlService } from '../pnl-service/src/app.js';
import { Money } from '../pnl-service/src/money.js';
import type { RealtimePnl } from '../pnl-service/src/view.js';

/** A decimal string as signed money with two places and thousands separators: `"-1234.5"` -> `-1,234.50` (exact, half-even). */
export function signedMoney(decimal: string): string {
  const value = new Money(decimal).toDecimalPlaces(2, Money.ROUND_HALF_EVEN);
  const [whole, cents] = value.abs().toFixed(2).split('.') as [string, string];
  return `${value.isNegative() && !value.isZero() ? '-' : '+'}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** Whether `body` holds exactly `holdings` (symbol, shares), each marked in real time at `closes`. */
function marked(body: RealtimePnl, holdings: ReadonlyArray<readonly [string, number]>, closes: ReadonlyMap<string, string>): boolean {
  if (body.positions.length !== holdings.length) return false;
  return holdings.every(([symbol, qty], i) => {
    const row = body.positions[i];
    return row?.symbol === symbol && Number(row.qty) === qty && row.price_source === 'real-time' && new Money(row.current_price).equals(new Money(closes.get(symbol) ?? 'NaN'));
  });
}

/**
 * Polls the service's `GET /api/v1/positions/pnl/realtime` until it shows `holdings` (sorted by
 * symbol, as the orchestrator book lists them) each marked at its price in `closes`: then its
 * totals are those of the same book at the same prices. Resolves that body.
 * @throws Error saying what the service showed last when it does not within `timeoutMs`.
 */
export async function waitForMarks(service: PnlService, holdings: ReadonlyArray<readonly [string, number]>, closes: ReadonlyMap<string, string>, timeoutMs = 10_000): Promise<RealtimePnl> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await service.app.inject({ method: 'GET', url: '/api/v1/positions/pnl/realtime' });
    const body = response.json<RealtimePnl>();
    if (marked(body, holdings, closes)) return body;
    if (Date.now() > deadline) {
      const shown = body.positions.map((r) => `${r.symbol} ${r.qty} @ ${r.current_price} (${r.price_source})`).join(', ');
      throw new Error(`the P&L service did not show the book's positions at the closes within ${timeoutMs} ms: it shows ${shown || 'none'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
