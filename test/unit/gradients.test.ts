import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, scope, noGrad, manualSeed, F, type Tensor } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig } from '../../src/core/models/index.js';

// Analytic gradients of the next-token loss against central finite differences, in float64,
// on a tiny GQA config with q/k/v biases (Qwen2) and tied embeddings (LLaMA).
for (const variant of [
  { modelType: 'qwen2' as const, numKeyValueHeads: 1, tieWordEmbeddings: false },
  { modelType: 'llama' as const, numKeyValueHeads: 2, tieWordEmbeddings: true },
]) {
  test(`${variant.modelType}: backward matches finite differences (float64)`, () =>
    scope(() => {
      manualSeed(7);
      const cfg = llamaConfig({
        vocabSize: 23,
        hiddenSize: 8,
        intermediateSize: 12,
        numHiddenLayers: 2,
        numAttentionHeads: 2,
        initializerRange: 0.5,
        ...variant,
      });
      const model = LlamaForCausalLM.init(cfg, { dtype: 'float64' }).requiresGrad_();
      const ids = tensor(
        [
          [1, 5, 7, 2, 9, 4],
          [3, 3, 8, 1, 0, 6],
        ],
        { dtype: 'int64' },
      );
      const loss = (): Tensor => {
        const logits = model.forward(ids.narrow(1, 0, 5));
        return F.crossEntropy(logits.reshape(-1, cfg.vocabSize), ids.narrow(1, 1, 5).reshape(-1));
      };
      loss().backward();
      const eps = 1e-6;
      let checked = 0;
      for (const [name, p] of model.params) {
        const grad = p.grad!.flatten().toNumbers();
        const flat = p.detach().view(-1);
        // three coordinates per tensor: first, middle, last
        for (const i of [0, Math.floor(grad.length / 2), grad.length - 1]) {
          const at = (delta: number): number =>
            noGrad(() =>
              scope(() => {
                flat.narrow(0, i, 1).add_(delta);
                const v = loss().item();
                flat.narrow(0, i, 1).add_(-delta);
                return v;
              }),
            );
          const numeric = (at(eps) - at(-eps)) / (2 * eps);
          const err = Math.abs(numeric - grad[i]!);
          assert.ok(err < 1e-6 + 1e-5 * Math.abs(numeric), `${name}[${i}]: analytic ${grad[i]} vs numeric ${numeric}`);
          checked++;
        }
      }
      assert.ok(checked >= 3 * cfg.numHiddenLayers * 9);
    }));
}
