// The GRPO trainer's phases end to end on the counter world, briefly: with β = 0 there is no
// reference model, no reference pass and no KL in the log; every evaluation logs headroom
// (pass@1 and pass@k on a fixed subset); mini-batches keep groups whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainMle } from '../../src/train/mle.js';
import { trainGrpo, miniBatches, type Sample } from '../../src/train/grpo.js';
import { Rng } from '../../src/core/util/rng.js';

test(
  'beta 0: no reference pass and no KL logged; headroom logged at each evaluation',
  { timeout: 300_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grpo-phases-'));
    try {
      const base = {
        domain: 'counter',
        seed: 0,
        threads: 2,
        domainOptions: { registers: 2, trainSize: 300, testSize: 40 },
      };
      const mleCfg = validateConfig({
        ...base,
        runDir: join(dir, 'mle'),
        mle: {
          steps: 30,
          batchSize: 16,
          learningRate: 3e-3,
          evalSteps: 30,
          evalExamples: 8,
          saveSteps: 30,
          loggingSteps: 10,
        },
      });
      const domain = counterDomain(mleCfg.domainOptions);
      const mle = await trainMle(mleCfg, domain, { quiet: true });
      for (const beta of [0, 0.01]) {
        const run = join(dir, `rl-${beta}`);
        await trainGrpo(
          validateConfig({
            ...base,
            runDir: run,
            init: mle.checkpoint,
            grpo: {
              steps: 2,
              promptsPerStep: 4,
              numGenerations: 4,
              maxCompletionLength: 12,
              beta,
              evalSteps: 2,
              evalExamples: 8,
              evalPassK: 4,
              evalPassExamples: 4,
              saveSteps: 2,
              samplesSteps: 1000,
            },
          }),
          domain,
          { quiet: true },
        );
        const rows = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        const steps = rows.filter((m) => m.phase === 'grpo'),
          evals = rows.filter((m) => m.phase === 'grpo-eval');
        assert.equal(steps.length, 2);
        for (const m of steps) {
          assert.equal('kl' in m, beta !== 0, `kl logged only with a KL term (beta ${beta})`);
          if (beta === 0) assert.equal(m['time/reference'], 0);
        }
        assert.deepEqual(
          evals.map((e) => e.step),
          [0, 2],
        );
        for (const e of evals)
          for (const k of ['eval/pass@1', 'eval/pass@4', 'eval/reward@1', 'eval/reward@4'])
            assert.ok(typeof e[k] === 'number', `${k} at step ${e.step}`);
        assert.ok(evals[0]['eval/pass@4'] >= evals[0]['eval/pass@1']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('mini-batches hold whole groups in a shuffled order', () => {
  const samples = Array.from({ length: 12 }, (_, i) => ({ group: Math.floor(i / 3) }) as Sample);
  const mbs = miniBatches(samples, 2, new Rng(3));
  assert.deepEqual(
    mbs.map((m) => m.length),
    [6, 6],
  );
  for (const mb of mbs) {
    const groups = new Set(mb.map((i) => samples[i]!.group));
    assert.equal(groups.size, 2, 'two whole groups per mini-batch');
  }
  assert.deepEqual(
    [...mbs.flat()].sort((a, b) => a - b),
    samples.map((_, i) => i),
  );
});
