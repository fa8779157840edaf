// Shared-prefix GRPO against one pass per sample: the same GRPO step (rollout, reference
// log-probs, update over 2 mini-batches) at each domain's default model size, group size
// and typical lengths, with sharePrefix on and off, interleaved, on one machine.
//   node dist/bench/grpo/shared-prefix.js [repeats] [--out results/bench-shared-prefix.json]
//   env: THREADS (default 2), DEVICE, ONLY=textgame,web,video
// Responses run to a fixed length (no stop token), so both settings do the same work.
// Lengths: text game from its built-in data (median prompt 257, median target 52-58
// tokens); video from its geometry (4 context frames of 8×8 codes + 4 action tokens each,
// then BOS; a 64-code frame); web estimated from the 16-node view (prompt ~250 tokens,
// diffs up to 400, typically ~200).
import { writeFileSync } from 'node:fs';
import { runInfo, gitState } from '../../src/apps/report/run-info.js';
import { manualSeed, setNumThreads, getNumThreads, AdamW } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';
import { GrpoSchema } from '../../src/train/config/schema.js';
import { getWorld } from '../../src/core/distributed/world.js';
import { Rng } from '../../src/core/util/rng.js';
import { referenceLogprobs } from '../../src/train/grpo/reference.js';
import { assignAdvantages, updatePolicy } from '../../src/train/grpo/update.js';
import type { Sample } from '../../src/train/grpo/sample.js';

interface Setting {
  name: string;
  vocab: number;
  model: Record<string, number>;
  prompts: number;
  G: number;
  promptLen: number;
  responseLen: number;
}
const SETTINGS: Setting[] = [
  {
    name: 'textgame',
    vocab: 1024,
    model: { hiddenSize: 128, intermediateSize: 344, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2 },
    prompts: 16,
    G: 5,
    promptLen: 257,
    responseLen: 58,
  },
  {
    name: 'web',
    vocab: 2048,
    model: { hiddenSize: 128, intermediateSize: 344, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2 },
    prompts: 8,
    G: 4,
    promptLen: 250,
    responseLen: 200,
  },
  {
    name: 'video',
    vocab: 1300,
    model: { hiddenSize: 96, intermediateSize: 256, numHiddenLayers: 3, numAttentionHeads: 4, numKeyValueHeads: 2 },
    prompts: 8,
    G: 8,
    promptLen: 273,
    responseLen: 65,
  },
];

const repeats = Number(process.argv[2] ?? 2);
const outAt = process.argv.indexOf('--out'),
  out = outAt > 0 ? process.argv[outAt + 1] : undefined;
const started = Date.now(),
  git = gitState();
const device = process.env.DEVICE ?? 'cpu';
setNumThreads(Number(process.env.THREADS ?? 2));
const only = process.env.ONLY?.split(',');
const world = getWorld({ device, backend: 'auto', timeoutSeconds: 600 });

/** One GRPO step's phases; returns seconds per phase. */
function step(
  s: Setting,
  model: LlamaForCausalLM,
  reference: LlamaForCausalLM,
  opt: AdamW,
  share: boolean,
  seed: number,
) {
  const rng = new Rng(seed);
  const prompts = Array.from({ length: s.prompts }, () =>
    Array.from({ length: s.promptLen - rng.int(8) }, () => 2 + rng.int(s.vocab - 2)),
  );
  const rows = prompts.flatMap((p) => new Array<number[]>(s.G).fill(p));
  const c = GrpoSchema.parse({
    numGenerations: s.G,
    promptsPerStep: s.prompts,
    maxCompletionLength: s.responseLen,
    sharePrefix: share,
    miniBatches: 2,
    beta: 0.001,
  });
  let t = Date.now();
  const g = generate(model, rows, {
    maxNewTokens: s.responseLen,
    temperature: 1,
    seeds: rows.map((_, i) => seed * 1000 + i),
    padTokenId: 0,
    sharePrefix: share,
  });
  const generateS = (Date.now() - t) / 1000;
  const samples: Sample[] = rows.map((p, i) => ({
    group: Math.floor(i / s.G),
    prompt: p,
    response: g.tokens[i]!,
    oldLogp: g.logprobs[i]!,
    reward: { score: rng.next() < 0.5 ? 1 : 0 },
    advantage: 0,
    exampleIndex: 0,
  }));
  assignAdvantages(samples, c);
  const pass = { temperature: 1, pad: 0, device, sharePrefix: share, bf16: false };
  t = Date.now();
  const ref = referenceLogprobs(reference, samples, 32, pass);
  const referenceS = (Date.now() - t) / 1000;
  t = Date.now();
  updatePolicy(
    { policy: model, opt, world, c: { ...c, microBatchSize: 20 }, pad: 0, device, bf16: false, rng },
    samples,
    ref,
  );
  const updateS = (Date.now() - t) / 1000;
  return {
    generate: generateS,
    reference: referenceS,
    update: updateS,
    total: generateS + referenceS + updateS,
    samples: rows.length,
  };
}

const results: Record<string, unknown>[] = [];
console.log(
  `shared-prefix GRPO vs one pass per sample: ${device}, ${getNumThreads()} threads, ${repeats} steps each (interleaved), after one warm-up step each`,
);
console.log(
  'domain | prompts × G | prompt / response tokens | setting | generate s | reference s | update s | s/step | samples/s | speed-up',
);
for (const s of SETTINGS.filter((x) => !only || only.includes(x.name))) {
  manualSeed(0);
  const model = LlamaForCausalLM.init(
    llamaConfig({ vocabSize: s.vocab, ...s.model, maxPositionEmbeddings: 1024, eosTokenId: 1, padTokenId: 0 } as never),
    { device },
  ).requiresGrad_();
  const reference = model.clone();
  const opt = new AdamW(model.parameters(), { lr: 1e-5 });
  const sum = { shared: [0, 0, 0, 0, 0], unshared: [0, 0, 0, 0, 0] };
  for (const share of [true, false]) step(s, model, reference, opt, share, 999);
  for (let r = 0; r < repeats; r++) {
    for (const share of [true, false]) {
      const x = step(s, model, reference, opt, share, r + 1);
      const acc = sum[share ? 'shared' : 'unshared'];
      [x.generate, x.reference, x.update, x.total, x.samples].forEach((v, i) => {
        acc[i] = acc[i]! + v;
      });
    }
  }
  const row = (k: 'shared' | 'unshared') => {
    const [gen, ref, upd, total, n] = sum[k].map((v) => v / repeats) as [number, number, number, number, number];
    return { generate: gen, reference: ref, update: upd, secondsPerStep: total, samplesPerSecond: n / total };
  };
  const shared = row('shared'),
    unshared = row('unshared');
  const speedup = shared.samplesPerSecond / unshared.samplesPerSecond;
  for (const [k, v] of [
    ['shared', shared],
    ['unshared', unshared],
  ] as const) {
    console.log(
      `${s.name} | ${s.prompts} × ${s.G} | ${s.promptLen} / ${s.responseLen} | ${k} | ${v.generate.toFixed(2)} | ${v.reference.toFixed(2)} | ${v.update.toFixed(2)} | ${v.secondsPerStep.toFixed(2)} | ${v.samplesPerSecond.toFixed(1)} | ${k === 'shared' ? speedup.toFixed(2) + '×' : ''}`,
    );
  }
  results.push({
    domain: s.name,
    prompts: s.prompts,
    G: s.G,
    promptLen: s.promptLen,
    responseLen: s.responseLen,
    model: s.model,
    shared,
    unshared,
    speedup,
  });
  model.dispose();
  reference.dispose();
}
const summary = {
  ...runInfo(started, git),
  command: ['node', 'dist/bench/grpo/shared-prefix.js', ...process.argv.slice(2)].join(' '),
  device,
  threads: getNumThreads(),
  repeats,
  results,
};
console.log(JSON.stringify(summary));
if (out) writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
