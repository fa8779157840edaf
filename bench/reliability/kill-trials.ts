// Kill trials: a tiny counter-world run is SIGKILLed at some moment, continued with --resume,
// and compared with the uninterrupted run: metrics.jsonl (timing fields aside), samples.md and
// the final weights must be identical. The kinds of kill:
//   { afterLogMs }      that long after the run's metrics.jsonl appears (seeded random moments)
//   { inCheckpoint: N } in the middle of writing checkpoint N (the first one: no checkpoint yet)
//   'after-final'       after the final checkpoint (the run done, resumed once more)
// Run directly, it prints the figures of seeded random kills for MLE and GRPO:
//   node dist/bench/reliability/kill-trials.js [KILLS=10] [SEED=1]
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/util/rng.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'train-child.js');

/** The runs of the trials (the tests' resume configuration). */
export const trialConfig = {
  domain: 'counter',
  seed: 3,
  threads: 1,
  domainOptions: { registers: 2, trainSize: 300, testSize: 20 },
  model: { hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 1, numAttentionHeads: 2 },
  mle: { steps: 24, batchSize: 16, evalSteps: 12, saveSteps: 4, loggingSteps: 1, evalExamples: 10, samplesSteps: 12 },
  grpo: {
    steps: 8,
    promptsPerStep: 4,
    numGenerations: 4,
    maxCompletionLength: 10,
    learningRate: 1e-3,
    evalSteps: 4,
    evalExamples: 8,
    saveSteps: 2,
    samplesSteps: 4,
  },
};

export type Kill = { afterLogMs: number } | { inCheckpoint: number } | 'after-final';
export type Phase = 'mle' | 'grpo';

export interface Trial {
  kill: string;
  /** where the kill landed: the newest checkpoint, a half-written one, the log lines so far */
  landed: string;
  identical: boolean;
  /** what differs, when something does */
  diff?: string;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
  /** when metrics.jsonl appeared (ms after the start; the run's own writing begins) */
  logMs: number | null;
}

/** Runs train-child; with killAfterLogMs, SIGKILLs it that long after its metrics.jsonl appears. */
function runChild(
  phase: Phase,
  config: string,
  flags: string[],
  runDir: string,
  killAfterLogMs?: number,
): Promise<Exit> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [child, phase, config, ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '',
      logMs: number | null = null,
      timer: NodeJS.Timeout | undefined;
    p.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      if (logMs !== null || !existsSync(join(runDir, 'metrics.jsonl'))) return;
      logMs = Date.now() - t0;
      if (killAfterLogMs !== undefined) timer = setTimeout(() => p.kill('SIGKILL'), killAfterLogMs);
    }, 2);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, signal, stderr, ms: Date.now() - t0, logMs });
    });
  });
}

/** metrics.jsonl without the fields that measure time. */
export const stableLog = (runDir: string): unknown[] =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const m = JSON.parse(l) as Record<string, unknown>;
      for (const k of Object.keys(m)) if (k.startsWith('time/') || k.endsWith('per_s')) delete m[k];
      return m;
    });

function where(runDir: string): string {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(runDir)) return 'no run folder yet';
  const dirs = existsSync(root) ? readdirSync(root) : [];
  const done = dirs.filter((d) => /^step-\d+$/.test(d)).sort();
  const partial = dirs.filter((d) => d.includes('.tmp-'));
  const log = join(runDir, 'metrics.jsonl');
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
  return [
    done.length ? `newest ${done.at(-1)}` : 'no checkpoint',
    ...(partial.length ? [`half-written ${partial.join(', ').replace(/\.tmp-\d+/g, '')}`] : []),
    `${lines} log lines`,
  ].join(', ');
}

function compare(a: string, b: string, finalStep: number): string | undefined {
  const [la, lb] = [JSON.stringify(stableLog(a)), JSON.stringify(stableLog(b))];
  if (la !== lb) {
    const [ra, rb] = [stableLog(a), stableLog(b)];
    return `metrics.jsonl: ${ra.length} vs ${rb.length} records`;
  }
  const samples = (d: string): string =>
    existsSync(join(d, 'samples.md')) ? readFileSync(join(d, 'samples.md'), 'utf8') : '';
  if (samples(a) !== samples(b)) return 'samples.md differs';
  const weights = (d: string): Buffer =>
    readFileSync(join(d, 'checkpoints', `step-${String(finalStep).padStart(7, '0')}`, 'model.safetensors'));
  if (!weights(a).equals(weights(b))) return 'final weights differ';
  return undefined;
}

export interface TrialsOptions {
  dir: string;
  phase: Phase;
  /** the kills, or a function of the reference run's time from its log's appearance to its end (ms) */
  kills: Kill[] | ((loggingMs: number) => Kill[]);
  /** GRPO: the MLE checkpoint it starts from */
  init?: string;
  /** called with each trial as it finishes */
  onTrial?(t: Trial): void;
}

/** The uninterrupted run, then one killed-and-resumed run per kill; the reference run's folder is `${dir}/${phase}-ref`. */
export async function killTrials(
  o: TrialsOptions,
): Promise<{ reference: string; ms: number; logMs: number | null; trials: Trial[] }> {
  const finalStep = trialConfig[o.phase].steps;
  const config = (runDir: string): string => {
    const path = `${runDir}.json`;
    writeFileSync(path, JSON.stringify({ ...trialConfig, runDir, ...(o.init ? { init: o.init } : {}) }));
    return path;
  };
  const reference = join(o.dir, `${o.phase}-ref`);
  mkdirSync(o.dir, { recursive: true });
  const ref = await runChild(o.phase, config(reference), [], reference);
  if (ref.code !== 0) throw new Error(`the reference ${o.phase} run failed: ${ref.stderr}`);
  const kills = typeof o.kills === 'function' ? o.kills(ref.ms - (ref.logMs ?? 0)) : o.kills;
  const trials: Trial[] = [];
  for (const [i, kill] of kills.entries()) {
    const runDir = join(o.dir, `${o.phase}-${i}`);
    const cfg = config(runDir);
    let label: string;
    if (kill === 'after-final') {
      label = 'after the final checkpoint';
      cpSync(reference, runDir, { recursive: true });
    } else if ('inCheckpoint' in kill) {
      label = `while writing checkpoint ${kill.inCheckpoint}`;
      const r = await runChild(o.phase, cfg, ['--kill-in-checkpoint', String(kill.inCheckpoint)], runDir);
      if (r.signal !== 'SIGKILL')
        throw new Error(`the run was to kill itself in checkpoint ${kill.inCheckpoint}: ${r.stderr}`);
    } else {
      label = `${kill.afterLogMs} ms after the log began`;
      const r = await runChild(o.phase, cfg, [], runDir, kill.afterLogMs);
      if (r.signal !== 'SIGKILL') label += ' (the run had finished)';
    }
    const landed = where(runDir);
    let resumed = await runChild(o.phase, cfg, ['--resume'], runDir);
    // killed before the run folder existed: there is nothing to resume, and a fresh run is the uninterrupted one
    if (resumed.code !== 0 && /does not exist, so there is no run to continue/.test(resumed.stderr))
      resumed = await runChild(o.phase, cfg, [], runDir);
    const diff =
      resumed.code !== 0
        ? `the resumed run failed: ${resumed.stderr.trim().split('\n').at(-1)}`
        : compare(reference, runDir, finalStep);
    const t: Trial = { kill: label, landed, identical: diff === undefined, ...(diff ? { diff } : {}) };
    trials.push(t);
    o.onTrial?.(t);
  }
  return { reference, ms: ref.ms, logMs: ref.logMs, trials };
}

/** n seeded random moments in [0, within) ms after the log begins. */
export function randomMoments(n: number, seed: number, within: number): Kill[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => ({ afterLogMs: Math.round(rng.next() * within) }));
}

// the benchmark: KILLS random moments per phase, spread over the reference run's time from its
// log's appearance to its end, plus a kill inside the first checkpoint write (no checkpoint yet), one
// inside a later one, and one after the final checkpoint
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const kills = Number(process.argv[2] ?? 10),
    seed = Number(process.argv[3] ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'kill-trials-'));
  try {
    let init: string | undefined;
    for (const phase of ['mle', 'grpo'] as Phase[]) {
      const { steps, saveSteps } = trialConfig[phase];
      const r = await killTrials({
        dir,
        phase,
        init,
        kills: (loggingMs) => [
          ...randomMoments(kills, seed, loggingMs),
          { inCheckpoint: saveSteps },
          { inCheckpoint: saveSteps * Math.ceil(steps / saveSteps / 2) },
          'after-final',
        ],
        onTrial: (t) =>
          console.log(
            `  ${t.identical ? 'identical' : 'DIFFERS  '}  kill ${t.kill}: ${t.landed}${t.diff ? ` (${t.diff})` : ''}`,
          ),
      });
      console.log(
        `${phase}: uninterrupted run ${r.ms} ms (log from ${r.logMs} ms); ` +
          `${r.trials.filter((t) => t.identical).length} of ${r.trials.length} killed-and-resumed runs identical`,
      );
      init = join(r.reference, 'checkpoints', `step-${String(trialConfig.mle.steps).padStart(7, '0')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
