// GRPO's reference phase: the frozen starting model's log-probabilities of this rank's
// samples, once per rollout batch (skipped when beta is 0).
import { scope, noGrad, autocast } from '../../core/tensor/index.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { policyPass, type PassOptions } from './policy-pass.js';
import type { Sample } from './sample.js';

/** Per sample (aligned with `samples`; remote ones empty): the reference log-prob of each response token. */
export function referenceLogprobs(
  reference: LlamaForCausalLM,
  samples: Sample[],
  chunk: number,
  o: PassOptions & { bf16: boolean },
): number[][] {
  const out: number[][] = samples.map(() => []);
  // samples of a group sit together, so a chunk runs each of its prompts once
  const local = samples.map((s, i) => (s.remote ? -1 : i)).filter((i) => i >= 0);
  for (let i = 0; i < local.length; i += chunk) {
    const idx = local.slice(i, i + chunk),
      part = idx.map((k) => samples[k]!);
    const rows = noGrad(() =>
      scope(() =>
        autocast(o.device, () => policyPass(reference, part, o).logp.tolist() as number[][], { enabled: o.bf16 }),
      ),
    );
    rows.forEach((r, k) => {
      out[idx[k]!] = r.slice(0, part[k]!.response.length);
    });
  }
  return out;
}
