// Interrupted runs (issue 20, items 7-10), the parts that need no training: where --resume
// continues and when it refuses, a fresh run refusing an earlier run's folder (--overwrite
// moves it aside), the run folder's lock, pruning around the checkpoint just written, the log's
// truncation, and a launched rank ending when its launcher is killed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdamW, manualSeed } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig } from '../../src/core/models/index.js';
import { World } from '../../src/core/distributed/world.js';
import { LAUNCHER_PID_ENV } from '../../src/core/distributed/launcher-watch.js';
import { checkpointDir, latestCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { openRun } from '../../src/train/run-dir.js';
import { LOCK_FILE, RunLock } from '../../src/train/run-lock.js';
import { RunLog } from '../../src/train/metrics-log.js';
import { repoRoot } from '../helpers.js';

const world = World.single();
const made: string[] = [];
const tmp = (): string => {
  made.push(mkdtempSync(join(tmpdir(), 'interrupted-')));
  return made.at(-1)!;
};
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A checkpoint folder of a tiny model, copied to make runs with checkpoints at any step. */
let template: string | null = null;
function checkpointAt(runDir: string, step: number): void {
  if (!template) {
    manualSeed(0);
    const model = LlamaForCausalLM.init(
      llamaConfig({ vocabSize: 11, hiddenSize: 8, intermediateSize: 16, numHiddenLayers: 1, numAttentionHeads: 2 }),
    );
    const root = tmp();
    template = saveCheckpoint({
      runDir: root,
      model,
      optimizer: new AdamW(model.parameters(), { lr: 1e-3 }),
      state: { phase: 'mle', step: 1, rng: 0, config: {} },
    });
  }
  cpSync(template, checkpointDir(runDir, step), { recursive: true });
}
const setLatest = (runDir: string, name: string): void => writeFileSync(join(runDir, 'checkpoints', 'latest'), name);

test('--resume: the newest complete checkpoint, said when latest disagrees', () => {
  const dir = join(tmp(), 'run');
  mkdirSync(dir);
  checkpointAt(dir, 40);
  checkpointAt(dir, 50);
  setLatest(dir, 'step-0000050\n');
  let r = openRun(world, dir, { resume: true });
  assert.equal(r.resumeFrom, checkpointDir(dir, 50));
  assert.deepEqual(r.notes, []);
  r.release();

  // the case: latest names a missing folder, step-0000050 exists
  setLatest(dir, 'step-0000060\n');
  r = openRun(world, dir, { resume: true });
  assert.equal(r.resumeFrom, checkpointDir(dir, 50));
  assert.match(r.notes.join(), /latest names step-0000060, which is missing; continuing from .* step-0000050/);
  r.release();
  assert.equal(latestCheckpoint(dir), checkpointDir(dir, 50));

  // killed between the folder's rename and the pointer's update; a half-written folder is skipped
  setLatest(dir, 'step-0000040\n');
  mkdirSync(join(dir, 'checkpoints', 'step-0000055.tmp-123'));
  mkdirSync(join(dir, 'checkpoints', 'step-0000070'));
  r = openRun(world, dir, { resume: true });
  assert.equal(r.resumeFrom, checkpointDir(dir, 50));
  r.release();
});

test('--resume refuses when checkpoints were written but none is complete, or there is no folder', () => {
  const dir = join(tmp(), 'run');
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  writeFileSync(join(dir, 'metrics.jsonl'), '{"step":1,"phase":"mle"}\n');
  setLatest(dir, 'step-0000050\n');
  assert.throws(
    () => openRun(world, dir, { resume: true }),
    /--resume: no complete checkpoint in .*latest names step-0000050.*would discard the run; use --overwrite/,
  );
  rmSync(join(dir, 'checkpoints', 'latest'));
  mkdirSync(join(dir, 'checkpoints', 'step-0000050'));
  assert.throws(() => openRun(world, dir, { resume: true }), /step folders: step-0000050/);
  assert.throws(
    () => openRun(world, join(dir, 'nope'), { resume: true }),
    /--resume: .*nope does not exist, so there is no run to continue/,
  );
  assert.throws(() => openRun(world, dir, { resume: true, overwrite: true }), /give one of them/);
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'a refusal leaves no lock behind');
});

test('--resume before the first checkpoint starts the run again (nothing is lost)', () => {
  const dir = join(tmp(), 'run');
  mkdirSync(join(dir, 'checkpoints', 'step-0000004.tmp-99'), { recursive: true });
  writeFileSync(join(dir, 'metrics.jsonl'), '{"step":1,"phase":"mle"}\n');
  const r = openRun(world, dir, { resume: true });
  assert.equal(r.resumeFrom, null);
  assert.equal(r.restart, true);
  assert.match(r.notes.join(), /no checkpoint yet .*starting it again/);
  r.release();
});

test('a fresh run refuses a folder holding a run; --overwrite moves it aside', () => {
  const parent = tmp(),
    dir = join(parent, 'run');
  let r = openRun(world, dir, {});
  assert.equal(r.resumeFrom, null);
  r.release();
  writeFileSync(join(dir, 'run.yaml'), 'domain: counter\n'); // not a run's output: still empty
  r = openRun(world, dir, {});
  r.release();
  checkpointAt(dir, 100);
  writeFileSync(join(dir, 'metrics.jsonl'), '{"step":100,"phase":"mle"}\n');
  assert.throws(
    () => openRun(world, dir, {}),
    /run already holds a run \(metrics.jsonl, checkpoints\): continue it with --resume, or start a new one with --overwrite/,
  );
  r = openRun(world, dir, { overwrite: true });
  const aside = readdirSync(parent).find((d) => d.startsWith('run.replaced-'))!;
  assert.match(r.notes.join(), new RegExp(`moved to .*${aside}`));
  assert.deepEqual(readdirSync(dir), [LOCK_FILE]);
  assert.ok(existsSync(join(parent, aside, 'checkpoints', 'step-0000100')));
  assert.ok(!existsSync(join(parent, aside, LOCK_FILE)));
  r.release();
});

test('prune keeps the checkpoint just written, whatever higher steps the folder holds', () => {
  const dir = join(tmp(), 'run');
  mkdirSync(dir);
  for (const s of [50, 100, 2, 4]) checkpointAt(dir, s);
  manualSeed(1);
  const model = LlamaForCausalLM.init(
    llamaConfig({ vocabSize: 11, hiddenSize: 8, intermediateSize: 16, numHiddenLayers: 1, numAttentionHeads: 2 }),
  );
  saveCheckpoint({
    runDir: dir,
    model,
    optimizer: new AdamW(model.parameters(), { lr: 1e-3 }),
    state: { phase: 'mle', step: 10, rng: 0, config: {} },
  });
  // before: the two highest (50, 100) were kept and step-0000010, which latest names, removed
  assert.deepEqual(readdirSync(join(dir, 'checkpoints')).sort(), [
    'latest',
    'step-0000004',
    'step-0000010',
    'step-0000050',
    'step-0000100',
  ]);
});

test('the run lock: a second writer is refused while the holder lives; a dead holder is taken over', async () => {
  const dir = tmp();
  const lock = RunLock.acquire(dir);
  assert.throws(() => openRun(world, dir, {}), new RegExp(`in use by another run \\(pid ${process.pid} on `));
  lock.release();
  openRun(world, dir, {}).release();

  // another live process
  const sleeper = spawn('sleep', ['30']);
  const stat = readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  const holder = { host: hostname(), pid: sleeper.pid, start, since: 'then' };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
  assert.throws(() => RunLock.acquire(dir), new RegExp(`in use by another run \\(pid ${sleeper.pid} `));
  // the same pid with another start time is a reused pid, not the holder
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...holder, start: '1' }));
  RunLock.acquire(dir).release();
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
  sleeper.kill('SIGKILL');
  await new Promise((r) => sleeper.on('exit', r));
  const taken = RunLock.acquire(dir); // killed (a zombie until reaped, or gone): stale
  assert.match(readFileSync(join(dir, LOCK_FILE), 'utf8'), new RegExp(`"pid":${process.pid}`));
  taken.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
});

test('the log after a kill: records and sample tables after the checkpoint go, a cut-off line too', () => {
  const dir = tmp();
  const log = new RunLog(dir, true);
  for (const step of [1, 2, 3]) log.write({ step, phase: 'mle', loss: step });
  log.write({ step: 3, phase: 'mle-eval', 'eval/accuracy': 0.5 });
  log.samples(2, 'MLE', [{ id: 'a', prompt: 'p', prediction: 'x', truth: 'y', score: 1 }]);
  log.samples(3, 'MLE', [{ id: 'b', prompt: 'p', prediction: 'x', truth: 'y', score: 0 }]);
  writeFileSync(log.metricsPath, readFileSync(log.metricsPath, 'utf8') + '{"step":4,"pha');
  assert.deepEqual(log.logged('mle-eval', 3), { accuracy: 0.5 });
  assert.equal(log.logged('mle-eval', 2), null);
  log.truncateAfter(2);
  assert.deepEqual(
    readFileSync(log.metricsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).step),
    [1, 2],
  );
  assert.match(readFileSync(log.samplesPath, 'utf8'), /step 2/);
  assert.doesNotMatch(readFileSync(log.samplesPath, 'utf8'), /step 3/);
  log.truncateAfter(-1);
  assert.equal(readFileSync(log.metricsPath, 'utf8'), '');
  assert.equal(readFileSync(log.samplesPath, 'utf8'), '');
});

test('a launched rank ends within seconds of its launcher being killed', { timeout: 30_000 }, async (t) => {
  // launcher → rank; the rank's main thread is busy (as in a training step) while it watches
  const dir = tmp();
  const watch = join(repoRoot, 'dist', 'src', 'core', 'distributed', 'launcher-watch.js');
  writeFileSync(
    join(dir, 'rank.mjs'),
    `import { watchLauncher } from ${JSON.stringify(watch)};
watchLauncher();
const end = Date.now() + 60000; while (Date.now() < end) {}\n`,
  );
  const launcher = `const { spawn } = require('node:child_process');
const c = spawn(process.execPath, [${JSON.stringify(join(dir, 'rank.mjs'))}], {
  stdio: 'ignore', env: { ...process.env, ${LAUNCHER_PID_ENV}: String(process.pid) } });
console.log(c.pid); setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', launcher], { stdio: ['ignore', 'pipe', 'ignore'] });
  const rankPid = Number(await new Promise<string>((r) => parent.stdout.once('data', (d) => r(String(d)))));
  const running = (pid: number): boolean => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
    } catch {
      return false;
    }
  };
  await new Promise((r) => setTimeout(r, 1000)); // the rank is up and watching
  assert.ok(running(rankPid));
  parent.kill('SIGKILL');
  const t0 = Date.now();
  while (running(rankPid) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
  const seconds = (Date.now() - t0) / 1000;
  if (running(rankPid)) spawnSync('kill', ['-9', String(rankPid)]);
  t.diagnostic(`the rank ended ${seconds.toFixed(2)} s after its launcher was killed`);
  assert.ok(seconds < 5, `the rank still ran ${seconds} s after its launcher died`);
});
