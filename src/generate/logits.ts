// Logit processors for sampling, as transformers' TopK/TopP warpers define them.
import { Tensor, where } from '../tensor/index.js';

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
  const { values, indices } = logits.sort(-1, false);  // ascending
  const cumulative = values.softmax(-1).cumsum(-1);
  const dropSorted = cumulative.le(1 - p);
  dropSorted.narrow(-1, logits.size(-1) - 1, 1).fill_(false);
  const drop = dropSorted.scatter(-1, indices, dropSorted);
  return where(drop, -Infinity, logits);
}
