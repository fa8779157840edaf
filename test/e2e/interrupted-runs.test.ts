// Interrupted runs (issue 20, items 9-10) end to end. A run SIGKILLed in the middle of its first
// checkpoint write (no checkpoint yet), in the middle of a later one, or after its final one,
// then continued with --resume, ends with the uninterrupted run's metrics.jsonl (timing fields
// aside), samples.md and weights, for MLE and GRPO (bench/reliability/kill-trials.ts adds
// seeded random moments). Killing `rlvr-world launch` with SIGKILL ends its ranks within
// seconds; while they live, a second writer is refused; then --resume takes the folder over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { distributedBackends } from '../../src/core/distributed/world.js';
import { killTrials, trialConfig } from '../../bench/reliability/kill-trials.js';
import { repoRoot } from '../helpers.js';

const cli = join(repoRoot, 'dist', 'src', 'apps', 'cli', 'main.js');

test('killed during a checkpoint write or after the last one, --resume reproduces the run (MLE, GRPO)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kill-trials-'));
  try {
    const mle = await killTrials({
      dir,
      phase: 'mle',
      kills: [{ inCheckpoint: 4 }, { inCheckpoint: 12 }, 'after-final'],
    });
    const init = join(mle.reference, 'checkpoints', `step-${String(trialConfig.mle.steps).padStart(7, '0')}`);
    const grpo = await killTrials({
      dir,
      phase: 'grpo',
      init,
      kills: [{ inCheckpoint: 2 }, { inCheckpoint: 6 }, 'after-final'],
    });
    for (const [phase, r] of [
      ['mle', mle],
      ['grpo', grpo],
    ] as const)
      for (const trial of r.trials) {
        t.diagnostic(`${phase}: killed ${trial.kill} (${trial.landed}): ${trial.identical ? 'identical' : trial.diff}`);
        assert.ok(trial.identical, `${phase}, killed ${trial.kill}: ${trial.diff}`);
      }
    assert.match(mle.trials[0]!.landed, /^no checkpoint, half-written step-0000004/);
    assert.match(grpo.trials[1]!.landed, /newest step-0000004, half-written step-0000006/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface Exit {
  code: number | null;
  stderr: string;
}
function start(args: string[]): { pid: number; done: Promise<Exit> } {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return { pid: child.pid!, done: new Promise((r) => child.on('close', (code) => r({ code, stderr }))) };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Running, and not a zombie waiting for its reaper. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);

test(
  'SIGKILL of launch: its ranks end within seconds; a second writer is refused meanwhile; --overwrite',
  {
    timeout: 180_000,
    skip: distributedBackends().includes('gloo') ? false : 'this build has no Gloo backend',
  },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'launch-kill-'));
    try {
      const runDir = join(dir, 'run');
      const cfg = join(dir, 'run.yaml');
      writeFileSync(
        cfg,
        YAML.stringify({
          ...trialConfig,
          runDir,
          mle: { ...trialConfig.mle, steps: 400, saveSteps: 20, evalSteps: 1000 },
        }),
      );
      const launcher = start(['launch', '--nproc', '2', '--', 'train', 'mle', '-c', cfg]);
      const t0 = Date.now();
      while (!existsSync(join(runDir, 'checkpoints', 'latest')) && Date.now() - t0 < 60_000) await sleep(20);
      const ranks = childrenOf(launcher.pid);
      assert.equal(ranks.length, 2, 'two ranks run');

      const second = await start(['train', 'mle', '-c', cfg, '--resume']).done;
      assert.equal(second.code, 1);
      assert.match(second.stderr, /run is in use by another run \(pid \d+ on .*\); wait for it to end or stop it/);

      assert.ok(ranks.every(running) && !existsSync(join(runDir, 'checkpoints', 'step-0000400')), 'still training');
      process.kill(launcher.pid, 'SIGKILL');
      const killed = Date.now();
      while (ranks.some(running) && Date.now() - killed < 20_000) await sleep(20);
      const seconds = (Date.now() - killed) / 1000;
      for (const pid of ranks.filter(running)) process.kill(pid, 'SIGKILL');
      t.diagnostic(`both ranks ended ${seconds.toFixed(2)} s after the launcher was killed`);
      assert.ok(seconds < 5, `ranks still ran ${seconds.toFixed(1)} s after the launcher died`);

      const resumed = await start(['train', 'mle', '-c', cfg, '--resume']).done;
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /resuming MLE from .*step-\d+/);
      const steps = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { step: number; phase: string })
        .filter((r) => r.phase === 'mle')
        .map((r) => r.step);
      assert.deepEqual(
        steps,
        Array.from({ length: 400 }, (_, i) => i + 1),
        'one record per step',
      );

      const fresh = await start(['train', 'mle', '-c', cfg]).done;
      assert.equal(fresh.code, 1);
      assert.match(fresh.stderr, /already holds a run .*--resume.*--overwrite/);
      const over = await start(['train', 'mle', '-c', cfg, '--overwrite', '--set', 'mle.steps=2']).done;
      assert.equal(over.code, 0, over.stderr);
      assert.match(over.stderr, /--overwrite: the earlier run in .* was moved to .*run\.replaced-/);
      assert.ok(readdirSync(dir).some((d) => d.startsWith('run.replaced-')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
