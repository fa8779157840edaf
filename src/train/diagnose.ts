// Headroom diagnostics: how much better than greedy decoding a model's own samples get
// (pass@k, best-of-k) and how much GRPO signal its sample groups carry (zero-spread share,
// reward spread). RL can only reinforce what the model already samples: a model whose
// samples never beat its greedy answer, or whose groups all score alike, leaves GRPO little.
import type { LlamaForCausalLM } from '../core/models/index.js';
import { generate } from '../core/generate/index.js';
import { autocast } from '../core/tensor/index.js';
import type { Example, WorldModelDomain } from './domain.js';
import { safeReward } from './safe.js';
import { constraints, encodePrompts, safeDecode } from './evaluate.js';
import { safeMetric } from './safe.js';
import { table } from '../core/util/markdown.js';

const checkK = (k: number, n: number, what: string): void => {
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`${what} must be an integer in [1, ${n}], got ${k}`);
};

/** Unbiased pass@k (Chen et al. 2021): 1 - C(n-c,k)/C(n,k), as a product so large n stays finite. */
export function passAtK(n: number, c: number, k: number): number {
  checkK(k, n, 'passAtK: k');
  if (!Number.isInteger(c) || c < 0 || c > n)
    throw new RangeError(`passAtK: c must be an integer in [0, ${n}], got ${c}`);
  if (n - c < k) return 1;
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

/**
 * Unbiased expected maximum of k of the n rewards drawn without replacement: with r sorted
 * ascending, Σ_i r_(i)·C(i-1,k-1)/C(n,k). The weights are built from w_n = k/n downwards by
 * w_(i-1) = w_i·(i-k)/(i-1), so no binomial is ever formed.
 */
export function bestOfK(rewards: number[], k: number): number {
  const n = rewards.length;
  checkK(k, n, 'bestOfK: k');
  const r = [...rewards].sort((a, b) => a - b);
  let w = k / n,
    sum = 0;
  for (let i = n; i >= k; i--) {
    sum += w * r[i - 1]!;
    w *= (i - k) / (i - 1);
  }
  return sum;
}

/**
 * Probability that a random group of G of the n rewards has zero spread (max - min ≤
 * threshold, as the GRPO trainer counts it). Exact: each such group is counted once, by its
 * smallest member i (in sorted order) and the m_i later rewards within threshold of it:
 * Σ_i C(m_i, G-1)/C(n,G) = Σ_i (G/n)·Π_{j<G-1} (m_i-j)/(n-1-j). For values that are equal or
 * far apart this is Σ_v C(count_v, G)/C(n, G).
 */
export function zeroSpreadProbability(rewards: number[], G: number, threshold = 1e-6): number {
  const n = rewards.length;
  checkK(G, n, 'zeroSpreadProbability: G');
  const r = [...rewards].sort((a, b) => a - b);
  let p = 0;
  for (let i = 0, hi = 0; i < n; i++) {
    hi = Math.max(hi, i);
    while (hi + 1 < n && r[hi + 1]! - r[i]! <= threshold) hi++;
    const m = hi - i;
    let q = G / n;
    for (let j = 0; j < G - 1 && q > 0; j++) q *= Math.max(0, m - j) / (n - 1 - j);
    p += q;
  }
  return Math.min(1, p);
}

/** Sampling settings shared by diagnose and headroom. */
export interface SamplingOptions {
  /** sampling temperature (default 1, as GRPO samples) */
  temperature?: number;
  /** top-k filter while sampling (default 0: off) */
  topK?: number;
  /** longest prediction (default 256; a domain's generation constraints may set it per example) */
  maxNewTokens?: number;
  /** the reward scored (default: the domain's defaultReward) */
  reward?: string;
  /** the metric whose best value is success (default: the domain's primary metric), e.g. textgame's accuracy_dynamic */
  metric?: string;
  /** seeds every sample's own random stream: the same seed gives the same samples (default 0) */
  seed?: number;
  /** generated rows per batch (default 64): bounds memory whatever examples × samples is */
  batchSize?: number;
  /** decode under bfloat16 autocast */
  bf16?: boolean;
  /** the examples' prompts, when already encoded */
  prompts?: number[][];
}

export interface DiagnoseOptions extends SamplingOptions {
  /** the k of pass@k and best-of-k (default [1, 5, 16]); those above `samples` are left out */
  ks?: number[];
  /** samples per prompt, n (default max(ks)) */
  samples?: number;
  /** group sizes whose zero-spread share is reported (default [5, 16]); those above n are left out */
  groupSizes?: number[];
}

export interface DiagnoseReport {
  domain: string;
  examples: number;
  /** samples per prompt (n) */
  samples: number;
  temperature: number;
  reward: string;
  /** the domain's primary metric, and whether higher ('max') or lower ('min') is better */
  metric: string;
  goal: 'max' | 'min';
  /** greedy decoding: the primary metric's mean (over the examples it applies to) and the reward's */
  greedy: { metric: number; reward: number };
  /** the primary metric's and the reward's means over all samples */
  sampled: { metric: number; reward: number };
  /** mean per-sample success at the temperature (success: the primary metric reaches 1); null for 'min' metrics */
  pass1: number | null;
  /** pass@k per k (unbiased, averaged over prompts); null for 'min' metrics */
  passAtK: Record<string, number | null>;
  /** expected best reward of k samples per k, averaged over prompts */
  bestOfK: Record<string, number>;
  /** share of prompts whose greedy prediction fails while some sample succeeds; null for 'min' metrics */
  greedyFailsSampleSucceeds: number | null;
  /** per group size G: the probability that a random group of G samples of a prompt has zero reward spread */
  zeroSpread: Record<string, number>;
  /** mean over prompts of the unbiased std of the n sample rewards (null when n = 1) */
  rewardStd: number | null;
  seconds: number;
}

/** The cheap variant for use during training: sampled pass@1 and pass@k, and mean and best-of-k reward. */
export interface Headroom {
  k: number;
  /** null when the primary metric is lower-is-better (no success threshold) */
  'pass@1': number | null;
  'pass@K': number | null;
  /** mean reward of the samples, and the expected best of k */
  'reward@1': number;
  'reward@K': number;
}

interface SampleScores {
  reward: number[][];
  metric: (number | null)[][];
}

/** Per-row seeds from the seed, the example's id and the sample's index: independent of batching. */
function rowSeed(seed: number, id: string, j: number): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of `${id}\u0000${j}`) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

type Scorers<E extends Example, P> = {
  reward: (p: P, e: E) => Promise<number>;
  metric: (p: P, e: E) => Promise<number | null>;
};

/** The reward and the primary metric as functions that never throw (garbage scores 0, logged once per example). */
function scorers<E extends Example, P>(
  domain: WorldModelDomain<E, P>,
  rewardName = domain.defaultReward,
  metricName = domain.primaryMetric,
): Scorers<E, P> {
  const rewardFn = domain.rewards[rewardName];
  if (!rewardFn)
    throw new Error(`unknown reward '${rewardName}' (available: ${Object.keys(domain.rewards).join(', ')})`);
  const metricFn = domain.metrics[metricName];
  if (!metricFn)
    throw new Error(
      `domain '${domain.name}': unknown metric '${metricName}' (available: ${Object.keys(domain.metrics).join(', ')})`,
    );
  const reward = safeReward(rewardName, rewardFn);
  return { reward: async (p, e) => (await reward(p, e)).score, metric: safeMetric(metricName, metricFn) };
}

/** Generates n predictions per example (greedy: n = 1) and scores each with the reward and the primary metric. */
async function sampleScores<E extends Example, P>(
  model: LlamaForCausalLM,
  domain: WorldModelDomain<E, P>,
  examples: E[],
  n: number,
  score: Scorers<E, P>,
  o: SamplingOptions & { greedy?: boolean },
): Promise<SampleScores> {
  const prompts = o.prompts ?? (await encodePrompts(domain, examples));
  const out: SampleScores = {
    reward: examples.map(() => new Array<number>(n)),
    metric: examples.map(() => new Array<number | null>(n)),
  };
  // rows (example, sample), shortest prompts first so batches pad little
  const rows = examples
    .flatMap((_, i) => Array.from({ length: n }, (_, j) => [i, j] as const))
    .sort((a, b) => prompts[a[0]]!.length - prompts[b[0]]!.length || a[0] - b[0] || a[1] - b[1]);
  const bs = o.batchSize ?? 64;
  for (let s = 0; s < rows.length; s += bs) {
    const batch = rows.slice(s, s + bs);
    const c = constraints(
      domain,
      batch.map(([i]) => examples[i]!),
      o.maxNewTokens ?? 256,
    );
    const g = autocast(
      model.device,
      () =>
        generate(
          model,
          batch.map(([i]) => prompts[i]!),
          {
            maxNewTokens: c.maxNewTokens,
            greedy: o.greedy,
            temperature: o.temperature ?? 1,
            topK: o.topK,
            seeds: o.greedy ? undefined : batch.map(([i, j]) => rowSeed(o.seed ?? 0, examples[i]!.id, j)),
            stopTokens: [domain.codec.eosTokenId],
            padTokenId: domain.codec.padTokenId,
            forced: c.forced,
            allowedRange: c.allowedRange,
          },
        ),
      { enabled: o.bf16 ?? false },
    );
    await Promise.all(
      batch.map(async ([i, j], b) => {
        const e = examples[i]!;
        const p = await safeDecode(domain, g.tokens[b]!, e);
        out.reward[i]![j] = await score.reward(p, e);
        out.metric[i]![j] = await score.metric(p, e);
      }),
    );
  }
  return out;
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, v) => a + v, 0) / xs.length : 0);
const unbiasedStd = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
/** A prediction succeeds when the primary metric reaches its best value, 1 (for 'max' metrics). */
const SUCCESS = 1 - 1e-9;
/** Successes among a prompt's samples; null when the metric applies to none of them. */
const successes = (ms: (number | null)[]): number | null =>
  ms.every((m) => m === null) ? null : ms.filter((m) => m !== null && m >= SUCCESS).length;

/** pass@k averaged over the prompts the metric applies to; null for 'min' metrics (no success threshold). */
function meanPassAtK(c: (number | null)[], n: number, k: number, goal: 'max' | 'min'): number | null {
  const cs = c.filter((ci): ci is number => ci !== null);
  return goal === 'min' || !cs.length ? null : mean(cs.map((ci) => passAtK(n, ci, k)));
}

/** Greedy vs sampled quality of a model on examples: pass@k, best-of-k, zero-spread groups (see DiagnoseReport). */
export async function diagnose<E extends Example, P>(
  model: LlamaForCausalLM,
  domain: WorldModelDomain<E, P>,
  examples: E[],
  options: DiagnoseOptions = {},
): Promise<DiagnoseReport> {
  const t0 = Date.now();
  const ks = options.ks ?? [1, 5, 16];
  const n = options.samples ?? Math.max(...ks);
  checkK(n, Infinity, 'diagnose: samples');
  if (examples.length === 0) throw new Error('diagnose: no examples');
  const o = { ...options, prompts: options.prompts ?? (await encodePrompts(domain, examples)) };
  const goal = metricGoal(domain, o.metric);
  const score = scorers(domain, o.reward, o.metric);
  const greedy = await sampleScores(model, domain, examples, 1, score, { ...o, greedy: true });
  const s = await sampleScores(model, domain, examples, n, score, o);

  const numbers = (xs: (number | null)[][]): number[] => xs.flat().filter((v): v is number => v !== null);
  const perPrompt = (f: (rs: number[]) => number): number => mean(s.reward.map(f));
  const c = s.metric.map(successes);
  const applies = c.filter((ci) => ci !== null).length;
  const rescued = c.filter((ci, i) => ci !== null && ci > 0 && !(greedy.metric[i]![0]! >= SUCCESS)).length;
  const usable = ks.filter((k) => Number.isInteger(k) && k >= 1 && k <= n);
  const groups = (o.groupSizes ?? [5, 16]).filter((G) => G <= n);
  return {
    domain: domain.name,
    examples: examples.length,
    samples: n,
    temperature: o.temperature ?? 1,
    reward: o.reward ?? domain.defaultReward,
    metric: o.metric ?? domain.primaryMetric,
    goal,
    greedy: { metric: mean(numbers(greedy.metric)), reward: mean(greedy.reward.flat()) },
    sampled: { metric: mean(numbers(s.metric)), reward: mean(s.reward.flat()) },
    pass1: meanPassAtK(c, n, 1, goal),
    passAtK: Object.fromEntries(usable.map((k) => [String(k), meanPassAtK(c, n, k, goal)])),
    bestOfK: Object.fromEntries(usable.map((k) => [String(k), perPrompt((rs) => bestOfK(rs, k))])),
    greedyFailsSampleSucceeds: goal === 'min' || !applies ? null : rescued / applies,
    zeroSpread: Object.fromEntries(groups.map((G) => [String(G), perPrompt((rs) => zeroSpreadProbability(rs, G))])),
    rewardStd: n > 1 ? perPrompt(unbiasedStd) : null,
    seconds: +((Date.now() - t0) / 1000).toFixed(1),
  };
}

/**
 * Cheap headroom for use inside training (e.g. GRPO every evalSteps on a fixed held-out subset):
 * k samples per example, no greedy pass. Keep the seed fixed across calls so that changes
 * reflect the model, not the draw.
 */
export async function headroom<E extends Example, P>(
  model: LlamaForCausalLM,
  domain: WorldModelDomain<E, P>,
  examples: E[],
  o: SamplingOptions & { k: number },
): Promise<Headroom> {
  checkK(o.k, Infinity, 'headroom: k');
  if (examples.length === 0) throw new Error('headroom: no examples');
  const s = await sampleScores(model, domain, examples, o.k, scorers(domain, o.reward, o.metric), o);
  const c = s.metric.map(successes),
    goal = metricGoal(domain, o.metric);
  return {
    k: o.k,
    'pass@1': meanPassAtK(c, o.k, 1, goal),
    'pass@K': meanPassAtK(c, o.k, o.k, goal),
    'reward@1': mean(s.reward.flat()),
    'reward@K': mean(s.reward.map((rs) => bestOfK(rs, o.k))),
  };
}

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(4));

/** Reports side by side (e.g. { MLE, RLVR }): one row per quantity, one column per report. */
export function headroomTable(reports: Record<string, DiagnoseReport>): string {
  const rs = Object.values(reports);
  const first = rs[0];
  if (!first) return '';
  const keys = (f: (r: DiagnoseReport) => Record<string, unknown>): string[] =>
    [...new Set(rs.flatMap((r) => Object.keys(f(r))))].sort((a, b) => Number(a) - Number(b));
  const T = `T=${first.temperature}`;
  const row = (label: string, f: (r: DiagnoseReport) => number | null | undefined): string[] => [
    label,
    ...rs.map((r) => fmt(f(r))),
  ];
  const applies = (cells: string[]): boolean => cells.slice(1).some((c) => c !== 'n/a'); // no pass@k rows for 'min' metrics
  return table(
    ['metric', ...Object.keys(reports)],
    [
      row(`greedy ${first.metric}`, (r) => r.greedy.metric),
      row(`greedy reward (${first.reward})`, (r) => r.greedy.reward),
      row(`sampled ${first.metric} (${T}, mean)`, (r) => r.sampled.metric),
      row(`pass@1 (${T})`, (r) => r.pass1),
      ...keys((r) => r.passAtK)
        .filter((k) => k !== '1')
        .map((k) => row(`pass@${k}`, (r) => r.passAtK[k])),
      row(`mean sample reward (${T})`, (r) => r.sampled.reward),
      ...keys((r) => r.bestOfK)
        .filter((k) => k !== '1')
        .map((k) => row(`best-of-${k} reward`, (r) => r.bestOfK[k])),
      row('greedy fails, a sample succeeds', (r) => r.greedyFailsSampleSucceeds),
      ...keys((r) => r.zeroSpread).map((G) => row(`zero-spread groups (G=${G})`, (r) => r.zeroSpread[G])),
      row('within-prompt reward std', (r) => r.rewardStd),
      ['examples × samples', ...rs.map((r) => `${r.examples} × ${r.samples}`)],
    ].filter(applies),
  );
}

/** One report as a markdown table (rows: metric, column: value). */
export const diagnoseTable = (r: DiagnoseReport): string => headroomTable({ value: r });

/**
 * n examples evenly spaced over a set (held-out sets are often ordered by game or episode,
 * so their first n would be one or two games); all of them when n is 0 or at least the set.
 */
export function spreadSubset<T>(examples: T[], n: number): T[] {
  if (n <= 0 || n >= examples.length) return examples;
  return Array.from({ length: n }, (_, i) => examples[Math.floor((i * examples.length) / n)]!);
}

/** Whether higher or lower is better: the domain says so for its primary metric; other metrics are scores. */
const metricGoal = (domain: WorldModelDomain<any, any>, metric?: string): 'max' | 'min' =>
  !metric || metric === domain.primaryMetric ? (domain.primaryMetricGoal ?? 'max') : 'max';

/** The examples a metric applies to (it returns null on the others whatever the prediction, e.g. textgame's accuracy_dynamic). */
export async function applicableTo<E extends Example, P>(
  domain: WorldModelDomain<E, P>,
  metric: string,
  examples: E[],
): Promise<E[]> {
  const fn = domain.metrics[metric];
  if (!fn)
    throw new Error(
      `domain '${domain.name}': unknown metric '${metric}' (available: ${Object.keys(domain.metrics).join(', ')})`,
    );
  const keep = await Promise.all(
    examples.map(async (e) => {
      try {
        return (await fn(null as P, e)) !== null;
      } catch {
        return true;
      }
    }),
  );
  return examples.filter((_, i) => keep[i]);
}
