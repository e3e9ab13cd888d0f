/** The data of the P&L stream's messages (`event: snapshot`, `update`, `status`), as the page and tests read them. */
import type { CurvePoint } from './curve.js';
import type { PnlRow, PnlTotals, RealtimePnl } from './view.js';

/** The data of an `event: snapshot` message: the REST body plus what the page needs to draw and judge staleness. */
export interface SnapshotMessage extends RealtimePnl {
  stale_after_ms: number;
  /** When the service last received any price (ISO 8601 UTC), or `null`. */
  last_price_at: string | null;
  /** Recent total P&L points, oldest first. */
  curve: CurvePoint[];
  /** How often the curve is sampled: the page adds its own points no more often. */
  curve_interval_ms: number;
}

/**
 * The data of an `event: update` message: sent when a row changed or went away, or when only the
 * totals changed (a position opened and closed between two messages: `positions` and `removed`
 * are then empty).
 */
export interface UpdateMessage {
  /** Rows that changed since the client's last message, latest values, sorted by symbol. */
  positions: PnlRow[];
  /** Symbols that were rows and are now flat. */
  removed: string[];
  totals: PnlTotals;
  timestamp: string;
  last_price_at: string | null;
  point: CurvePoint;
}

/**
 * The data of an `event: status` message: a price arrived that changed nothing the client shows
 * (a symbol it does not hold), so only the time of the last price is news. At most one a second,
 * and only when no other message told the client that time.
 */
export interface StatusMessage {
  last_price_at: string | null;
  timestamp: string;
}
