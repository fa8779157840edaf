// Per-token log-probabilities (and entropies) of responses under a model: one pass over
// prompt + response per row, or (shared prefix) each distinct prompt once and the rows'
// responses attending to its keys and values.
import { F, cat, type Tensor } from '../core/tensor/index.js';
import type { LlamaForCausalLM, PrefixKV } from '../core/models/index.js';
import { restrictToRange } from '../core/generate/logits.js';
import { entropyFromLogits } from './losses.js';
import type { PolicyBatch, SharedPolicyBatch } from './batch.js';

export interface LogprobOptions {
  /** the sampling temperature: logits are divided by it (the distribution the tokens were drawn from) */
  temperature: number;
  withEntropy?: boolean;
  /** the domain's sampled-id range: the same restriction the sampler applied */
  allowedRange?: [number, number];
}
export interface Logprobs {
  logp: Tensor;
  entropy: Tensor | null;
}

/** log π(y_t | x, y_<t) [B, Lr] (and the entropy at each position) from the hidden states before each response token. */
function fromHidden(model: LlamaForCausalLM, h: Tensor, responseIds: Tensor, o: LogprobOptions): Logprobs {
  let logits = F.linear(h, model.lmHead).float();
  if (o.temperature !== 1) logits = logits.div(o.temperature);
  if (o.allowedRange) logits = restrictToRange(logits, o.allowedRange);
  const logp = logits.logSoftmax(-1).gather(-1, responseIds.unsqueeze(-1)).squeeze(-1);
  return { logp, entropy: o.withEntropy ? entropyFromLogits(logits) : null };
}

/** Each row's prompt and response in one pass. */
export function responseLogprobs(
  model: LlamaForCausalLM,
  batch: PolicyBatch,
  temperature: number | LogprobOptions,
  withEntropy = false,
): Logprobs {
  const o = typeof temperature === 'number' ? { temperature, withEntropy } : temperature;
  const hidden = model.hidden(batch.ids, { attentionMask: batch.attention, positions: batch.positions });
  // the state before response token t sits one column to its left
  return fromHidden(model, hidden.narrow(1, batch.promptWidth - 1, batch.responseWidth), batch.responseIds, o);
}

/**
 * The same numbers with each distinct prompt run once: its keys and values are gathered to
 * its rows (gradients add back into the one prompt pass), the responses attend to them, and
 * the first response token is scored from the prompt's last state.
 */
export function sharedResponseLogprobs(model: LlamaForCausalLM, b: SharedPolicyBatch, o: LogprobOptions): Logprobs {
  const rec: PrefixKV = { keys: [], values: [] };
  const promptHidden = model.hidden(b.promptIds, {
    attentionMask: b.promptAttention,
    positions: b.promptPositions,
    record: rec,
  });
  const prefix: PrefixKV = {
    keys: rec.keys.map((k) => k.indexSelect(0, b.rowPrompt)),
    values: rec.values.map((v) => v.indexSelect(0, b.rowPrompt)),
  };
  const Lr = b.responseWidth;
  const last = promptHidden.narrow(1, b.promptWidth - 1, 1).indexSelect(0, b.rowPrompt);
  // the last response token predicts nothing that is scored: run the responses without it
  const h =
    Lr === 1
      ? last
      : cat(
          [
            last,
            model.hidden(b.responseIds.narrow(1, 0, Lr - 1), {
              prefix,
              attentionMask: b.attention.narrow(1, 0, b.promptWidth + Lr - 1),
              positions: b.responsePositions.narrow(1, 0, Lr - 1),
            }),
          ],
          1,
        );
  return fromHidden(model, h, b.responseIds, o);
}
