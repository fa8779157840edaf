// Times GRPO steps of the ~10M-parameter LLaMA of bench/engine, broken into phases:
// sampling (batched generation with KV cache), rewards (decode + verifiable reward),
// reference log-probs, and the policy update (PPO mini-batches: forward, backward, AdamW).
//   node dist/bench/grpo/step.js [steps]     env: THREADS (default 2), DEVICE (cpu | cuda:N), BF16=1
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manualSeed, setNumThreads, getNumThreads } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig, savePretrained } from '../../src/core/models/index.js';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainGrpo } from '../../src/train/grpo.js';

const steps = Number(process.argv[2] ?? 3);
const device = process.env.DEVICE ?? 'cpu';
const bf16 = process.env.BF16 === '1';
setNumThreads(Number(process.env.THREADS ?? 2));
manualSeed(0);
const dir = mkdtempSync(join(tmpdir(), 'bench-grpo-'));
try {
  // the engine benchmark's ~10M config; the counter world's 42 tokens use the first ids of its vocabulary
  const bench = JSON.parse(
    readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'engine', 'configs.json'),
      'utf8',
    ),
  );
  const cfg = llamaConfig({
    ...bench.models['10M'],
    ...bench.common,
    maxPositionEmbeddings: 512,
    eosTokenId: 0,
    padTokenId: 1,
  });
  const model = LlamaForCausalLM.init(cfg);
  const params = model.numParameters();
  savePretrained(model, join(dir, 'init'));
  const run = validateConfig({
    domain: 'counter',
    seed: 0,
    runDir: join(dir, 'run'),
    init: join(dir, 'init'),
    device,
    bf16,
    grpo: {
      steps,
      promptsPerStep: 16,
      numGenerations: 5,
      maxCompletionLength: 64,
      miniBatches: 2,
      evalSteps: 100000,
      evalExamples: 1,
      saveSteps: 100000,
      samplesSteps: 100000,
    },
  });
  await trainGrpo(run, counterDomain(), { quiet: true });
  const rows = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((m) => m.phase === 'grpo');
  const phases = ['generate', 'reward', 'reference', 'update'] as const;
  console.log(
    `GRPO step on a ${(params / 1e6).toFixed(2)}M-parameter LLaMA, ${device}${bf16 ? ' bf16' : ''}, ${getNumThreads()} threads: 16 prompts × G=5, up to 64 new tokens, 2 mini-batches`,
  );
  console.log('step | ' + phases.map((p) => `${p} s (share)`).join(' | ') + ' | total s | sampled tokens/s');
  const totals = { generate: 0, reward: 0, reference: 0, update: 0, all: 0 };
  for (const m of rows) {
    const total = m['time/step'] as number;
    console.log(
      `${m.step} | ` +
        phases
          .map((p) => `${m[`time/${p}`].toFixed(2)} (${((100 * m[`time/${p}`]) / total).toFixed(1)}%)`)
          .join(' | ') +
        ` | ${total.toFixed(2)} | ${m.tokens_per_s.toFixed(0)}`,
    );
    for (const p of phases) totals[p] += m[`time/${p}`];
    totals.all += total;
  }
  const share = Object.fromEntries(phases.map((p) => [p, +(totals[p] / totals.all).toFixed(4)]));
  console.log(
    JSON.stringify({
      params,
      device,
      bf16,
      threads: getNumThreads(),
      steps: rows.length,
      meanStepSeconds: totals.all / rows.length,
      share,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
