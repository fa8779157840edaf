// Per-token log-probabilities (and entropies) of responses under a model.
import { F, type Tensor } from '../tensor/index.js';
import type { LlamaForCausalLM } from '../models/index.js';
import { entropyFromLogits } from './losses.js';
import type { PolicyBatch } from './batch.js';

/**
 * log π(y_t | x, y_<t) for every response position [B, Lr], with logits divided by the
 * sampling temperature (the distribution the tokens were drawn from), and optionally the
 * entropy of that distribution at each position.
 */
export function responseLogprobs(model: LlamaForCausalLM, batch: PolicyBatch, temperature: number, withEntropy = false): { logp: Tensor; entropy: Tensor | null } {
  const hidden = model.hidden(batch.ids, { attentionMask: batch.attention, positions: batch.positions });
  // the state before response token t sits one column to its left
  const h = hidden.narrow(1, batch.promptWidth - 1, batch.responseWidth);
  let logits = F.linear(h, model.lmHead).float();
  if (temperature !== 1) logits = logits.div(temperature);
  const logp = logits.logSoftmax(-1).gather(-1, batch.responseIds.unsqueeze(-1)).squeeze(-1);
  return { logp, entropy: withEntropy ? entropyFromLogits(logits) : null };
}
