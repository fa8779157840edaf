import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors } from '../../src/core/tensor/index.js';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainMle } from '../../src/train/mle.js';
import { continueMle } from '../../src/train/mle-continue.js';
import { testDevice } from '../helpers.js';

// MLE continued from a checkpoint (config init, continueMle) and under a wall-clock budget
// (mle.maxSeconds), on a tiny counter world. Run A trains 24 steps with checkpoints at 12
// and 24; the others continue from A's step 12.
const raw = {
  domain: 'counter',
  seed: 5,
  threads: 1,
  device: testDevice,
  domainOptions: { registers: 2, trainSize: 300, testSize: 20 },
  model: { hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 1, numAttentionHeads: 2 },
  mle: {
    steps: 24,
    batchSize: 16,
    learningRate: 3e-3,
    warmupSteps: 2,
    evalSteps: 12,
    saveSteps: 12,
    loggingSteps: 1,
    evalExamples: 10,
    samplesSteps: 1000,
  },
};
const dir = mkdtempSync(join(tmpdir(), 'mle-continue-'));
const domain = counterDomain(raw.domainOptions);
const cfg = (runDir: string, extra: Record<string, unknown> = {}, mle: Record<string, unknown> = {}) =>
  validateConfig({ ...raw, runDir: join(dir, runDir), ...extra, mle: { ...raw.mle, ...mle } });
const ckpt = (run: string, step: number): string =>
  join(dir, run, 'checkpoints', `step-${String(step).padStart(7, '0')}`);
const rows = (run: string, phase: string): Record<string, number>[] =>
  readFileSync(join(dir, run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((m) => m.phase === phase);
const losses = (run: string): [number, number][] => rows(run, 'mle').map((m) => [m.step!, m.loss!]);
function sameWeights(a: string, b: string): void {
  const wa = loadSafetensors(join(a, 'model.safetensors')),
    wb = loadSafetensors(join(b, 'model.safetensors'));
  for (const [k, t] of wa) assert.ok(t.equal(wb.get(k)!), `tensor ${k} differs`);
}

before(async () => {
  await trainMle(cfg('a'), domain, { quiet: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('init = an MLE checkpoint continues that run exactly (weights, optimizer, data order, steps)', async () => {
  const r = await trainMle(cfg('b', { init: ckpt('a', 12) }), domain, { quiet: true });
  assert.equal(r.steps, 24);
  assert.equal(r.stepsRun, 12);
  const a = losses('a'),
    b = losses('b');
  assert.deepEqual(b, a.slice(12), 'steps 13..24 log the same losses');
  const near = (x: number): boolean => Math.abs(x - a[11]![1]) < Math.abs(x - a[0]![1]) / 3;
  assert.ok(
    near(b[0]![1]),
    `first loss ${b[0]![1]}: near the checkpoint's ${a[11]![1]}, not a new model's ${a[0]![1]}`,
  );
  sameWeights(ckpt('a', 24), ckpt('b', 24));
});

test("continueMle starts at the checkpoint's loss and learning rate and stops at its wall-clock budget", async () => {
  const r = await continueMle(cfg('a'), domain, ckpt('a', 12), 0.5, join(dir, 'c'), { quiet: true });
  const c = losses('c');
  assert.equal(c[0]![0], 13);
  assert.ok(
    Math.abs(c[0]![1] - losses('a')[12]![1]) < 1e-6,
    'the first step is step 13 of run A, on the same weights and batch',
  );
  assert.ok(
    rows('c', 'mle').every((m) => m.lr === rows('a', 'mle')[11]!.lr),
    "at the learning rate of the checkpoint's last step, held",
  );
  assert.ok(
    r.trainSeconds! >= 0.5 && r.trainSeconds! < 5,
    `stopped after the first step past 0.5 s (${r.trainSeconds} s)`,
  );
  assert.ok(r.stepsRun! >= 1 && r.steps === 12 + r.stepsRun!, `${r.stepsRun} steps`);
  assert.equal(r.checkpoint, ckpt('c', r.steps!), 'saved at the last step');
  assert.equal(rows('c', 'mle-eval').at(-1)!.step, r.steps, 'evaluated at the last step');
  assert.equal(rows('c', 'mle').at(-1)!.step, r.steps, 'logged the last step');
  assert.equal(r.metrics.accuracy, rows('c', 'mle-eval').at(-1)!['eval/accuracy']);
});

test('a budget-stopped continuation resumes to the same weights; a spent budget runs no step', async () => {
  const stopped = await trainMle(cfg('d', { init: ckpt('a', 12) }, { maxSeconds: 0.001 }), domain, { quiet: true });
  assert.equal(stopped.steps, 13);
  const spent = await trainMle(cfg('d', { init: ckpt('a', 12) }, { maxSeconds: 0.001 }), domain, {
    quiet: true,
    resume: true,
  });
  assert.equal(spent.stepsRun, 0);
  const resumed = await trainMle(cfg('d', { init: ckpt('a', 12) }), domain, { quiet: true, resume: true });
  assert.equal(resumed.steps, 24);
  assert.equal(resumed.stepsRun, 11);
  assert.deepEqual(losses('d'), losses('a').slice(12));
  sameWeights(ckpt('a', 24), ckpt('d', 24));
});

test('init = a folder without MLE optimizer state: its weights, a fresh optimizer, step 0', async () => {
  const bare = join(dir, 'bare');
  cpSync(ckpt('a', 12), bare, { recursive: true });
  rmSync(join(bare, 'optimizer.safetensors'));
  const r = await trainMle(cfg('e', { init: bare }, { steps: 3 }), domain, { quiet: true });
  assert.equal(r.steps, 3);
  const a = losses('a'),
    e = losses('e');
  assert.deepEqual(
    e.map(([step]) => step),
    [1, 2, 3],
  );
  assert.ok(
    Math.abs(e[0]![1] - a[11]![1]) < Math.abs(e[0]![1] - a[0]![1]) / 3,
    `first loss ${e[0]![1]}: near the checkpoint's ${a[11]![1]}, not a new model's ${a[0]![1]}`,
  );
});
