// Shared-prefix GRPO computes the same numbers as one pass per sample: log-probs, the loss
// and every parameter's gradient, with left padding, given tokens and groups split across
// micro-batches (and so across ranks, which split samples the same way); sampling with a
// prompt prefilled once gives the same tokens and log-probs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scope, noGrad, manualSeed, tensor, type DType } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';
import { policyBatch, sharedPolicyBatch } from '../../src/train/batch.js';
import { responseLogprobs, sharedResponseLogprobs } from '../../src/train/logprobs.js';
import { grpoLoss, lossCount, type Sample } from '../../src/train/grpo.js';
import { GrpoSchema } from '../../src/train/config/schema.js';

const V = 29;
function model(dtype: DType, kvHeads = 2): LlamaForCausalLM {
  manualSeed(11);
  return LlamaForCausalLM.init(
    llamaConfig({
      vocabSize: V,
      hiddenSize: 16,
      intermediateSize: 24,
      numHiddenLayers: 2,
      numAttentionHeads: 4,
      numKeyValueHeads: kvHeads,
      initializerRange: 0.3,
    }),
    { dtype },
  );
}
const maxDiff = (a: number[], b: number[]): number => Math.max(0, ...a.map((x, i) => Math.abs(x - b[i]!)));

// three groups: prompts of lengths 5, 2 and 7 (left padding), G = 3, ragged responses, some given tokens
const groups = [
  [3, 4, 5, 6, 7],
  [9, 10],
  [11, 12, 13, 14, 15, 16, 17],
];
const responses = [[1, 2, 3], [4, 5], [6, 7, 8, 9], [2], [3, 4, 5], [6, 6], [7, 8], [9, 10, 11, 12], [1]];
const given = [[false, true, false], [], [false, false, true, false], [], [], [false, true], [], [], []];
const samples = (): Sample[] =>
  responses.map((r, i) => ({
    group: Math.floor(i / 3),
    prompt: groups[Math.floor(i / 3)]!,
    response: r,
    given: given[i],
    oldLogp: r.map((_, t) => -2.5 + 0.1 * t),
    reward: { score: i % 2 },
    advantage: [0.7, -1.1, 0.4, 1.3, -0.2, -0.9, 0.5, 0.8, -1.6][i]!,
    exampleIndex: 0,
  }));

for (const dtype of ['float64', 'float32'] as const) {
  const tol = dtype === 'float64' ? 1e-10 : 1e-5;

  test(`shared-prefix log-probs and entropies equal one pass per row (${dtype})`, () =>
    noGrad(() =>
      scope(() => {
        for (const kv of [2, 4]) {
          const m = model(dtype, kv);
          const s = samples();
          const prompts = s.map((x) => x.prompt),
            resp = s.map((x) => x.response);
          for (const allowedRange of [undefined, [0, 20] as [number, number]]) {
            const a = responseLogprobs(m, policyBatch(prompts, resp, 0), {
              temperature: 0.8,
              withEntropy: true,
              allowedRange,
            });
            const b = sharedResponseLogprobs(m, sharedPolicyBatch(prompts, resp, 0), {
              temperature: 0.8,
              withEntropy: true,
              allowedRange,
            });
            const mask = policyBatch(prompts, resp, 0).lossMask.toNumbers();
            const pick = (t: number[]): number[] => t.filter((_, i) => mask[i]);
            assert.ok(
              maxDiff(pick(a.logp.toNumbers()), pick(b.logp.toNumbers())) < tol,
              `log-probs (kv heads ${kv}, range ${allowedRange})`,
            );
            assert.ok(maxDiff(pick(a.entropy!.toNumbers()), pick(b.entropy!.toNumbers())) < tol, 'entropies');
            assert.ok(b.logp.isfinite().all().item(), 'finite log-probs for given tokens outside the range');
          }
        }
      }),
    ));

  test(`shared-prefix loss and every gradient equal the unshared computation, groups split across micro-batches (${dtype})`, () => {
    const cfg = GrpoSchema.parse({ beta: 0.04, entropyCoef: 0.01, clipRatioC: 3, maxCompletionLength: 6 });
    for (const lossType of ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum-norm'] as const) {
      const c = { ...cfg, lossType };
      const all = samples();
      const normalizer = lossCount(all, c);
      const ref = (part: Sample[]) => part.map((x) => x.response.map((_, t) => -2.4 - 0.05 * t));
      const run = (share: boolean, parts: Sample[][]): { loss: number; grads: number[][] } => {
        const m = model(dtype).requiresGrad_();
        let loss = 0;
        for (const part of parts) {
          scope(() => {
            const width = Math.max(...part.map((x) => x.response.length));
            const r = ref(part).map((row) => [...row, ...new Array(width - row.length).fill(0)]);
            const out = grpoLoss(m, tensor(r, { dtype }), part, { ...c, sharePrefix: share }, 0, 'cpu', normalizer);
            out.loss.backward();
            loss += out.loss.item();
          });
        }
        const grads = m.parameters().map((p) => p.grad!.toNumbers());
        m.dispose();
        return { loss, grads };
      };
      const whole = run(false, [all]);
      // micro-batches of 4: group 1 (samples 3..5) is split between the first two
      const split = run(true, [all.slice(0, 4), all.slice(4, 8), all.slice(8)]);
      assert.ok(Math.abs(whole.loss - split.loss) < tol, `${lossType}: loss ${whole.loss} vs ${split.loss}`);
      whole.grads.forEach((g, i) =>
        assert.ok(
          maxDiff(g, split.grads[i]!) < tol,
          `${lossType}: gradient of parameter ${i}: ${maxDiff(g, split.grads[i]!)}`,
        ),
      );
    }
  });
}

test('sampling with each prompt prefilled once gives the same tokens and log-probs', () =>
  noGrad(() =>
    scope(() => {
      const m = model('float32');
      const prompts = [groups[0]!, groups[0]!, groups[0]!, groups[1]!, groups[1]!, groups[2]!];
      const seeds = prompts.map((_, i) => 1000 + i);
      const o = {
        maxNewTokens: 6,
        temperature: 1,
        seeds,
        stopTokens: [0],
        forced: prompts.map((_, i) => (i % 2 ? [null, 5] : [])),
        allowedRange: [0, 20] as [number, number],
      };
      const a = generate(m, prompts, { ...o, sharePrefix: false });
      const b = generate(m, prompts, { ...o, sharePrefix: true });
      assert.deepEqual(b.tokens, a.tokens);
      a.logprobs.forEach((row, i) => assert.ok(maxDiff(row, b.logprobs[i]!) < 1e-5, `row ${i}`));
      assert.deepEqual(b.given, a.given);
    }),
  ));

test('the first inner step has ratio 1: the trainer restricts its distribution as the sampler did', () =>
  noGrad(() =>
    scope(() => {
      const m = model('float32');
      const prompts = [groups[0]!, groups[0]!, groups[2]!, groups[2]!];
      // no constraints (text, web), and a sampled-id range with forced tokens (video)
      for (const cons of [
        {},
        { allowedRange: [0, 12] as [number, number], forced: prompts.map(() => [null, null, 25, null]) },
      ]) {
        const g = generate(m, prompts, { maxNewTokens: 5, temperature: 1, seeds: [1, 2, 3, 4], ...cons });
        const given = g.given ?? prompts.map(() => []);
        for (const share of [false, true]) {
          const lo = { temperature: 1, allowedRange: 'allowedRange' in cons ? cons.allowedRange : undefined };
          const lp = (
            share
              ? sharedResponseLogprobs(m, sharedPolicyBatch(prompts, g.tokens, 0), lo)
              : responseLogprobs(m, policyBatch(prompts, g.tokens, 0), lo)
          ).logp.tolist() as number[][];
          g.tokens.forEach((row, b) =>
            row.forEach((_, t) => {
              if (given[b]?.[t]) return;
              assert.ok(
                Math.abs(Math.exp(lp[b]![t]! - g.logprobs[b]![t]!) - 1) < 1e-5,
                `row ${b} token ${t}: ratio ${Math.exp(lp[b]![t]! - g.logprobs[b]![t]!)}`,
              );
            }),
          );
        }
      }
    }),
  ));
