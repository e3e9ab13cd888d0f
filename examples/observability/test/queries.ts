/**
 * What the real-Prometheus test reads from the shipped observability files: a loopback variant of
 * `prometheus.yml` (same jobs, same rule file, 1 s intervals), every PromQL expression of the
 * Grafana dashboard with Grafana's variables substituted, and the alert names of `alerts.yml`.
 */

/** A dashboard query: the panel it belongs to and its PromQL, variables substituted. */
export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
}

/** The parts of a Grafana panel the tests read. */
export interface DashboardPanel {
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  panels?: DashboardPanel[];
  targets?: Array<{ expr?: string; refId?: string }>;
}

/** The parts of a Grafana dashboard JSON the tests read. */
export interface Dashboard {
  panels?: DashboardPanel[];
  templating?: { list?: Array<{ name: string; allValue?: string }> };
}

/** Grafana's built-in interval variables, fixed to values that fit a 1 s scrape interval. */
export const GRAFANA_INTERVALS: Readonly<Record<string, string>> = Object.freeze({
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
});

/**
 * Substitutes Grafana variables in `expr` (`$name`, `${name}`, `[[name]]`): the built-in
 * intervals by {@link GRAFANA_INTERVALS}, the dashboard's own by `values` (their "All" value).
 * @throws Error naming a variable that has no value.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  const all = { ...GRAFANA_INTERVALS, ...values };
  return expr.replace(/\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]/g, (match, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c) as string;
    const value = all[name];
    if (value === undefined) throw new Error(`no value for the Grafana variable ${match} in ${expr}`);
    return value;
  });
}

/** Every query of every panel (rows' nested panels included), variables substituted by their "All" values. */
export function dashboardQueries(dashboard: Dashboard): PanelQuery[] {
  const values: Record<string, string> = {};
  for (const variable of dashboard.templating?.list ?? []) values[variable.name] = variable.allValue ?? '.+';
  const queries: PanelQuery[] = [];
  const walk = (panels: readonly DashboardPanel[]): void => {
    for (const panel of panels) {
      walk(panel.panels ?? []);
      for (const target of panel.targets ?? []) {
        if (target.expr === undefined) continue;
        queries.push({ panel: panel.title ?? '(untitled)', refId: target.refId ?? '?', expr: substituteVariables(target.expr, values) });
      }
    }
  };
  walk(dashboard.panels ?? []);
  return queries;
}

/** The `- alert: Name` entries of a rule file, in order. */
export function alertNames(rulesYaml: string): string[] {
  return [...rulesYaml.matchAll(/^\s*- alert:\s*(\S+)\s*$/gm)].map((m) => m[1] as string);
}

function replaceOnce(text: string, search: RegExp, replacement: string, what: string): string {
  const count = [...text.matchAll(new RegExp(search.source, `${search.flags.replace('g', '')}g`))].length;
  if (count !== 1) throw new Error(`prometheus.yml: expected one ${what}, found ${count}`);
  return text.replace(search, replacement);
}

/**
 * The shipped `prometheus.yml` for a test: 1 s scrape and evaluation intervals, the rule file by
 * its absolute path, each service job's target replaced by `targets[job]`, and the jobs listed in
 * `dropJobs` (redis_exporter, which the test does not run) removed.
 * @throws Error when the shipped file does not have the expected shape (a job without a target,
 *   a job the test does not know, a missing interval or rule file).
 */
export function loopbackConfig(shipped: string, options: { targets: Record<string, string>; rulesPath: string; dropJobs: readonly string[] }): string {
  let text = replaceOnce(shipped, /^(\s+)scrape_interval: \S+$/m, '$1scrape_interval: 1s', 'global scrape_interval');
  text = replaceOnce(text, /^(\s+)evaluation_interval: \S+$/m, '$1evaluation_interval: 1s', 'global evaluation_interval');
  text = replaceOnce(text, /^(\s+)- alerts\.yml$/m, `$1- ${options.rulesPath}`, 'rule file alerts.yml');
  const at = text.indexOf('\nscrape_configs:\n');
  if (at < 0) throw new Error('prometheus.yml: no scrape_configs');
  const [head, ...jobs] = text.slice(at).split(/(?=^ {2}- job_name: )/m);
  const seen = new Set<string>();
  const kept = jobs.flatMap((block) => {
    const name = /^ {2}- job_name: (\S+)/.exec(block)?.[1] as string;
    seen.add(name);
    if (options.dropJobs.includes(name)) return [];
    const target = options.targets[name];
    if (target === undefined) throw new Error(`prometheus.yml: job ${name} is neither a test target nor dropped`);
    return [replaceOnce(block, /targets: \[[^\]]*\]/, `targets: ['${target}']`, `target of job ${name}`)];
  });
  for (const name of [...Object.keys(options.targets), ...options.dropJobs]) {
    if (!seen.has(name)) throw new Error(`prometheus.yml: no job ${name}`);
  }
  return text.slice(0, at) + (head as string) + kept.join('');
}
