import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { loadSafetensors } from '../../src/core/tensor/index.js';
import { repoRoot, testDevice } from '../helpers.js';

// A run killed with SIGKILL mid-training and resumed with --resume ends with the same
// weights and the same logged metrics as an uninterrupted run with the same seed.
const cli = join(repoRoot, 'dist', 'src', 'apps', 'cli', 'main.js');
const base = {
  domain: 'counter',
  seed: 3,
  threads: 1,
  device: testDevice,
  domainOptions: { registers: 2, trainSize: 300, testSize: 20 },
  model: { hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 1, numAttentionHeads: 2 },
  mle: { steps: 24, batchSize: 16, evalSteps: 12, saveSteps: 4, loggingSteps: 1, evalExamples: 10, samplesSteps: 1000 },
  grpo: {
    steps: 8,
    promptsPerStep: 4,
    numGenerations: 4,
    maxCompletionLength: 10,
    learningRate: 1e-3,
    evalSteps: 4,
    evalExamples: 8,
    saveSteps: 2,
    samplesSteps: 1000,
  },
};

function run(
  args: string[],
  killWhen?: () => boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.resume();
    const timer = killWhen
      ? setInterval(() => {
          if (killWhen()) {
            clearInterval(timer);
            child.kill('SIGKILL');
          }
        }, 5)
      : undefined;
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stderr });
    });
  });
}

const latestStep = (runDir: string): number => {
  const p = join(runDir, 'checkpoints', 'latest');
  return existsSync(p) ? Number(readFileSync(p, 'utf8').trim().replace('step-', '')) : 0;
};
const stable = (runDir: string): unknown[] =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const m = JSON.parse(l) as Record<string, unknown>;
      for (const k of Object.keys(m)) if (k.startsWith('time/') || k.endsWith('per_s')) delete m[k];
      return m;
    });
function sameWeights(a: string, b: string): void {
  const wa = loadSafetensors(join(a, 'model.safetensors')),
    wb = loadSafetensors(join(b, 'model.safetensors'));
  assert.deepEqual([...wa.keys()], [...wb.keys()]);
  for (const [k, t] of wa) assert.ok(t.equal(wb.get(k)!), `tensor ${k} differs`);
}

test('SIGKILL mid-run + --resume reproduces the uninterrupted run (MLE and GRPO)', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'resume-'));
  try {
    const cfgPath = join(dir, 'run.yaml');
    writeFileSync(cfgPath, YAML.stringify(base));
    const mleA = join(dir, 'mle-a'),
      mleB = join(dir, 'mle-b');
    let r = await run(['train', 'mle', '-c', cfgPath, '--set', `runDir=${mleA}`]);
    assert.equal(r.code, 0, r.stderr);
    r = await run(['train', 'mle', '-c', cfgPath, '--set', `runDir=${mleB}`], () => latestStep(mleB) >= 8);
    assert.equal(r.signal, 'SIGKILL', 'the run was killed before it finished');
    assert.ok(latestStep(mleB) < 24);
    r = await run(['train', 'mle', '-c', cfgPath, '--set', `runDir=${mleB}`, '--resume']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /resuming MLE from/);
    sameWeights(join(mleA, 'checkpoints', 'step-0000024'), join(mleB, 'checkpoints', 'step-0000024'));
    assert.deepEqual(stable(mleB), stable(mleA));

    const init = join(mleA, 'checkpoints', 'step-0000024');
    const rlA = join(dir, 'rl-a'),
      rlB = join(dir, 'rl-b');
    r = await run(['train', 'rlvr', '-c', cfgPath, '--set', `runDir=${rlA}`, '--set', `init=${init}`]);
    assert.equal(r.code, 0, r.stderr);
    r = await run(
      ['train', 'rlvr', '-c', cfgPath, '--set', `runDir=${rlB}`, '--set', `init=${init}`],
      () => latestStep(rlB) >= 4,
    );
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(latestStep(rlB) < 8);
    r = await run(['train', 'rlvr', '-c', cfgPath, '--set', `runDir=${rlB}`, '--set', `init=${init}`, '--resume']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /resuming GRPO from/);
    sameWeights(join(rlA, 'checkpoints', 'step-0000008'), join(rlB, 'checkpoints', 'step-0000008'));
    assert.deepEqual(stable(rlB), stable(rlA));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
