/**
 * Human-readable output of a paper run: one block per day and a closing summary.
 */
import type { Position } from '../../execution-gateway/src/paper-broker.js';
import type { PaperBook } from './book.js';
import type { CacheUse, DayReport } from './orchestrator.js';

/** What {@link printSummary} shows. */
export interface RunSummary {
  days: readonly DayReport[];
  events: Readonly<Record<string, number>>;
  durable: Readonly<Record<string, number>> | null;
  positions: readonly Position[];
}

const money = (value: number): string =>
  `${value < 0 ? '-' : '+'}${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const cacheUse = ({ hits, misses, joined }: CacheUse): string => `${hits} hits / ${misses} misses / ${joined} joined`;

/** Prints one day: cache use of both signal requests, orders and the day's P&L. */
export function printDay(report: DayReport, print: (line: string) => void): void {
  const { generated, refetched, orders, mark } = report;
  print(`  signals (scheduled run):        cache ${cacheUse(generated)}`);
  print(`  signals (re-run after event):   cache ${cacheUse(refetched)}`);
  const trades = orders.fills.map((f) => `${f.side} ${f.quantity} ${f.symbol}`).join(', ') || 'none (already at target)';
  print(`  orders: ${orders.num_accepted} accepted, ${orders.num_rejected} rejected: ${trades}`);
  print(`  P&L: day ${money(mark.dayPnl)}, total ${money(mark.totalPnl)}, equity ${money(mark.equity).slice(1)}`);
}

/** Prints the P&L table, event counts and final positions. */
export function printSummary(summary: RunSummary, book: PaperBook, print: (line: string) => void): void {
  print('\nSummary');
  print('  date         day P&L        total P&L');
  for (const { mark } of summary.days) print(`  ${mark.date}   ${money(mark.dayPnl).padStart(12)}   ${money(mark.totalPnl).padStart(12)}`);
  const last = summary.days[summary.days.length - 1];
  print(`  final P&L: ${last ? money(last.mark.totalPnl) : '0'}`);
  const hits = summary.days.reduce((n, d) => n + d.generated.hits + d.refetched.hits, 0);
  const misses = summary.days.reduce((n, d) => n + d.generated.misses + d.refetched.misses, 0);
  const joined = summary.days.reduce((n, d) => n + d.generated.joined + d.refetched.joined, 0);
  print(`  feature cache: ${hits} hits, ${misses} misses, ${joined} joined`);
  print(`  events (pub/sub): ${Object.entries(summary.events).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  if (summary.durable) print(`  events (stream consumer group): ${Object.entries(summary.durable).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  else print('  events (stream consumer group): not used (the embedded Redis has no consumer groups)');
  const held = book.holdings().map(([s, q]) => `${s} ${q}`).join(', ');
  print(`  positions (orchestrator book): ${held || 'none'}`);
  print(`  positions (gateway): ${summary.positions.map((p) => `${p.symbol} ${p.quantity}`).join(', ') || 'none'}`);
}
