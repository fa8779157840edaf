// The log-probabilities of a set of samples' responses under a model, in one pass per
// row or (shared prefix) with each distinct prompt run once.
import type { Tensor } from '../../core/tensor/index.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { policyBatch, sharedPolicyBatch } from '../batch.js';
import { responseLogprobs, sharedResponseLogprobs, type Logprobs } from '../logprobs.js';
import type { Sample } from './sample.js';

export interface PassOptions {
  temperature: number;
  pad: number;
  device: string;
  sharePrefix: boolean;
  withEntropy?: boolean;
}

/** [B, Lr] log-probs (and entropies) of the samples' responses, and the [B, Lr] mask of trained tokens. */
export function policyPass(
  model: LlamaForCausalLM,
  samples: Sample[],
  o: PassOptions,
): Logprobs & { lossMask: Tensor; width: number } {
  const prompts = samples.map((s) => s.prompt),
    responses = samples.map((s) => s.response),
    given = samples.map((s) => s.given ?? []);
  const lo = { temperature: o.temperature, withEntropy: o.withEntropy, allowedRange: samples[0]?.allowedRange };
  if (o.sharePrefix) {
    const b = sharedPolicyBatch(prompts, responses, o.pad, o.device, given);
    return { ...sharedResponseLogprobs(model, b, lo), lossMask: b.lossMask, width: b.responseWidth };
  }
  const b = policyBatch(prompts, responses, o.pad, o.device, given);
  return { ...responseLogprobs(model, b, lo), lossMask: b.lossMask, width: b.responseWidth };
}
