/**
 * Cheap hot paths for the SDK's metrics: counter increments add to plain numbers (one per label
 * combination) that reach the prom-client `Counter` when it is collected, and histogram
 * observations land in per-label bucket arrays that the registry reads at scrape time. No label
 * object is built, hashed or validated per event.
 */
import type { Counter, Histogram, Registry } from 'prom-client';
import { promClient } from './prom-client.js';

/** The pending increments of one label combination. */
export interface Cell {
  readonly labels: Record<string, string>;
  pending: number;
  /** Whether the series was created (a first flush adds 0, so known series show before their first event). */
  flushed: boolean;
}

/** What defines one metric. */
export interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

/**
 * A prom-client `Counter` fed at collect time from per-label-combination numbers. At most two
 * labels; `cell` and `add` take their values in `labelNames` order.
 */
export class CounterCells {
  readonly counter: Counter;
  readonly #labelNames: readonly string[];
  readonly #index = new Map<string, Map<string, Cell>>();
  readonly #cells: Cell[] = [];
  readonly #initial: Cell[];

  /** `initial`: label values whose series exist (at 0) from the first scrape, and again from the first scrape after a reset. */
  constructor(registry: Registry, spec: MetricSpec, initial: ReadonlyArray<readonly [string?, string?]> = []) {
    this.#labelNames = spec.labelNames;
    const flush = this.#flush.bind(this);
    const counter = new promClient.Counter({ name: spec.name, help: spec.help, labelNames: [...spec.labelNames], registers: [registry], collect: flush });
    // `registry.resetMetrics()` calls each metric's `reset()`: what was counted but not yet
    // collected goes too, and the initial series come back at 0 as after registering.
    const reset = counter.reset.bind(counter);
    counter.reset = (): void => {
      reset();
      this.#reset();
    };
    this.counter = counter;
    this.#initial = initial.map(([a, b]) => this.cell(a, b));
  }

  /** The cell of label values `a`, `b` (unused labels are left out); keep it to add to it directly. */
  cell(a = '', b = ''): Cell {
    let inner = this.#index.get(a);
    if (inner === undefined) this.#index.set(a, (inner = new Map()));
    let cell = inner.get(b);
    if (cell === undefined) {
      const labels: Record<string, string> = {};
      const names = this.#labelNames;
      if (names[0] !== undefined) labels[names[0]] = a;
      if (names[1] !== undefined) labels[names[1]] = b;
      cell = { labels, pending: 0, flushed: false };
      inner.set(b, cell);
      this.#cells.push(cell);
    }
    return cell;
  }

  /** Adds `n` to the series of label values `a`, `b`. */
  add(n: number, a?: string, b?: string): void {
    this.cell(a, b).pending += n;
  }

  #reset(): void {
    for (const cell of this.#cells) {
      cell.pending = 0;
      cell.flushed = true;
    }
    for (const cell of this.#initial) cell.flushed = false;
  }

  #flush(): void {
    for (const cell of this.#cells) {
      if (cell.pending === 0 && cell.flushed) continue;
      this.counter.inc(cell.labels, cell.pending);
      cell.pending = 0;
      cell.flushed = true;
    }
  }
}

/** One label value's buckets: counts per upper bound (the last slot is `+Inf`), sum and count. */
interface Series {
  readonly labels: Record<string, string>;
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

type HistogramValues = Awaited<ReturnType<Histogram['get']>>;

/**
 * A histogram of seconds with one label, in Prometheus's histogram exposition (`_bucket{le}`,
 * `_sum`, `_count`). prom-client's own `Histogram.observe` validates and hashes its label object on
 * every call (about half a microsecond); this one finds its series by one `Map` lookup and its
 * bucket by a loop over the bounds. It is registered in the prom-client registry as a metric
 * object: the registry reads it through `get()` (the `MetricObjectWithValues` shape of
 * prom-client's own metrics) and clears it through `reset()`.
 */
export class SecondsHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly labelNames: readonly string[];
  readonly #label: string;
  readonly #bounds: readonly number[];
  #series = new Map<string, Series>();

  constructor(registry: Registry, spec: MetricSpec, buckets: readonly number[]) {
    const [label] = spec.labelNames;
    if (label === undefined || spec.labelNames.length !== 1) throw new Error(`histogram ${spec.name} must have exactly one label`);
    this.name = spec.name;
    this.help = spec.help;
    this.labelNames = spec.labelNames;
    this.#label = label;
    this.#bounds = buckets;
    registry.registerMetric(this as unknown as Histogram);
  }

  /** Observes `seconds` in the series of label value `value`. */
  observe(value: string, seconds: number): void {
    let series = this.#series.get(value);
    if (series === undefined) {
      series = { labels: { [this.#label]: value }, counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#series.set(value, series);
    }
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    series.counts[i] = (series.counts[i] ?? 0) + 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** Drops every series (prom-client's `registry.resetMetrics()`). */
  reset(): void {
    this.#series = new Map();
  }

  /** The exposition values, as prom-client's `Histogram.get()` gives them. */
  async get(): Promise<HistogramValues> {
    const values: HistogramValues['values'] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, counts, sum, count } of this.#series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += counts[i] as number;
        values.push({ labels: { ...labels, le: this.#bounds[i] as number }, value: cumulative, metricName: bucket });
      }
      values.push({ labels: { ...labels, le: '+Inf' }, value: count, metricName: bucket });
      values.push({ labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' } as unknown as HistogramValues;
  }
}
