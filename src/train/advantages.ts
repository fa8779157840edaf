// Outcome advantages for groups of samples of the same prompt. Every token of a sample
// gets its sample's advantage.
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Unbiased (n-1) standard deviation, as torch.std. */
export const unbiasedStd = (xs: number[]): number => {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/**
 * Outcome advantage estimators for one group of rewards (n ≥ 2), by name (verl's registry):
 *  - grpo:    (r_i - mean) / (std + eps), std unbiased;
 *  - dr_grpo: r_i - mean (Dr. GRPO: no division by std);
 *  - rloo:    r_i - mean_{j≠i} r_j (leave-one-out baseline).
 */
export const ADVANTAGE_ESTIMATORS = {
  grpo: (rewards: number[], eps: number) => {
    const m = mean(rewards),
      s = unbiasedStd(rewards);
    return rewards.map((r) => (r - m) / (s + eps));
  },
  dr_grpo: (rewards: number[]) => {
    const m = mean(rewards);
    return rewards.map((r) => r - m);
  },
  rloo: (rewards: number[]) => {
    const n = rewards.length,
      m = mean(rewards);
    return rewards.map((r) => r - (m * n - r) / (n - 1));
  },
} satisfies Record<string, (rewards: number[], eps: number) => number[]>;
export type AdvantageEstimator = keyof typeof ADVANTAGE_ESTIMATORS;

/** Advantages for one group. A group of one sample has no baseline: its advantage is its reward (verl's convention). */
export function groupAdvantages(rewards: number[], estimator: AdvantageEstimator, eps = 1e-6): number[] {
  const fn = ADVANTAGE_ESTIMATORS[estimator];
  if (!fn)
    throw new Error(
      `unknown advantage estimator '${estimator as string}' (${Object.keys(ADVANTAGE_ESTIMATORS).join(', ')})`,
    );
  if (rewards.length === 0) return [];
  if (rewards.length === 1) return [rewards[0]!];
  return fn(rewards, eps);
}

/** Advantages for samples tagged with their group: samples sharing a group id form one group. */
export function computeAdvantages(
  rewards: number[],
  groups: (string | number)[],
  estimator: AdvantageEstimator,
  eps = 1e-6,
): number[] {
  if (rewards.length !== groups.length)
    throw new Error(`computeAdvantages: ${rewards.length} rewards but ${groups.length} group ids`);
  const members = new Map<string | number, number[]>();
  groups.forEach((g, i) => {
    if (!members.has(g)) members.set(g, []);
    members.get(g)!.push(i);
  });
  const out = new Array<number>(rewards.length);
  for (const idx of members.values()) {
    const adv = groupAdvantages(
      idx.map((i) => rewards[i]!),
      estimator,
      eps,
    );
    idx.forEach((i, k) => {
      out[i] = adv[k]!;
    });
  }
  return out;
}

/** True when a group's rewards have (near-)zero spread: it carries no GRPO signal. */
export const zeroSpread = (rewards: number[], threshold = 1e-6): boolean =>
  rewards.length < 2 || Math.max(...rewards) - Math.min(...rewards) <= threshold;
