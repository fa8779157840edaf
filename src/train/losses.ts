// The policy loss of GRPO / PPO per response token, and how tokens are averaged.
// All inputs are [B, T] tensors over response positions with a 0/1 float mask.
import { Tensor } from '../tensor/index.js';

export type KlEstimator = 'k1' | 'k2' | 'k3';
export type LossAggregation = 'token-mean' | 'seq-mean-token-sum' | 'seq-mean-token-mean';

/**
 * PPO's clipped surrogate with separate clip ranges:
 *   ρ = exp(logp - oldLogp),  loss = max(-A·ρ, -A·clip(ρ, 1-εlow, 1+εhigh)).
 * Returns the per-token loss and where clipping was active.
 */
export function clippedSurrogate(logp: Tensor, oldLogp: Tensor, advantages: Tensor, clipLow = 0.2, clipHigh = 0.2): { loss: Tensor; clipped: Tensor } {
  const ratio = logp.sub(oldLogp).exp();
  const unclipped = advantages.neg().mul(ratio);
  const clipped = advantages.neg().mul(ratio.clamp(1 - clipLow, 1 + clipHigh));
  return { loss: unclipped.maximum(clipped), clipped: clipped.gt(unclipped) };
}

/**
 * Per-token KL(π‖π_ref) estimators (Schulman's k1, k2, k3) from log-probabilities of the
 * sampled tokens: k1 = logp - ref; k2 = ½(logp - ref)²; k3 = exp(ref - logp) - (ref - logp) - 1,
 * clamped to [-10, 10] for stability.
 */
export function klPenalty(logp: Tensor, refLogp: Tensor, estimator: KlEstimator): Tensor {
  const diff = logp.sub(refLogp);
  switch (estimator) {
    case 'k1': return diff;
    case 'k2': return diff.square().mul(0.5);
    case 'k3': { const d = diff.neg(); return d.exp().sub(d).sub(1).clamp(-10, 10); }
    default: throw new Error(`unknown KL estimator '${estimator as string}' (k1, k2, k3)`);
  }
}

/** Entropy of each position's distribution, from logits [B, T, V]: -Σ p log p. */
export function entropyFromLogits(logits: Tensor): Tensor {
  const logp = logits.logSoftmax(-1);
  return logp.exp().mul(logp).sum(-1).neg();
}

/**
 * Averages a per-token loss:
 *  - token-mean: Σ loss·mask / Σ mask over the whole batch;
 *  - seq-mean-token-sum: mean over sequences of Σ_t loss·mask;
 *  - seq-mean-token-mean: mean over sequences of their token mean.
 * Sequences with no unmasked token do not count; with none at all the loss is 0.
 * `normalizer` overrides the denominator (tokens or sequences of the whole mini-batch when
 * it is split into micro-batches), so micro-batches add up to the mini-batch loss.
 */
export function aggregate(loss: Tensor, mask: Tensor, mode: LossAggregation, normalizer?: number): Tensor {
  const masked = loss.mul(mask);
  switch (mode) {
    case 'token-mean':
      return masked.sum().div(normalizer ?? Math.max(mask.sum().item(), 1));
    case 'seq-mean-token-sum':
      return masked.sum(-1).sum().div(normalizer ?? Math.max(nonEmptyRows(mask), 1));
    case 'seq-mean-token-mean':
      return masked.sum(-1).div(mask.sum(-1).clamp(1)).sum().div(normalizer ?? Math.max(nonEmptyRows(mask), 1));
    default:
      throw new Error(`unknown loss aggregation '${mode as string}' (token-mean, seq-mean-token-sum, seq-mean-token-mean)`);
  }
}

/** The denominator aggregate() uses for a mask: its tokens, or its non-empty rows. */
export function aggregationCount(mask: Tensor, mode: LossAggregation): number {
  return mode === 'token-mean' ? mask.sum().item() : nonEmptyRows(mask);
}

const nonEmptyRows = (mask: Tensor): number => mask.sum(-1).gt(0).sum().item();
