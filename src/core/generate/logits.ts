// Logit processors for sampling, as transformers' TopK/TopP warpers define them.
import { Tensor, where, arange } from '../tensor/index.js';

/** Keeps the k largest logits of each row; the rest become -inf. */
export function topKFilter(logits: Tensor, k: number): Tensor {
  if (k <= 0 || k >= logits.size(-1)) return logits;
  const kth = logits.topk(k, -1).values.narrow(-1, k - 1, 1);
  return logits.maskedFill(logits.lt(kth), -Infinity);
}

/**
 * Nucleus filter: keeps the smallest set of most likely tokens whose probability reaches p
 * (always at least the most likely one); the rest become -inf.
 */
export function topPFilter(logits: Tensor, p: number): Tensor {
  if (p >= 1) return logits;
  const { values, indices } = logits.sort(-1, false); // ascending
  const cumulative = values.softmax(-1).cumsum(-1);
  const dropSorted = cumulative.le(1 - p);
  dropSorted.narrow(-1, logits.size(-1) - 1, 1).fill_(false);
  const drop = dropSorted.scatter(-1, indices, dropSorted);
  return where(drop, -Infinity, logits);
}

/**
 * The logit of a token outside a domain's allowed range: finite, so that the trainer's
 * log-probabilities (and p·log p) stay finite for given tokens outside it, yet exp() of it
 * is exactly 0, so the sampler never draws one and the allowed tokens' probabilities are
 * those of the restricted softmax.
 */
export const MASKED_LOGIT = -1e9;

/** Logits of ids outside [lo, hi) set to MASKED_LOGIT: the sampler and the trainer use this one restriction. */
export function restrictToRange(logits: Tensor, [lo, hi]: [number, number]): Tensor {
  const V = logits.size(-1);
  checkRange([lo, hi], V);
  const ids = arange(0, V, 1, { device: logits.device });
  return where(ids.lt(lo).logicalOr(ids.ge(hi)), MASKED_LOGIT, logits);
}

/** Throws unless [lo, hi) is a non-empty range of ids of a vocabulary of V. */
export function checkRange([lo, hi]: [number, number], V: number): void {
  if (!(lo >= 0 && hi <= V && lo < hi))
    throw new Error(`allowedRange [${lo}, ${hi}) is not inside the vocabulary of ${V}`);
}
