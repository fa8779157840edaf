// GRPO's advantage and update phases: group advantages, then PPO epochs over mini-batches
// of whole groups, each split into micro-batches whose gradients add up to the mini-batch's.
import { scope, autocast, tensor, clipGradNorm, type Tensor, type AdamW } from '../../core/tensor/index.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import type { World } from '../../core/distributed/world.js';
import type { GrpoConfig } from '../config/schema.js';
import type { Rng } from '../../core/util/rng.js';
import { computeAdvantages } from '../advantages.js';
import { POLICY_LOSSES, klPenalty, aggregate, aggregationCount } from '../losses.js';
import { policyPass } from './policy-pass.js';
import { trainedTokens, byGroup, type Sample } from './sample.js';

/** Advantages: each sample's, from its group's rewards. */
export function assignAdvantages(samples: Sample[], c: Pick<GrpoConfig, 'advantageEstimator'>): void {
  const adv = computeAdvantages(
    samples.map((s) => s.reward.score),
    samples.map((s) => s.group),
    c.advantageEstimator,
  );
  samples.forEach((s, i) => {
    s.advantage = adv[i]!;
  });
}

export interface LossStats {
  kl: number;
  entropy: number;
  clipFrac: number;
  tokens: number;
}

/** The denominator of a mini-batch's loss under c.lossType, from its samples (all ranks'). */
export function lossCount(samples: Sample[], c: Pick<GrpoConfig, 'lossType' | 'maxCompletionLength'>): number {
  return aggregationCount(samples.map(trainedTokens), c.lossType, c.maxCompletionLength);
}

/**
 * The loss of one micro-batch: policy loss + β·KL(π‖π_ref) - c·entropy per token, aggregated
 * with the mini-batch's `normalizer`. `refLogp` is null when β is 0.
 */
export function grpoLoss(
  policy: LlamaForCausalLM,
  refLogp: Tensor | null,
  samples: Sample[],
  c: GrpoConfig,
  pad: number,
  device: string,
  normalizer: number,
): { loss: Tensor } & LossStats {
  const pass = policyPass(policy, samples, {
    temperature: c.temperature,
    pad,
    device,
    sharePrefix: c.sharePrefix,
    withEntropy: true,
  });
  const { logp, lossMask: mask, width } = pass,
    entropy = pass.entropy!;
  const old = tensor(
    samples.map((s) => [...s.oldLogp, ...new Array(width - s.oldLogp.length).fill(0)]),
    { device },
  );
  const adv = tensor(
    samples.map((s) => [s.advantage]),
    { device },
  );
  const { loss: pg, clipped } = POLICY_LOSSES[c.policyLoss](logp, old, adv, {
    clipLow: c.epsilon,
    clipHigh: c.epsilonHigh,
    clipRatioC: c.clipRatioC,
    mask,
  });
  let perToken = pg;
  const kl = refLogp ? klPenalty(logp, refLogp, c.klEstimator) : null;
  if (kl && c.beta !== 0) perToken = perToken.add(kl.mul(c.beta));
  if (c.entropyCoef !== 0) perToken = perToken.sub(entropy.mul(c.entropyCoef));
  const count = mask.sum().item(),
    tokens = Math.max(count, 1);
  return {
    loss: aggregate(perToken, mask, c.lossType, normalizer, c.maxCompletionLength),
    kl: kl ? kl.mul(mask).sum().item() / tokens : 0,
    entropy: entropy.mul(mask).sum().item() / tokens,
    clipFrac: clipped.float().mul(mask).sum().item() / tokens,
    tokens: count,
  };
}

/** Mini-batches of sample indices: whole groups in shuffled order, cut into c.miniBatches parts. */
export function miniBatches(samples: Sample[], parts: number, rng: Rng): number[][] {
  const index = new Map(samples.map((s, i) => [s, i]));
  const order = rng.shuffle(byGroup(samples)).flatMap((g) => g.map((s) => index.get(s)!));
  const size = Math.ceil(order.length / parts);
  const out: number[][] = [];
  for (let m = 0; m < order.length; m += size) out.push(order.slice(m, m + size));
  return out;
}

export interface UpdateContext {
  policy: LlamaForCausalLM;
  opt: AdamW;
  world: World;
  c: GrpoConfig;
  pad: number;
  device: string;
  bf16: boolean;
  rng: Rng;
}
export interface UpdateStats {
  klSum: number;
  entSum: number;
  clipSum: number;
  tokSum: number;
  gradNorm: number;
  updates: number;
}

/** Update: numIterations PPO epochs; one optimizer step per mini-batch, gradients summed over ranks. */
export function updatePolicy(u: UpdateContext, samples: Sample[], refLogps: number[][] | null): UpdateStats {
  const { c, world, policy } = u;
  const st: UpdateStats = { klSum: 0, entSum: 0, clipSum: 0, tokSum: 0, gradNorm: 0, updates: 0 };
  for (let epoch = 0; epoch < c.numIterations; epoch++) {
    for (const mb of miniBatches(samples, c.miniBatches, u.rng)) {
      const normalizer = Math.max(
        lossCount(
          mb.map((i) => samples[i]!),
          c,
        ),
        1,
      );
      const mine = mb.filter((i) => !samples[i]!.remote);
      const micro = c.microBatchSize > 0 ? c.microBatchSize : mine.length;
      for (let m = 0; m < mine.length; m += micro) {
        const idx = mine.slice(m, m + micro),
          part = idx.map((i) => samples[i]!);
        const s = scope(() => {
          const width = Math.max(1, ...part.map((x) => x.response.length));
          const ref = refLogps
            ? tensor(
                idx.map((i) => [
                  ...refLogps[i]!.slice(0, width),
                  ...new Array(Math.max(0, width - refLogps[i]!.length)).fill(0),
                ]),
                { device: u.device },
              )
            : null;
          const r = autocast(u.device, () => grpoLoss(policy, ref, part, c, u.pad, u.device, normalizer), {
            enabled: u.bf16,
          });
          r.loss.backward();
          return { kl: r.kl, entropy: r.entropy, clipFrac: r.clipFrac, tokens: r.tokens };
        });
        st.klSum += s.kl * s.tokens;
        st.entSum += s.entropy * s.tokens;
        st.clipSum += s.clipFrac * s.tokens;
        st.tokSum += s.tokens;
      }
      world.allReduceGrads(policy.parameters());
      st.gradNorm = clipGradNorm(policy.parameters(), c.maxGradNorm);
      u.opt.step();
      u.opt.zeroGrad();
      st.updates++;
    }
  }
  if (world.size > 1)
    [st.klSum, st.entSum, st.clipSum, st.tokSum] = world.allReduceSum([st.klSum, st.entSum, st.clipSum, st.tokSum]) as [
      number,
      number,
      number,
      number,
    ];
  return st;
}
