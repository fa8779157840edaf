// Training checkpoints: one folder per step holding the model in Hugging Face layout
// (config.json + model.safetensors, loadable by transformers and by `eval`), the optimizer
// moments, the libtorch RNG state and the trainer's own state. Folders are written under a
// temporary name and renamed, and `latest` is replaced atomically, so a run killed at any
// moment resumes from the last complete checkpoint.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  saveSafetensors,
  SafetensorsFile,
  getRngState,
  setRngState,
  type Tensor,
  type AdamW,
  type AdamWState,
} from '../core/tensor/index.js';
import { savePretrained, fromPretrained, type LlamaForCausalLM } from '../core/models/index.js';
import { UserError, parseJson } from '../core/util/user-error.js';

export interface TrainerState {
  phase: 'mle' | 'grpo';
  /** optimizer steps completed */
  step: number;
  /** the JavaScript PRNG's state */
  rng: number;
  /** the run config the checkpoint was written under */
  config: unknown;
  /** anything else the trainer needs to continue (e.g. best metric so far) */
  extra?: Record<string, unknown>;
}

const stepName = (step: number): string => `step-${String(step).padStart(7, '0')}`;

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export interface SaveOptions {
  runDir: string;
  model: LlamaForCausalLM;
  optimizer: AdamW;
  state: TrainerState;
  /** extra files for the model folder (e.g. the tokenizer), written by this callback */
  writeExtras?: (dir: string) => void;
  /** complete checkpoints to keep (oldest removed first) */
  keep?: number;
}

/** Writes a checkpoint; returns its folder. */
export function saveCheckpoint(o: SaveOptions): string {
  const root = join(o.runDir, 'checkpoints');
  mkdirSync(root, { recursive: true });
  const final = join(root, stepName(o.state.step));
  const tmp = `${final}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  savePretrained(o.model, tmp);
  o.writeExtras?.(tmp);
  const moments: Record<string, Tensor> = {};
  const steps: (number | null)[] = [];
  const st = o.optimizer.state();
  st.forEach((e, i) => {
    steps.push(e ? e[0] : null);
    if (e) {
      moments[`${i}.exp_avg`] = e[1];
      moments[`${i}.exp_avg_sq`] = e[2];
    }
  });
  saveSafetensors(join(tmp, 'optimizer.safetensors'), moments, {
    steps: JSON.stringify(steps),
    lr: String(o.optimizer.lr),
  });
  for (const e of st)
    if (e) {
      e[1].dispose();
      e[2].dispose();
    }
  const rng = getRngState();
  saveSafetensors(join(tmp, 'rng.safetensors'), { cpu: rng });
  rng.dispose();
  writeFileSync(join(tmp, 'trainer.json'), JSON.stringify(o.state, null, 2));
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  writeAtomic(join(root, 'latest'), stepName(o.state.step) + '\n');
  prune(root, o.state.step, o.keep ?? 2);
  return final;
}

/**
 * Removes older checkpoints beyond `keep` and the temporary folders of interrupted writes. The
 * one just written always stays, and so does anything newer (not this run's to judge), so a
 * folder holding another run's higher steps can never lose the current one.
 */
function prune(root: string, current: number, keep: number): void {
  const older = completeSteps(root).filter((s) => s < current);
  for (const s of older.slice(0, Math.max(0, older.length - (keep - 1))))
    rmSync(join(root, stepName(s)), { recursive: true, force: true });
  for (const d of readdirSync(root)) if (/\.tmp-\d+$/.test(d)) rmSync(join(root, d), { recursive: true, force: true });
}

// a step folder is complete when every file saveCheckpoint writes is there (it is renamed into
// place only after them all, so only a hand-edited folder can miss one)
const CHECKPOINT_FILES = [
  'config.json',
  'model.safetensors',
  'optimizer.safetensors',
  'rng.safetensors',
  'trainer.json',
];
const isComplete = (dir: string): boolean => CHECKPOINT_FILES.every((f) => existsSync(join(dir, f)));

/** The steps of the complete checkpoints under `root` (a run's checkpoints/ folder), ascending. */
function completeSteps(root: string): number[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((d) => /^step-(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null && isComplete(join(root, m[0])))
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** The folder of a run's checkpoint at `step`. */
export const checkpointDir = (runDir: string, step: number): string => join(runDir, 'checkpoints', stepName(step));

/** What a run's checkpoints/ folder holds: the `latest` pointer's name, every step folder, the complete ones. */
export function checkpointInventory(runDir: string): { latest: string | null; folders: string[]; complete: number[] } {
  const root = join(runDir, 'checkpoints');
  const pointer = join(root, 'latest');
  return {
    latest: existsSync(pointer) ? readFileSync(pointer, 'utf8').trim() : null,
    folders: existsSync(root) ? readdirSync(root).filter((d) => /^step-\d+$/.test(d)) : [],
    complete: completeSteps(root),
  };
}

/**
 * The newest complete checkpoint of a run, or null. Usually the one `latest` names; a run
 * killed between a folder's rename and the pointer's update, or a pointer naming a removed
 * folder, still finds its newest complete checkpoint on disk.
 */
export function latestCheckpoint(runDir: string): string | null {
  const newest = completeSteps(join(runDir, 'checkpoints')).at(-1);
  return newest === undefined ? null : checkpointDir(runDir, newest);
}

export function readTrainerState(dir: string): TrainerState {
  const path = join(dir, 'trainer.json');
  const state = parseJson(readFileSync(path, 'utf8'), path);
  if (!state || typeof state !== 'object' || Array.isArray(state))
    throw new UserError(`${path}: expected a JSON object (the trainer state)`);
  return state as TrainerState;
}

export interface CheckpointLoadOptions {
  /** refuse NaN or infinite weights instead of warning */
  strict?: boolean;
  /** the tokenizer's (codec's) vocabulary: a model with fewer embedding rows cannot read its ids */
  vocabSize?: number;
}

/** Loads the model of a checkpoint (or any HF folder). */
export function loadCheckpointModel(dir: string, device = 'cpu', o: CheckpointLoadOptions = {}): LlamaForCausalLM {
  const model = fromPretrained(dir, { device, nonFinite: o.strict ? 'error' : 'warn' });
  if (o.vocabSize !== undefined && model.config.vocabSize < o.vocabSize) {
    model.dispose();
    throw new UserError(
      `${dir}: the model's vocabulary has ${model.config.vocabSize} tokens but the domain's tokenizer has ${o.vocabSize}; ` +
        'was the checkpoint trained with another tokenizer or data folder?',
    );
  }
  return model;
}

/** Restores optimizer moments and the libtorch RNG from a checkpoint folder. */
export function restoreOptimizerAndRng(dir: string, optimizer: AdamW): void {
  const f = new SafetensorsFile(join(dir, 'optimizer.safetensors'));
  try {
    const steps = JSON.parse(f.metadata.steps ?? '[]') as (number | null)[];
    if (steps.length !== optimizer.params.length)
      throw new Error(
        `${dir}: optimizer state has ${steps.length} entries, the model has ${optimizer.params.length} parameters`,
      );
    const state: AdamWState = steps.map((s, i) =>
      s === null ? null : [s, f.read(`${i}.exp_avg`), f.read(`${i}.exp_avg_sq`)],
    );
    optimizer.loadState(state);
    for (const e of state)
      if (e) {
        e[1].dispose();
        e[2].dispose();
      }
  } finally {
    f.close();
  }
  const r = new SafetensorsFile(join(dir, 'rng.safetensors'));
  try {
    const rng = r.read('cpu');
    setRngState(rng);
    rng.dispose();
  } finally {
    r.close();
  }
}
