// The policy loss of GRPO / PPO per response token, the KL estimators and how tokens are
// averaged, each a registry (name → function) in the manner of verl's core_algos: the
// config's enums are the registries' keys, and adding an algorithm is adding one entry.
// All inputs are [B, T] tensors over response positions with a 0/1 float mask.
import { Tensor, where } from '../core/tensor/index.js';

/**
 * Log-ratios are clamped to ±20 before exp (as verl does): a gap above 88.7 nats overflows
 * float32, and inf times a zero mask is NaN in the backward pass.
 */
export const LOG_RATIO_CLAMP = 20;

export interface PolicyLossOptions {
  /** lower clip range ε */
  clipLow: number;
  /** upper clip range */
  clipHigh: number;
  /** dual-clip bound c (> 1) for negative advantages; 0 = off */
  clipRatioC: number;
  /** [B, T] 0/1 mask of trained tokens (sequence-level ratios average over it) */
  mask?: Tensor;
}
/** The per-token loss and where clipping was active ([B, T] each). */
export interface PolicyLossResult {
  loss: Tensor;
  clipped: Tensor;
}
export type PolicyLoss = (logp: Tensor, oldLogp: Tensor, advantages: Tensor, o: PolicyLossOptions) => PolicyLossResult;

/** PPO's clipped surrogate on ratio ρ, with verl's optional dual clip for A < 0. */
function clipped(ratio: Tensor, advantages: Tensor, o: PolicyLossOptions): PolicyLossResult {
  const unclipped = advantages.neg().mul(ratio);
  const clippedLoss = advantages.neg().mul(ratio.clamp(1 - o.clipLow, 1 + o.clipHigh));
  let loss = unclipped.maximum(clippedLoss);
  if (o.clipRatioC > 0) loss = where(advantages.lt(0), loss.minimum(advantages.neg().mul(o.clipRatioC)), loss);
  return { loss, clipped: clippedLoss.gt(unclipped) };
}

export const POLICY_LOSSES = {
  /** ρ = exp(logp - old): max(-A·ρ, -A·clip(ρ, 1-εlow, 1+εhigh)), then min(·, -A·c) where A < 0 */
  vanilla: (logp, oldLogp, advantages, o) =>
    clipped(logp.sub(oldLogp).clamp(-LOG_RATIO_CLAMP, LOG_RATIO_CLAMP).exp(), advantages, o),
  /**
   * GSPO: the sequence's geometric-mean ratio s = exp(mean_t(logp - old)) at every token,
   * with each token's own gradient: log s_t = logp - sg(logp) + sg(log s).
   */
  gspo: (logp, oldLogp, advantages, o) => {
    if (!o.mask) throw new Error('policy loss gspo needs the response mask');
    const seq = logp.sub(oldLogp).mul(o.mask).sum(-1, true).div(o.mask!.sum(-1, true).clamp(1)).detach();
    const logRatio = logp.sub(logp.detach()).add(seq).clamp(-LOG_RATIO_CLAMP, 10);
    return clipped(logRatio.exp(), advantages, { ...o, clipRatioC: 0 });
  },
} satisfies Record<string, PolicyLoss>;
export type PolicyLossName = keyof typeof POLICY_LOSSES;

/** Kept for callers of the earlier API: the vanilla loss without dual clip. */
export function clippedSurrogate(
  logp: Tensor,
  oldLogp: Tensor,
  advantages: Tensor,
  clipLow = 0.2,
  clipHigh = 0.2,
  clipRatioC = 0,
): PolicyLossResult {
  return POLICY_LOSSES.vanilla(logp, oldLogp, advantages, { clipLow, clipHigh, clipRatioC });
}

/**
 * Per-token KL(π‖π_ref) estimators (Schulman's k1, k2, k3) from log-probabilities of the
 * sampled tokens; `low_var_kl` is verl's name for k3. k3 = exp(ref - logp) - (ref - logp) - 1
 * with the log-ratio clamped to ±20 and the result to [-10, 10], as verl does.
 */
export const KL_ESTIMATORS = {
  k1: (logp: Tensor, ref: Tensor) => logp.sub(ref),
  k2: (logp: Tensor, ref: Tensor) => logp.sub(ref).square().mul(0.5),
  k3: (logp: Tensor, ref: Tensor) => lowVarKl(logp, ref),
  low_var_kl: (logp: Tensor, ref: Tensor) => lowVarKl(logp, ref),
} satisfies Record<string, (logp: Tensor, ref: Tensor) => Tensor>;
export type KlEstimator = keyof typeof KL_ESTIMATORS;

function lowVarKl(logp: Tensor, ref: Tensor): Tensor {
  const d = ref.sub(logp).clamp(-LOG_RATIO_CLAMP, LOG_RATIO_CLAMP);
  return d.exp().sub(d).sub(1).clamp(-10, 10);
}

export function klPenalty(logp: Tensor, refLogp: Tensor, estimator: KlEstimator): Tensor {
  const fn = KL_ESTIMATORS[estimator];
  if (!fn) throw new Error(`unknown KL estimator '${estimator as string}' (${Object.keys(KL_ESTIMATORS).join(', ')})`);
  return fn(logp, refLogp);
}

/** Entropy of each position's distribution, from logits [B, T, V]: -Σ p log p. */
export function entropyFromLogits(logits: Tensor): Tensor {
  const logp = logits.logSoftmax(-1);
  return logp.exp().mul(logp).sum(-1).neg();
}

/**
 * How a per-token loss becomes one number. `count(mask, o)` is the denominator of a whole
 * batch; `reduce(masked, mask, o)` the numerator. A mini-batch split into micro-batches
 * divides each micro-batch's numerator by the mini-batch's count, so the parts add up.
 */
interface Aggregation {
  numerator(masked: Tensor, mask: Tensor): Tensor;
  /** the denominator, from the number of trained tokens of each sequence */
  count(tokensPerSequence: number[], o: { maxLength: number }): number;
}
const sequences = (n: number[]): number => n.filter((t) => t > 0).length;

export const LOSS_AGGREGATIONS = {
  /** Σ loss·mask / Σ mask over the whole batch (DAPO, verl's default) */
  'token-mean': { numerator: (m) => m.sum(), count: (n) => n.reduce((a, b) => a + b, 0) },
  /** mean over sequences of Σ_t loss·mask (GRPO paper without the length term) */
  'seq-mean-token-sum': { numerator: (m) => m.sum(), count: (n) => sequences(n) },
  /** mean over sequences of their token mean (the GRPO paper) */
  'seq-mean-token-mean': {
    numerator: (m, mask) => m.sum(-1).div(mask.sum(-1).clamp(1)).sum(),
    count: (n) => sequences(n),
  },
  /** Dr. GRPO: mean over sequences of Σ_t loss·mask / a constant (the generation budget, maxCompletionLength) */
  'seq-mean-token-sum-norm': { numerator: (m) => m.sum(), count: (n, o) => sequences(n) * o.maxLength },
} satisfies Record<string, Aggregation>;
export type LossAggregation = keyof typeof LOSS_AGGREGATIONS;

const tokensPerRow = (mask: Tensor): number[] => mask.sum(-1).toNumbers();

/**
 * Averages a per-token loss under `mode`. Sequences with no unmasked token do not count;
 * with none at all the loss is 0. `normalizer` overrides the denominator (that of the whole
 * mini-batch when it is split into micro-batches). `maxLength` is Dr. GRPO's constant
 * (default: the mask's width).
 */
export function aggregate(
  loss: Tensor,
  mask: Tensor,
  mode: LossAggregation,
  normalizer?: number,
  maxLength?: number,
): Tensor {
  const a = LOSS_AGGREGATIONS[mode];
  if (!a)
    throw new Error(`unknown loss aggregation '${mode as string}' (${Object.keys(LOSS_AGGREGATIONS).join(', ')})`);
  const d = normalizer ?? Math.max(aggregationCount(tokensPerRow(mask), mode, maxLength ?? mask.size(-1)), 1);
  return a.numerator(loss.mul(mask), mask).div(d);
}

/**
 * The denominator aggregate() divides by, from each sequence's trained-token count: the
 * trainer computes it once per mini-batch and passes it to every micro-batch.
 */
export function aggregationCount(tokensPerSequence: number[], mode: LossAggregation, maxLength: number): number {
  return LOSS_AGGREGATIONS[mode].count(tokensPerSequence, { maxLength });
}
