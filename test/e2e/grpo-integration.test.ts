import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainMle } from '../../src/train/mle.js';
import { trainGrpo } from '../../src/train/grpo.js';
import { testDevice } from '../helpers.js';

// The counter world (registers and actions; the next state is computable): a briefly
// trained MLE model, then GRPO on the exact-state reward, with fixed seeds. GRPO must raise
// greedy accuracy on held-out transitions by a clear margin within 60 steps.
test('GRPO raises the verifiable reward on held-out prompts after brief MLE', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-it-'));
  try {
    const base = {
      domain: 'counter',
      seed: 0,
      threads: 2,
      device: testDevice,
      domainOptions: { registers: 2, trainSize: 2000, testSize: 200 },
    };
    const mleCfg = validateConfig({
      ...base,
      runDir: join(dir, 'mle'),
      mle: { steps: 300, batchSize: 32, learningRate: 3e-3, evalSteps: 300, saveSteps: 300, loggingSteps: 50 },
    });
    const domain = counterDomain(mleCfg.domainOptions);
    const mle = await trainMle(mleCfg, domain, { quiet: true });
    const rlCfg = validateConfig({
      ...base,
      runDir: join(dir, 'rl'),
      init: mle.checkpoint,
      grpo: {
        steps: 60,
        promptsPerStep: 32,
        numGenerations: 5,
        maxCompletionLength: 12,
        learningRate: 1e-3,
        evalSteps: 60,
        evalExamples: 200,
        saveSteps: 60,
        samplesSteps: 1000,
      },
    });
    const rl = await trainGrpo(rlCfg, domain, { quiet: true });
    const evals = readFileSync(join(dir, 'rl', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((m) => m.phase === 'grpo-eval');
    const before = evals[0]['eval/accuracy'] as number,
      after = rl.metrics.accuracy!;
    console.log(`held-out exact-state accuracy: MLE ${before.toFixed(3)} -> GRPO ${after.toFixed(3)}`);
    assert.equal(evals[0].step, 0);
    assert.ok(before < 0.6, `the MLE model leaves room to improve (${before})`);
    assert.ok(after - before >= 0.07, `GRPO gain ${before} -> ${after}`);
    // the training log has what a user reads per step
    const steps = readFileSync(join(dir, 'rl', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((m) => m.phase === 'grpo');
    assert.equal(steps.length, 60);
    for (const key of [
      'reward/mean',
      'reward/std',
      'reward/exact/mean',
      'kl',
      'entropy',
      'clip_frac',
      'response_length',
      'zero_spread_groups',
      'tokens_per_s',
      'lr',
    ])
      assert.ok(key in steps[0], key);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
