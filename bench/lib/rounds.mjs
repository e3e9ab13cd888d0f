/**
 * Interleaved latency measurement: every case runs a slice of its iterations in each round,
 * in a rotating order, so drift (CPU frequency, GC, other load) hits all cases alike.
 */
import process from 'node:process';

/**
 * Times sequential awaits of each case.
 * @param {Array<{ label: string, run: () => Promise<unknown> }>} cases what to time
 * @param {{ rounds?: number, iterations?: number, warmup?: number }} [options]
 *   `iterations` per case in total, split over `rounds`; `warmup` untimed calls per case first.
 * @returns {Promise<Map<string, number[]>>} latencies in ms per case label
 */
export async function measureInterleaved(cases, options = {}) {
  const rounds = options.rounds ?? 10;
  const iterations = options.iterations ?? 20_000;
  const warmup = options.warmup ?? 2_000;
  const perRound = Math.max(1, Math.floor(iterations / rounds));
  for (const c of cases) for (let i = 0; i < warmup; i++) await c.run();
  const samples = new Map(cases.map((c) => [c.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(round + k) % cases.length];
      const out = samples.get(c.label);
      for (let i = 0; i < perRound; i++) {
        const start = process.hrtime.bigint();
        await c.run();
        out.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
  }
  return samples;
}
