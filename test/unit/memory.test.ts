import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  scope,
  liveTensors,
  manualSeed,
  AdamW,
  clipGradNorm,
  F,
  randint,
} from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';

// A short version of bench/memory/soak.ts (10,000 steps there): training steps and sampling
// must leave no native tensor behind, and resident memory must stop growing.
test('training steps and sampling keep native tensors and RSS flat', () => {
  manualSeed(0);
  const cfg = llamaConfig({
    vocabSize: 64,
    hiddenSize: 32,
    intermediateSize: 64,
    numHiddenLayers: 2,
    numAttentionHeads: 4,
    numKeyValueHeads: 2,
  });
  const model = LlamaForCausalLM.init(cfg).requiresGrad_();
  const opt = new AdamW(model.parameters(), { lr: 1e-3 });
  const step = (): number =>
    scope(() => {
      const ids = randint(0, 64, [4, 33]);
      const logits = model.forward(ids.narrow(1, 0, 32));
      const loss = F.crossEntropy(logits.reshape(-1, 64), ids.narrow(1, 1, 32).reshape(-1));
      loss.backward();
      clipGradNorm(model.parameters(), 1);
      opt.step();
      opt.zeroGrad();
      return loss.item();
    });
  for (let i = 0; i < 50; i++) step();
  generate(model, [[1, 2, 3], [4]], { maxNewTokens: 8 });
  const live = liveTensors();
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 400; i++) {
    step();
    if (i % 100 === 0) generate(model, [[1, 2, 3], [4]], { maxNewTokens: 8 });
  }
  assert.equal(liveTensors(), live, 'no native tensor outlives its step');
  const grownMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.ok(grownMiB < 32, `RSS grew ${grownMiB.toFixed(1)} MiB over 400 steps`);
  assert.ok(Number.isFinite(tensor([1]).item()));
});
