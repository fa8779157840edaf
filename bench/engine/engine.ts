// Engine benchmark, rlvr-world side: training-step and sampling throughput of the LLaMA
// decoder over our libtorch binding. bench/engine/peer.py is the same benchmark in PyTorch;
// bench/engine/run.sh runs both and compares. Prints one JSON line on stdout (progress on stderr).
//   node dist/bench/engine/engine.js [configs.json]     env: THREADS (default 2), QUICK=1, BENCH_ONLY,
//   DEVICE (cpu | cuda:N), BF16=1 (bfloat16 autocast for the training step)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  F,
  AdamW,
  clipGradNorm,
  scope,
  manualSeed,
  setNumThreads,
  getNumThreads,
  randint,
  randn,
  noGrad,
  engineVersion,
  autocast,
  cuda,
} from '../../src/core/tensor/index.js';
import { llamaConfig, LlamaForCausalLM, type LlamaConfigInput } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';

interface Bench {
  models: Record<
    string,
    Pick<
      LlamaConfigInput,
      'vocabSize' | 'hiddenSize' | 'numHiddenLayers' | 'numAttentionHeads' | 'numKeyValueHeads' | 'intermediateSize'
    >
  >;
  common: { rmsNormEps: number; ropeTheta: number; initializerRange: number };
  train: {
    batch: number;
    seq: number;
    lr: number;
    weightDecay: number;
    maxGradNorm: number;
    warmup: number;
    steps: Record<string, number>;
    quick: { warmup: number; steps: number };
  };
  sample: {
    batches: number[];
    promptLength: number;
    newTokens: number;
    temperature: number;
    reps: number;
    quick: { newTokens: number; reps: number };
  };
}

// this file runs as dist/bench/engine/engine.js; the configs stay in bench/engine/
const here = dirname(fileURLToPath(import.meta.url));
const configPath = process.argv[2] ?? join(here, '..', '..', '..', 'bench', 'engine', 'configs.json');
const bench = JSON.parse(readFileSync(configPath, 'utf8')) as Bench;
const threads = Number(process.env.THREADS ?? 2);
const quick = process.env.QUICK === '1';
const device = process.env.DEVICE ?? 'cpu';
const bf16 = process.env.BF16 === '1';
const log = (msg: string): void => {
  process.stderr.write(`[rlvr-world] ${msg}\n`);
};

setNumThreads(threads);
manualSeed(0);

const configOf = (name: string) => llamaConfig({ ...bench.models[name]!, ...bench.common });

interface Result {
  name: string;
  kind: 'train' | 'sample' | 'ops';
  model: string;
  batch: number;
  tokens: number;
  seconds: number;
  tokensPerSec: number;
  [k: string]: unknown;
}
const results: Result[] = [];
const params: Record<string, number> = {};

function trainBench(name: string): void {
  const config = configOf(name);
  const model = LlamaForCausalLM.init(config, { device }).requiresGrad_();
  params[name] = model.numParameters();
  const ps = model.parameters();
  const { batch: B, seq: T } = bench.train;
  const V = config.vocabSize;
  const opt = new AdamW(ps, { lr: bench.train.lr, weightDecay: bench.train.weightDecay });
  const ids = randint(0, V, [B, T], { device }),
    targets = randint(0, V, [B, T], { device });
  const step = (): void =>
    scope(() => {
      const loss = autocast(device, () => F.crossEntropy(model.forward(ids).view(-1, V).float(), targets.view(-1)), {
        enabled: bf16,
      });
      loss.backward();
      clipGradNorm(ps, bench.train.maxGradNorm);
      opt.step();
      opt.zeroGrad();
    });
  const warmup = quick ? bench.train.quick.warmup : bench.train.warmup;
  const steps = quick ? bench.train.quick.steps : bench.train.steps[name]!;
  for (let i = 0; i < warmup; i++) step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    cuda.synchronize();
    times.push((performance.now() - t0) / 1000);
  }
  const seconds = times.reduce((a, b) => a + b, 0);
  const r: Result = {
    name: `train ${name} b${B} s${T}${bf16 ? ' bf16' : ''}`,
    kind: 'train',
    model: name,
    batch: B,
    tokens: B * T * steps,
    seconds,
    tokensPerSec: (B * T * steps) / seconds,
    steps,
    secPerStep: seconds / steps,
    minSecPerStep: Math.min(...times),
  };
  log(`${r.name}: ${r.tokensPerSec.toFixed(0)} tok/s (${(seconds / steps).toFixed(3)} s/step, ${params[name]} params)`);
  results.push(r);
  ids.dispose();
  targets.dispose();
  model.dispose();
}

function sampleBench(name: string, B: number): void {
  const config = configOf(name);
  const model = LlamaForCausalLM.init(config, { device });
  params[name] ??= model.numParameters();
  const s = bench.sample;
  const newTokens = quick ? s.quick.newTokens : s.newTokens;
  const reps = quick ? s.quick.reps : s.reps;
  const flat = scope(() => randint(0, config.vocabSize, [B, s.promptLength]).toNumbers());
  const prompts = Array.from({ length: B }, (_, b) => flat.slice(b * s.promptLength, (b + 1) * s.promptLength));
  // one untimed run of the same length first (allocator and caches settle; the first run is slower)
  generate(model, prompts, { maxNewTokens: newTokens, temperature: s.temperature });
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const g = generate(model, prompts, { maxNewTokens: newTokens, temperature: s.temperature });
    times.push((performance.now() - t0) / 1000);
    const produced = g.tokens.reduce((n, t) => n + t.length, 0);
    if (produced !== B * newTokens) throw new Error(`sampling produced ${produced} tokens, expected ${B * newTokens}`);
  }
  const seconds = times.reduce((a, b) => a + b, 0);
  const r: Result = {
    name: `sample ${name} b${B} new${newTokens}`,
    kind: 'sample',
    model: name,
    batch: B,
    tokens: B * newTokens * reps,
    seconds,
    tokensPerSec: (B * newTokens * reps) / seconds,
    bestTokensPerSec: (B * newTokens) / Math.min(...times),
    reps,
    newTokens,
    promptLength: s.promptLength,
    secPerRep: times,
  };
  log(`${r.name}: ${r.tokensPerSec.toFixed(0)} tok/s (${times.map((t) => t.toFixed(2)).join(', ')} s)`);
  results.push(r);
  model.dispose();
}

/** Per-op overhead: a chain of 8 ops on a 2×8 tensor, where dispatch dominates the kernel (no grad). */
function opsBench(): void {
  const a = randn([2, 8]).keep(),
    b = randn([2, 8]).keep();
  const chain = (): void => {
    scope(() => {
      a.mul(b).add(a).transpose(0, 1).narrow(0, 0, 4).reshape(-1).neg().exp().sum();
      return null;
    });
  };
  const n = quick ? 2000 : 20000;
  const times: number[] = [];
  noGrad(() => {
    for (let i = 0; i < 1000; i++) chain();
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) chain();
      times.push((performance.now() - t0) / 1000);
    }
  });
  const seconds = Math.min(...times);
  const r: Result = {
    name: 'small ops (8-op chain, 2x8)',
    kind: 'ops',
    model: '-',
    batch: 1,
    tokens: 8 * n,
    seconds,
    tokensPerSec: (8 * n) / seconds,
    nsPerOp: (seconds * 1e9) / (8 * n),
  };
  log(`${r.name}: ${(r.nsPerOp as number).toFixed(0)} ns/op`);
  results.push(r);
  a.dispose();
  b.dispose();
}

log(
  `libtorch ${engineVersion().torch}, threads ${getNumThreads()}, device ${device}${bf16 ? ', bf16' : ''}${quick ? ', QUICK' : ''}`,
);
// BENCH_ONLY=train/1M,sample/10M/32 runs a subset (run.sh runs one at a time, alternating sides)
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (id: string): boolean => only === null || only.has(id);
for (const name of Object.keys(bench.models)) if (want(`train/${name}`)) trainBench(name);
for (const name of Object.keys(bench.models))
  for (const B of bench.sample.batches) if (want(`sample/${name}/${B}`)) sampleBench(name, B);
if (want('ops')) opsBench();

const out: Record<string, unknown> = {
  impl: 'rlvr-world',
  torch: engineVersion().torch,
  node: process.version,
  threads: getNumThreads(),
  device,
  bf16,
  quick,
  params,
  results,
};
process.stdout.write(JSON.stringify(out) + '\n');
