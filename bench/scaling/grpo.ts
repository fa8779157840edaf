// Data-parallel scaling of GRPO steps: the same run (the ~10M-parameter LLaMA of bench/engine
// on the counter world, 16 prompts × G=5 per step, up to 64 new tokens) launched on 1 and on
// 2 processes (rlvr-world launch, Gloo over loopback), same global batch. Prints step time,
// samples/s and the speed-up, and writes runs/bench-scaling.json.
//   node dist/bench/scaling/grpo.js [steps]     env: NPROCS (default "1 2"), DEVICE (default cpu)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { manualSeed, engineVersion } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig, savePretrained } from '../../src/core/models/index.js';

const steps = Number(process.argv[2] ?? 4);
const nprocs = (process.env.NPROCS ?? '1 2').split(/\s+/).filter(Boolean).map(Number);
const device = process.env.DEVICE ?? 'cpu';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'apps', 'cli', 'main.js');
const P = 16,
  G = 5;

manualSeed(0);
const dir = mkdtempSync(join(tmpdir(), 'bench-scaling-'));
try {
  const bench = JSON.parse(readFileSync(join(root, 'bench', 'engine', 'configs.json'), 'utf8'));
  const model = LlamaForCausalLM.init(
    llamaConfig({ ...bench.models['10M'], ...bench.common, maxPositionEmbeddings: 512, eosTokenId: 0, padTokenId: 1 }),
  );
  const params = model.numParameters();
  savePretrained(model, join(dir, 'init'));
  model.dispose();
  const results = [];
  for (const n of nprocs) {
    const runDir = join(dir, `run-${n}`);
    const cfg = join(dir, `run-${n}.yaml`);
    writeFileSync(
      cfg,
      YAML.stringify({
        domain: 'counter',
        seed: 0,
        runDir,
        init: join(dir, 'init'),
        device,
        grpo: {
          steps,
          promptsPerStep: P,
          numGenerations: G,
          maxCompletionLength: 64,
          miniBatches: 2,
          evalSteps: 100000,
          evalExamples: 1,
          saveSteps: 100000,
          samplesSteps: 100000,
        },
      }),
    );
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [cli, 'launch', '--nproc', String(n), '--', 'train', 'rlvr', '-c', cfg], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`launch --nproc ${n} failed:\n${r.stderr}`);
    const rows = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((m) => m.phase === 'grpo');
    // the first step warms allocators and caches; it is reported but not averaged
    const timed = rows.slice(1);
    const mean = (k: string): number => timed.reduce((a, m) => a + m[k], 0) / timed.length;
    const stepSeconds = mean('time/step');
    results.push({
      nproc: n,
      threadsPerProcess: n > 1 ? Math.max(1, Math.floor(availableParallelism() / n)) : availableParallelism(),
      stepSeconds,
      samplesPerSecond: (P * G) / stepSeconds,
      firstStepSeconds: rows[0]['time/step'],
      generate: mean('time/generate'),
      reward: mean('time/reward'),
      reference: mean('time/reference'),
      update: mean('time/update'),
      rewardMean: rows.map((m) => m['reward/mean']),
      wallSeconds: (Date.now() - t0) / 1000,
    });
  }
  const base = results[0]!;
  console.log(
    `GRPO step scaling on ${device === 'cpu' ? `${availableParallelism()} CPU cores (${cpus()[0]?.model.trim()})` : device}: ${(params / 1e6).toFixed(2)}M-parameter LLaMA, ${P} prompts × G=${G}, up to 64 new tokens, ${steps} steps (first not averaged)`,
  );
  console.log('processes | threads/process | s/step | samples/s | speed-up | generate s | update s');
  for (const r of results) {
    console.log(
      `${r.nproc} | ${r.threadsPerProcess} | ${r.stepSeconds.toFixed(2)} | ${r.samplesPerSecond.toFixed(1)} | ${(base.stepSeconds / r.stepSeconds).toFixed(2)}x | ${r.generate.toFixed(2)} | ${r.update.toFixed(2)}`,
    );
  }
  const same = results.every((r) => JSON.stringify(r.rewardMean) === JSON.stringify(base.rewardMean));
  console.log(`same rewards per step on every process count: ${same}`);
  const out = {
    torch: engineVersion().torch,
    device,
    cores: availableParallelism(),
    params,
    promptsPerStep: P,
    numGenerations: G,
    steps,
    results,
    sameRewards: same,
  };
  mkdirSync(join(root, 'runs'), { recursive: true });
  writeFileSync(join(root, 'runs', 'bench-scaling.json'), JSON.stringify(out, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
