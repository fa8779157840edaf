// CUDA: the engine and the trainers on a GPU against the CPU. Skipped where no GPU is usable
// (CI); bench/gpu/check.sh runs it on a GPU machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, scope, noGrad, cuda, autocast, loadSafetensors } from '../../src/core/tensor/index.js';
import { fromPretrained } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainMle } from '../../src/train/mle.js';
import { trainGrpo } from '../../src/train/grpo.js';
import { World, distributedBackends } from '../../src/core/distributed/world.js';
import { freePort } from '../../src/core/distributed/launch.js';
import { fixture, fixturesSkip } from '../helpers.js';

const skip = cuda.isAvailable() ? false : 'no CUDA device';
const ids = [
  [5, 17, 230, 41, 99, 7],
  [300, 2, 8, 9, 10, 11],
];

test(
  'CUDA logits and log-probabilities match the CPU (float32), bf16 autocast stays close',
  { skip: skip || fixturesSkip },
  () =>
    noGrad(() =>
      scope(() => {
        const cpu = fromPretrained(fixture('llama-tiny'));
        const gpu = fromPretrained(fixture('llama-tiny'), { device: 'cuda:0' });
        const a = cpu.forward(tensor(ids, { dtype: 'int64' })).logSoftmax(-1);
        const b = gpu
          .forward(tensor(ids, { dtype: 'int64', device: 'cuda:0' }))
          .logSoftmax(-1)
          .to('cpu');
        assert.ok(a.sub(b).abs().amax().item() < 1e-4, `max |Δ| ${a.sub(b).abs().amax().item()}`);
        const h = autocast('cuda:0', () => gpu.forward(tensor(ids, { dtype: 'int64', device: 'cuda:0' })));
        assert.equal(h.dtype, 'bfloat16');
        assert.ok(h.float().logSoftmax(-1).to('cpu').sub(a).abs().amax().item() < 0.3);
        assert.deepEqual(
          generate(gpu, ids, { maxNewTokens: 12, greedy: true }).tokens,
          generate(cpu, ids, { maxNewTokens: 12, greedy: true }).tokens,
        );
        // seeded per-row sampling draws the same tokens on both devices (same distribution to ~1e-6)
        const seeds = [11, 12];
        const sg = generate(gpu, ids, { maxNewTokens: 12, temperature: 1.2, seeds }).tokens,
          sc = generate(cpu, ids, { maxNewTokens: 12, temperature: 1.2, seeds }).tokens;
        assert.deepEqual(sg, sc);
      }),
    ),
);

test(
  'MLE then GRPO on cuda:0 with bf16 autocast: the loss falls, rewards are logged, checkpoints load on the CPU',
  { skip, timeout: 600_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cuda-'));
    try {
      const base = {
        domain: 'counter',
        seed: 0,
        device: 'cuda:0',
        bf16: true,
        domainOptions: { registers: 2, trainSize: 1000, testSize: 50 },
      };
      const mleCfg = validateConfig({
        ...base,
        runDir: join(dir, 'mle'),
        mle: {
          steps: 150,
          batchSize: 32,
          learningRate: 3e-3,
          evalSteps: 150,
          saveSteps: 150,
          loggingSteps: 10,
          evalExamples: 50,
        },
      });
      const domain = counterDomain(mleCfg.domainOptions);
      const mle = await trainMle(mleCfg, domain, { quiet: true });
      const rows = readFileSync(join(dir, 'mle', 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((m) => m.phase === 'mle');
      assert.ok(rows.at(-1).loss < rows[0].loss - 1, `loss ${rows[0].loss} -> ${rows.at(-1).loss}`);
      const rl = await trainGrpo(
        validateConfig({
          ...base,
          runDir: join(dir, 'rl'),
          init: mle.checkpoint,
          grpo: {
            steps: 5,
            promptsPerStep: 8,
            numGenerations: 4,
            maxCompletionLength: 12,
            learningRate: 1e-3,
            evalSteps: 5,
            evalExamples: 50,
            saveSteps: 5,
            samplesSteps: 1000,
          },
        }),
        domain,
        { quiet: true },
      );
      const steps = readFileSync(join(dir, 'rl', 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((m) => m.phase === 'grpo');
      assert.equal(steps.length, 5);
      for (const s of steps)
        for (const k of ['reward/mean', 'kl', 'entropy', 'grad_norm']) assert.ok(Number.isFinite(s[k]), k);
      // the checkpoint written from the GPU is float32 and loads on the CPU unchanged
      const w = loadSafetensors(join(rl.checkpoint, 'model.safetensors'));
      for (const [, t] of w) assert.equal(t.dtype, 'float32');
      const again = fromPretrained(rl.checkpoint);
      assert.equal(again.device, 'cpu');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'NCCL: a world of one initializes and all-reduces CUDA tensors',
  { skip: skip || (!distributedBackends().includes('nccl') && 'this build has no NCCL') },
  async () => {
    const world = World.init(
      { rank: 0, size: 1, localRank: 0, localSize: 1, masterAddr: '127.0.0.1', masterPort: await freePort() },
      { device: 'cuda:0', timeoutSeconds: 60 },
    );
    try {
      assert.equal(world.backend, 'nccl');
      assert.deepEqual(world.allReduceSum([1, 2.5]), [1, 2.5]);
      assert.deepEqual(world.allGather({ a: 1 }), [{ a: 1 }]);
      world.barrier();
    } finally {
      world.destroy();
    }
  },
);
