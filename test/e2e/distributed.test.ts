// Data-parallel training on loopback (c10d Gloo): a 2-process run follows the 1-process run
// with the same global batch; a dead rank stops the others with a clear error in bounded
// time, and the run resumes from its last checkpoint; the launcher's environment and its
// failure handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { loadSafetensors } from '../../src/core/tensor/index.js';
import { worldFromEnv, distributedBackends } from '../../src/core/distributed/world.js';
import { launch, freePort } from '../../src/core/distributed/launch.js';
import { repoRoot } from '../helpers.js';

// Gloo is built where its headers were found (Debian's libgloo-dev beside Debian's libtorch);
// a pip torch ships none, and there the multi-process tests are skipped.
const built = JSON.parse(
  execFileSync(process.execPath, [join(repoRoot, 'native', 'find-libtorch.mjs'), '--describe'], { encoding: 'utf8' }),
) as { dist: { gloo: boolean } };
const noGloo = distributedBackends().includes('gloo')
  ? false
  : 'this build has no Gloo backend (no gloo headers at build time)';

const cli = join(repoRoot, 'dist', 'src', 'apps', 'cli', 'main.js');
const base = {
  domain: 'counter',
  seed: 3,
  domainOptions: { registers: 2, trainSize: 300, testSize: 20 },
  model: { hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 1, numAttentionHeads: 2 },
  mle: {
    steps: 160,
    batchSize: 16,
    learningRate: 3e-3,
    evalSteps: 80,
    saveSteps: 80,
    loggingSteps: 1,
    evalExamples: 10,
    samplesSteps: 1000,
  },
  // 3 prompts x G=4 over 2 ranks: the middle group's samples are split between the ranks
  grpo: {
    steps: 4,
    promptsPerStep: 3,
    numGenerations: 4,
    maxCompletionLength: 10,
    learningRate: 3e-3,
    miniBatches: 2,
    rewards: { partial: 1 },
    dynamicSampling: { enabled: true },
    evalSteps: 2,
    evalExamples: 8,
    saveSteps: 2,
    samplesSteps: 1000,
  },
  distributed: { timeoutSeconds: 60 },
};

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  endedAt: number;
}
/** onStart may return a cleanup, called when the process has ended. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onStart?: (kill: () => void) => (() => void) | void,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.resume();
    const cleanup = onStart?.(() => child.kill('SIGKILL'));
    child.on('close', (code, signal) => {
      cleanup?.();
      resolve({ code, signal, stderr, endedAt: Date.now() });
    });
  });
}
const records = (runDir: string, phase: string): Record<string, number>[] =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>)
    .filter((r) => (r.phase as unknown) === phase);
const latestStep = (runDir: string): number => {
  const p = join(runDir, 'checkpoints', 'latest');
  return existsSync(p) ? Number(readFileSync(p, 'utf8').trim().replace('step-', '')) : 0;
};
const close = (a: number, b: number, rel: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);

test('torchrun-style environment: parsed, and bad values named', () => {
  assert.equal(worldFromEnv({}), null);
  assert.deepEqual(
    worldFromEnv({
      WORLD_SIZE: '4',
      RANK: '3',
      LOCAL_RANK: '1',
      LOCAL_WORLD_SIZE: '2',
      MASTER_ADDR: '10.0.0.1',
      MASTER_PORT: '1234',
    }),
    { rank: 3, size: 4, localRank: 1, localSize: 2, masterAddr: '10.0.0.1', masterPort: 1234 },
  );
  assert.throws(() => worldFromEnv({ WORLD_SIZE: '2' }), /RANK is not set/);
  assert.throws(() => worldFromEnv({ WORLD_SIZE: '2', RANK: '2' }), /RANK=2 is not below WORLD_SIZE=2/);
  assert.throws(() => worldFromEnv({ WORLD_SIZE: 'two', RANK: '0' }), /WORLD_SIZE="two"/);
  assert.throws(() => worldFromEnv({ WORLD_SIZE: '2', RANK: '0', MASTER_PORT: '70000' }), /MASTER_PORT=70000/);
  assert.equal(
    distributedBackends().includes('gloo'),
    built.dist.gloo,
    `Gloo is in the build exactly when its headers are found (build has: ${distributedBackends().join(', ')})`,
  );
});

test(
  '2 processes follow the 1-process run: MLE loss curve, GRPO rewards and statistics, final weights',
  { timeout: 300_000, skip: noGloo },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddp-'));
    try {
      const cfg = join(dir, 'run.yaml');
      writeFileSync(cfg, YAML.stringify(base));
      const [m1, m2, g1, g2] = ['mle-1', 'mle-2', 'grpo-1', 'grpo-2'].map((d) => join(dir, d)) as [
        string,
        string,
        string,
        string,
      ];
      let r = await run(['train', 'mle', '-c', cfg, '--set', `runDir=${m1}`]);
      assert.equal(r.code, 0, r.stderr);
      r = await run(['launch', '--nproc', '2', '--', 'train', 'mle', '-c', cfg, '--set', `runDir=${m2}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /2 ranks \(gloo\)/);
      const [a, b] = [records(m1, 'mle'), records(m2, 'mle')];
      assert.equal(a.length, 160);
      assert.equal(b.length, 160);
      a.forEach((x, i) => close(x.loss!, b[i]!.loss!, 1e-4, `MLE loss at step ${x.step}`));
      assert.ok(a.at(-1)!.loss! < a[0]!.loss! - 1, 'the model learned something, so the comparison means something');
      assert.deepEqual(
        records(m1, 'mle-eval').map((x) => x['eval/accuracy']),
        records(m2, 'mle-eval').map((x) => x['eval/accuracy']),
      );

      const init = join(m1, 'checkpoints', 'step-0000160');
      r = await run(['train', 'rlvr', '-c', cfg, '--set', `runDir=${g1}`, '--set', `init=${init}`]);
      assert.equal(r.code, 0, r.stderr);
      r = await run([
        'launch',
        '--nproc',
        '2',
        '--',
        'train',
        'rlvr',
        '-c',
        cfg,
        '--set',
        `runDir=${g2}`,
        '--set',
        `init=${init}`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const [c, d] = [records(g1, 'grpo'), records(g2, 'grpo')];
      assert.equal(c.length, 4);
      assert.equal(d.length, 4);
      assert.ok(
        c.some((x) => x['reward/std']! > 0),
        'rewards vary within the batch',
      );
      c.forEach((x, i) => {
        const y = d[i]!;
        for (const k of [
          'reward/mean',
          'reward/std',
          'samples_used',
          'zero_spread_groups',
          'response_length',
          'rollout_rounds',
        ])
          assert.equal(x[k], y[k], `${k} at step ${x.step}`);
        for (const k of ['kl', 'entropy', 'clip_frac', 'grad_norm'])
          close(x[k]!, y[k]!, 1e-3, `${k} at step ${x.step}`);
      });
      const wa = loadSafetensors(join(g1, 'checkpoints', 'step-0000004', 'model.safetensors'));
      const wb = loadSafetensors(join(g2, 'checkpoints', 'step-0000004', 'model.safetensors'));
      for (const [k, t] of wa) assert.ok(t.sub(wb.get(k)!).abs().amax().item() < 1e-4, `final weight ${k}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a dead rank stops the other with a clear error within seconds; the run resumes from its last checkpoint',
  { timeout: 300_000, skip: noGloo },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ddp-dead-'));
    try {
      const cfg = join(dir, 'run.yaml');
      const runDir = join(dir, 'run');
      writeFileSync(
        cfg,
        YAML.stringify({ ...base, runDir, mle: { ...base.mle, steps: 600, saveSteps: 10, evalSteps: 1000 } }),
      );
      // the workers are started as torchrun would start them, without the launcher's watchdog
      const port = await freePort();
      const env = (rank: number): NodeJS.ProcessEnv => ({
        WORLD_SIZE: '2',
        RANK: String(rank),
        MASTER_ADDR: '127.0.0.1',
        MASTER_PORT: String(port),
      });
      let killedAt = 0;
      const rank1 = run(['train', 'mle', '-c', cfg], env(1), (kill) => {
        const timer = setInterval(() => {
          if (latestStep(runDir) >= 20) {
            clearInterval(timer);
            killedAt = Date.now();
            kill();
          }
        }, 5);
        return () => clearInterval(timer);
      });
      const rank0 = run(['train', 'mle', '-c', cfg], env(0));
      const [r1, r0] = await Promise.all([rank1, rank0]);
      assert.equal(r1.signal, 'SIGKILL');
      assert.equal(r0.code, 1, 'rank 0 fails');
      const stoppedAfter = (r0.endedAt - killedAt) / 1000;
      assert.match(r0.stderr, /rlvr-world \(rank 0\): collective .* failed on rank 0 of 2 \(gloo\)/);
      assert.match(r0.stderr, /--resume/);
      const stopped = latestStep(runDir);
      assert.ok(stopped >= 20 && stopped < 600, `stopped at checkpoint ${stopped}`);
      assert.ok(killedAt > 0);
      assert.ok(stoppedAfter < 30, `rank 0 stopped ${stoppedAfter.toFixed(1)} s after rank 1 died`);
      t.diagnostic(`rank 0 exited ${stoppedAfter.toFixed(2)} s after rank 1 was killed, at checkpoint ${stopped}`);

      const r = await run(['launch', '--nproc', '2', '--', 'train', 'mle', '-c', cfg, '--resume']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`resuming MLE from .*step-${String(stopped).padStart(7, '0')}`));
      const steps = records(runDir, 'mle').map((x) => x.step);
      assert.deepEqual(
        steps,
        Array.from({ length: 600 }, (_, i) => i + 1),
        'one record per step, none lost or repeated',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("launch: torchrun's variables per rank; a failing rank takes the others down", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'launch-'));
  try {
    const script = join(dir, 'env.mjs');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
const keys = ['RANK', 'LOCAL_RANK', 'WORLD_SIZE', 'LOCAL_WORLD_SIZE', 'GROUP_RANK', 'MASTER_ADDR', 'MASTER_PORT', 'OMP_NUM_THREADS'];
writeFileSync(process.argv[2] + '/rank' + process.env.RANK + '.json', JSON.stringify(Object.fromEntries(keys.map((k) => [k, process.env[k]]))));
if (process.argv[3] === 'fail' && process.env.RANK === '2') process.exit(7);
if (process.argv[3] === 'fail') setInterval(() => {}, 1000);\n`,
    );
    const messages: string[] = [];
    const ok = await launch({ nproc: 3, command: [process.execPath, script, dir], log: (m) => messages.push(m) });
    assert.equal(ok.exitCode, 0);
    const envs = [0, 1, 2].map(
      (r) => JSON.parse(readFileSync(join(dir, `rank${r}.json`), 'utf8')) as Record<string, string>,
    );
    envs.forEach((e, r) => {
      assert.equal(e.RANK, String(r));
      assert.equal(e.LOCAL_RANK, String(r));
      assert.equal(e.WORLD_SIZE, '3');
      assert.equal(e.LOCAL_WORLD_SIZE, '3');
      assert.equal(e.GROUP_RANK, '0');
      assert.equal(e.MASTER_ADDR, '127.0.0.1');
      assert.equal(e.MASTER_PORT, envs[0]!.MASTER_PORT);
    });
    // node rank 1 of 2: global ranks 3..5
    const second = await launch({
      nproc: 3,
      nnodes: 2,
      nodeRank: 1,
      master: '127.0.0.1:29999',
      command: [process.execPath, script, dir],
      log: () => {},
    });
    assert.equal(second.exitCode, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'rank5.json'), 'utf8')), {
      ...envs[2],
      RANK: '5',
      GROUP_RANK: '1',
      WORLD_SIZE: '6',
      MASTER_PORT: '29999',
    });

    const t0 = Date.now();
    const failed = await launch({
      nproc: 3,
      command: [process.execPath, script, dir, 'fail'],
      graceSeconds: 2,
      log: (m) => messages.push(m),
    });
    assert.equal(failed.exitCode, 7);
    assert.equal(failed.failure?.rank, 2);
    assert.ok(Date.now() - t0 < 15_000, 'the other ranks were stopped');
    assert.ok(
      messages.some((m) => /rank 2 \(pid \d+\) exited with code 7; stopping the other ranks/.test(m)),
      messages.join('\n'),
    );

    await assert.rejects(launch({ nproc: 0, command: ['x'] }), /--nproc must be a positive integer/);
    await assert.rejects(launch({ nproc: 1, nnodes: 2, command: ['x'] }), /--master ADDR:PORT is required/);
    await assert.rejects(launch({ nproc: 1, master: 'nohost', command: ['x'] }), /--master must be ADDR:PORT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
