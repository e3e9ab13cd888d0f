/* The positions table of the P&L dashboard: keyed by symbol, rows updated in place and kept sorted. */
/* global document */
import { formats, showPlain, showSigned } from './format.js';

const COLUMNS = ['qty', 'avg_entry_price', 'current_price', 'unrealized_pl', 'unrealized_pl_pct', 'price_source'];

function createRow(symbol) {
  const tr = document.createElement('tr');
  tr.dataset.testid = 'position-row';
  tr.dataset.symbol = symbol;
  const th = document.createElement('th');
  th.scope = 'row';
  th.dataset.testid = 'cell-symbol';
  th.textContent = symbol;
  tr.append(th);
  const cells = {};
  for (const column of COLUMNS) {
    const td = document.createElement('td');
    td.dataset.testid = `cell-${column}`;
    td.className = column === 'price_source' ? `col-${column}` : `num col-${column}`;
    cells[column] = td;
    tr.append(td);
  }
  return { tr, cells, row: null };
}

function badge(text, kind) {
  const span = document.createElement('span');
  span.className = `badge badge-${kind}`;
  span.textContent = text;
  return span;
}

function flash(tr, up) {
  tr.classList.remove('tick-up', 'tick-down');
  void tr.offsetWidth; // restarts the animation when ticks come faster than it runs
  tr.classList.add(up ? 'tick-up' : 'tick-down');
}

function fillRow(entry, row) {
  const { cells } = entry;
  showPlain(cells.qty, formats.qty, row.qty);
  showPlain(cells.avg_entry_price, formats.price, row.avg_entry_price);
  showPlain(cells.current_price, formats.price, row.current_price);
  showSigned(cells.unrealized_pl, formats.money, row.unrealized_pl);
  showSigned(cells.unrealized_pl_pct, formats.pct, row.unrealized_pl_pct, '%');
  const live = row.price_source === 'real-time';
  cells.price_source.dataset.value = row.price_source;
  cells.price_source.replaceChildren(badge(live ? 'Real-time' : 'Fallback', live ? 'live' : 'fallback'));
  cells.price_source.title = row.last_price_update
    ? `Last price ${formats.time.format(new Date(row.last_price_update))}`
    : 'No real-time price: marked at a fallback price';
  entry.tr.dataset.source = live ? 'live' : 'fallback';
  // The direction of a tick is only a highlight; comparing as floats is good enough for it.
  if (entry.row && entry.row.current_price !== row.current_price) flash(entry.tr, Number(row.current_price) >= Number(entry.row.current_price));
  entry.row = row;
}

/**
 * Renders rows into `body` (a tbody) and shows `empty` when there are none. `render(rows)` takes
 * a Map symbol -> row as the service sent it; a row object that did not change is not touched.
 */
export function createPositionsTable(body, empty) {
  const rendered = new Map();
  return {
    render(rows) {
      for (const [symbol, entry] of rendered) {
        if (!rows.has(symbol)) {
          entry.tr.remove();
          rendered.delete(symbol);
        }
      }
      const symbols = [...rows.keys()].sort();
      symbols.forEach((symbol, index) => {
        let entry = rendered.get(symbol);
        if (!entry) {
          entry = createRow(symbol);
          rendered.set(symbol, entry);
        }
        const row = rows.get(symbol);
        if (entry.row !== row) fillRow(entry, row);
        if (body.children[index] !== entry.tr) body.insertBefore(entry.tr, body.children[index] ?? null);
      });
      empty.hidden = symbols.length > 0;
    },
  };
}
