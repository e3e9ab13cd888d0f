/* Display formats of the P&L dashboard: decimal strings from the service in, text out, never through a binary float. */

const LOCALE = 'en-US';
const CURRENCY = 'USD';

/** A decimal as the service writes it; Intl.NumberFormat formats such a string exactly (no float rounding). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Money with a sign and 2 decimals, prices with 2-4, quantities as they are, percentages with a sign. */
export const formats = {
  money: new Intl.NumberFormat(LOCALE, { style: 'currency', currency: CURRENCY, minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }),
  price: new Intl.NumberFormat(LOCALE, { style: 'currency', currency: CURRENCY, minimumFractionDigits: 2, maximumFractionDigits: 4 }),
  qty: new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 8 }),
  pct: new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }),
  axis: new Intl.NumberFormat(LOCALE, { style: 'currency', currency: CURRENCY, notation: 'compact', maximumFractionDigits: 1 }),
  time: new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
  clock: new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', hour12: false }),
};

/**
 * Formats a decimal string ('–' for anything else). The sign comes from the formatted parts, so
 * a loss that rounds to 0.00 shows as zero: `{ text: '-$27.50', sign: 'neg' }`.
 */
export function formatDecimal(format, value) {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return { text: '–', sign: 'zero' };
  const parts = format.formatToParts(value);
  const sign = parts.some((p) => p.type === 'minusSign') ? 'neg' : parts.some((p) => p.type === 'plusSign') ? 'pos' : 'zero';
  return { text: parts.map((p) => p.value).join(''), sign };
}

/** Shows a signed amount in `el` (text, `data-sign` for colour and arrow, `data-value` = the server's string); returns the text. */
export function showSigned(el, format, value, suffix = '') {
  const { text, sign } = formatDecimal(format, value);
  el.textContent = text === '–' ? text : text + suffix;
  el.dataset.sign = sign;
  el.dataset.value = value == null ? '' : String(value);
  return el.textContent;
}

/** Shows an unsigned figure (a price or a quantity) in `el`, keeping the server's string in `data-value`. */
export function showPlain(el, format, value) {
  el.textContent = formatDecimal(format, value).text;
  el.dataset.value = value == null ? '' : String(value);
}
