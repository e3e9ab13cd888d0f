/* The dashboard's connection pill and price age: live, reconnecting (stream error) or stale (no price for stale_after_ms, on a timer). */
import { formats } from './format.js';

const PILLS = {
  connecting: ['Connecting', 'Waiting for the first snapshot'],
  reconnecting: ['Reconnecting', 'The stream dropped; the browser reconnects by itself and gets a fresh snapshot'],
  live: ['Live', 'Connected; prices are current'],
  stale: ['Stale', ''],
};

/**
 * Tracks the connection and the age of the last price. Ages use the server's clock only (its
 * `timestamp` and `last_price_at`, plus the time elapsed here since the message), so a skewed
 * browser clock does not make the numbers look fresh or stale. Before any price, the age counts
 * from the current connection's snapshot.
 */
export function createStatus({ pill, priceAge, updated }) {
  let connection = 'connecting';
  let staleAfterMs = 10_000;
  let lastPriceAtMs = null;
  let serverOffsetMs = 0;
  let connectedAtMs = 0;

  const ageMs = () => (lastPriceAtMs === null ? Date.now() - connectedAtMs : Math.max(0, Date.now() + serverOffsetMs - lastPriceAtMs));

  /** Notes the server's clock and last price time of any message; returns the server's time (ms) or NaN. */
  const noteClock = (message) => {
    connection = 'open';
    const serverNowMs = Date.parse(message.timestamp);
    if (Number.isFinite(serverNowMs)) serverOffsetMs = serverNowMs - Date.now();
    const priceAtMs = message.last_price_at ? Date.parse(message.last_price_at) : NaN;
    lastPriceAtMs = Number.isFinite(priceAtMs) ? priceAtMs : null;
    return serverNowMs;
  };

  return {
    /** A snapshot or update arrived: the stream is open; note its clock and last price time. */
    noteMessage(message, isSnapshot) {
      if (isSnapshot) {
        connectedAtMs = Date.now();
        if (typeof message.stale_after_ms === 'number') staleAfterMs = message.stale_after_ms;
      }
      const serverNowMs = noteClock(message);
      if (Number.isFinite(serverNowMs)) updated.textContent = `Updated ${formats.time.format(new Date(serverNowMs))}`;
    },
    /** A status message arrived: a price came that changed nothing shown (the P&L is not "updated"). */
    noteStatus(message) {
      noteClock(message);
    },
    /** The stream failed; the first snapshot has not come yet or the browser is reconnecting. */
    noteError() {
      if (connection !== 'connecting') connection = 'reconnecting';
    },
    render() {
      let kind = connection;
      let title;
      if (connection === 'open') {
        const age = ageMs();
        const seconds = Math.floor(age / 1000);
        priceAge.textContent = lastPriceAtMs === null ? 'No price received yet' : seconds < 1 ? 'Last price just now' : `Last price ${seconds} s ago`;
        kind = age > staleAfterMs ? 'stale' : 'live';
        if (kind === 'stale') title = `No price for ${seconds} s (stale after ${Math.round(staleAfterMs / 1000)} s)`;
      }
      const [text, defaultTitle] = PILLS[kind];
      if (pill.dataset.state !== kind) {
        pill.dataset.state = kind;
        pill.textContent = text;
      }
      pill.title = title ?? defaultTitle;
    },
  };
}
