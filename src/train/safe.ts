// Rewards and metrics never take a run down: an exception or a non-finite score becomes the
// scorer's declared worst value (0 unless it declares one), so a failure never scores better
// than a real answer; it is reported once per (reward, example) so a bad reward does not
// flood the log.
import type { Example, Metric, Reward, RewardResult, WorstValue } from './domain.js';

export type RewardLogger = (message: string) => void;

/** The score a failing scorer gets: its declared `worst`, else 0. */
export function worstScore(fn: WorstValue): number {
  return typeof fn.worst === 'number' && Number.isFinite(fn.worst) ? fn.worst : 0;
}

/** A reward's result as {score}: a non-finite or missing score becomes `worst`. */
export function normalizeResult(r: RewardResult | number, worst = 0): RewardResult {
  const score = typeof r === 'number' ? r : r?.score;
  if (typeof score !== 'number' || !Number.isFinite(score))
    return typeof r === 'object' && r?.components ? { score: worst, components: r.components } : { score: worst };
  return typeof r === 'number' ? { score } : r;
}

/**
 * Runs a scorer so it never throws: an exception scores `fallback` and is reported once per
 * example (a bad reward or metric must not flood the log).
 */
function guarded<E extends Example, P, R>(
  what: string,
  fn: (p: P, e: E) => Promise<R>,
  fallback: R,
  worst: number,
  log: RewardLogger,
): (p: P, e: E) => Promise<R> {
  const reported = new Set<string>();
  return async (prediction, example) => {
    try {
      return await fn(prediction, example);
    } catch (err) {
      if (!reported.has(example.id)) {
        reported.add(example.id);
        log(`${what} threw on example ${example.id}: ${(err as Error)?.message ?? err} (scored ${worst})`);
      }
      return fallback;
    }
  };
}

/** Wraps a reward so it always resolves to a finite {score}; a failure scores the reward's worst. */
export function safeReward<E extends Example, P>(
  name: string,
  fn: Reward<E, P>,
  log: RewardLogger = (m) => console.warn(m),
): (p: P, e: E) => Promise<RewardResult> {
  const worst = worstScore(fn);
  return guarded(
    `reward '${name}'`,
    async (p: P, e: E) => normalizeResult(await fn(p, e), worst),
    { score: worst },
    worst,
    log,
  );
}

/** A metric that never throws: null passes through (not applicable), anything else becomes a finite score. */
export function safeMetric<E extends Example, P>(
  name: string,
  fn: Metric<E, P>,
  log: RewardLogger = (m) => console.warn(m),
): (p: P, e: E) => Promise<number | null> {
  const worst = worstScore(fn);
  return guarded(
    `metric '${name}'`,
    async (p: P, e: E) => {
      const r = await fn(p, e);
      return r === null ? null : normalizeResult(r, worst).score;
    },
    worst,
    worst,
    log,
  );
}

/**
 * A weighted sum of named rewards: score = Σ w_k · score_k; components hold every
 * reward's own score (and its components, prefixed with its name).
 */
export function combineRewards<E extends Example, P>(
  rewards: Record<string, Reward<E, P>>,
  weights: Record<string, number>,
  log?: RewardLogger,
): (p: P, e: E) => Promise<RewardResult> {
  const parts = Object.entries(weights).map(([name, w]) => {
    const fn = rewards[name];
    if (!fn) throw new Error(`unknown reward '${name}' (available: ${Object.keys(rewards).join(', ')})`);
    if (!Number.isFinite(w)) throw new Error(`reward weight for '${name}' must be a number`);
    return { name, w, fn: safeReward(name, fn, log) };
  });
  if (parts.length === 0) throw new Error('no reward selected');
  return async (prediction, example) => {
    const results = await Promise.all(parts.map((p) => p.fn(prediction, example)));
    const components: Record<string, number> = {};
    let score = 0;
    results.forEach((r, i) => {
      const { name, w } = parts[i]!;
      score += w * r.score;
      components[name] = r.score;
      for (const [k, v] of Object.entries(r.components ?? {})) components[`${name}/${k}`] = v;
    });
    return { score, components };
  };
}
