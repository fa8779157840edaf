// The uncertainty of a gain measured on the same held-out examples: the paired bootstrap
// resamples examples (with replacement) and recomputes the mean difference each time.
import { Rng } from '../core/util/rng.js';

export interface BootstrapInterval {
  /** mean of after − before over the examples */
  mean: number;
  lo: number;
  hi: number;
  /** the interval's coverage, e.g. 0.95 */
  level: number;
  resamples: number;
  examples: number;
}

/**
 * Percentile interval of mean(after[i] − before[i]) under resampling of the examples; pairs
 * where either side is null (a metric that does not apply) are left out. Seeded.
 */
export function pairedBootstrap(
  before: (number | null)[],
  after: (number | null)[],
  o: { resamples?: number; level?: number; seed?: number } = {},
): BootstrapInterval {
  if (before.length !== after.length) throw new Error(`pairedBootstrap: ${before.length} vs ${after.length} examples`);
  const resamples = o.resamples ?? 10_000,
    level = o.level ?? 0.95;
  const d: number[] = [];
  before.forEach((b, i) => {
    const a = after[i];
    if (b !== null && a !== null && a !== undefined) d.push(a - b);
  });
  const n = d.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, level, resamples, examples: 0 };
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const rng = new Rng(o.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += d[rng.int(n)]!;
    means[r] = s / n;
  }
  means.sort();
  const at = (q: number): number => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))]!;
  return { mean, lo: at((1 - level) / 2), hi: at(1 - (1 - level) / 2), level, resamples, examples: n };
}

/** The gain of one metric between two evaluations of the same examples (rows of per-example scores). */
export const metricGain = (
  before: Record<string, number | null>[],
  after: Record<string, number | null>[],
  metric: string,
  o?: { resamples?: number; level?: number; seed?: number },
): BootstrapInterval =>
  pairedBootstrap(
    before.map((s) => s[metric] ?? null),
    after.map((s) => s[metric] ?? null),
    o,
  );
