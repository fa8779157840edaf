// Memory soak: 10,000 training steps (forward, loss, backward, clip, AdamW) on a small
// LLaMA, with a sampling call every 500 steps. Prints resident memory and live native
// tensors along the way and writes the curve to runs/memory-soak.json.
//   node dist/bench/memory/soak.js [steps]
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  scope,
  liveTensors,
  manualSeed,
  AdamW,
  clipGradNorm,
  F,
  randint,
  setNumThreads,
} from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';

const steps = Number(process.argv[2] ?? 10000);
setNumThreads(Number(process.env.THREADS ?? 2));
manualSeed(0);
const V = 256;
const cfg = llamaConfig({
  vocabSize: V,
  hiddenSize: 64,
  intermediateSize: 172,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
});
const model = LlamaForCausalLM.init(cfg).requiresGrad_();
const opt = new AdamW(model.parameters(), { lr: 1e-3 });
const curve: { step: number; rssMiB: number; liveTensors: number; loss: number }[] = [];
const t0 = Date.now();
for (let s = 1; s <= steps; s++) {
  const loss = scope(() => {
    const ids = randint(0, V, [8, 65]);
    const l = F.crossEntropy(model.forward(ids.narrow(1, 0, 64)).reshape(-1, V), ids.narrow(1, 1, 64).reshape(-1));
    l.backward();
    clipGradNorm(model.parameters(), 1);
    opt.step();
    opt.zeroGrad();
    return l.item();
  });
  if (s % 500 === 0)
    generate(
      model,
      [
        [1, 2, 3],
        [4, 5],
      ],
      { maxNewTokens: 16 },
    );
  if (s === 1 || s % 500 === 0) {
    const rssMiB = process.memoryUsage().rss / 2 ** 20;
    curve.push({ step: s, rssMiB: +rssMiB.toFixed(1), liveTensors: liveTensors(), loss: +loss.toFixed(4) });
    console.log(
      `step ${String(s).padStart(6)}  rss ${rssMiB.toFixed(1).padStart(7)} MiB  live tensors ${liveTensors()}  loss ${loss.toFixed(4)}  ${((Date.now() - t0) / 1000).toFixed(0)}s`,
    );
  }
}
const after = curve.filter((c) => c.step >= 1000).map((c) => c.rssMiB);
const summary = {
  steps,
  rssMiBFirst: curve[0]!.rssMiB,
  rssMiBAt1000: after[0],
  rssMiBLast: after[after.length - 1],
  rssMiBMaxAfter1000: Math.max(...after),
  liveTensorsConstant: new Set(curve.map((c) => c.liveTensors)).size === 1,
};
console.log(JSON.stringify(summary));
mkdirSync('runs', { recursive: true });
writeFileSync('runs/memory-soak.json', JSON.stringify({ summary, curve }, null, 2));
