// Where a run starts, decided before anything is written. A fresh run needs a folder holding no
// earlier run (with `overwrite`, the earlier one is moved aside), because the old run's
// checkpoints and log lines would mix with the new ones. `resume` continues from the newest
// complete checkpoint; it refuses when checkpoints were written but none is complete, rather
// than silently start over, and restarts from the beginning only when the earlier attempt
// stopped before its first checkpoint (nothing is lost). Rank 0 decides and holds the folder's
// lock; the other ranks learn the step it resumes from.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../core/util/user-error.js';
import type { World } from '../core/distributed/world.js';
import { checkpointDir, checkpointInventory } from './checkpoint.js';
import { LOCK_FILE, RunLock } from './run-lock.js';

export interface RunDirOptions {
  resume?: boolean;
  overwrite?: boolean;
}

export interface RunStart {
  /** the checkpoint to continue from, or null (step 0, or the config's init) */
  resumeFrom: string | null;
  /** resume found no checkpoint yet: the run starts again, and the earlier attempt's log goes */
  restart: boolean;
  /** what was decided and why, for the run's log */
  notes: string[];
  /** gives up the folder's lock (rank 0); call when the run ends */
  release(): void;
}

/** The files a run writes; a folder holding any of them holds a run. */
const OUTPUTS = ['metrics.jsonl', 'samples.md', 'checkpoints'];
export const runOutputs = (runDir: string): string[] => OUTPUTS.filter((f) => existsSync(join(runDir, f)));

interface Decision {
  resumeStep: number | null;
  restart: boolean;
  notes: string[];
  lock: RunLock;
}

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/:/g, '-');
}

/** A fresh run's folder: empty of run files, or emptied by moving the earlier run aside. */
function fresh(runDir: string, lock: RunLock, overwrite: boolean): Decision {
  const found = runOutputs(runDir);
  if (found.length === 0) return { resumeStep: null, restart: false, notes: [], lock };
  if (!overwrite)
    throw new UserError(
      `${runDir} already holds a run (${found.join(', ')}): continue it with --resume, ` +
        'or start a new one with --overwrite (the old folder is moved aside)',
    );
  // moved while the lock is held, so no other process can have started in it meanwhile
  let aside = `${resolve(runDir)}.replaced-${stamp()}`;
  if (existsSync(aside)) aside += `-${process.pid}`;
  renameSync(runDir, aside);
  rmSync(join(aside, LOCK_FILE), { force: true });
  lock.release();
  mkdirSync(runDir, { recursive: true });
  const mine = RunLock.acquire(runDir);
  return {
    resumeStep: null,
    restart: false,
    notes: [`--overwrite: the earlier run in ${runDir} was moved to ${aside}`],
    lock: mine,
  };
}

/** Resuming: the newest complete checkpoint, or a restart when none was ever written. */
function resumed(runDir: string, lock: RunLock): Decision {
  const inv = checkpointInventory(runDir);
  const newest = inv.complete.at(-1);
  if (newest !== undefined) {
    const name = basename(checkpointDir(runDir, newest));
    const pointer =
      inv.latest === null
        ? 'checkpoints/latest is missing'
        : `checkpoints/latest names ${inv.latest}, ${inv.folders.includes(inv.latest) ? 'not the newest complete checkpoint' : 'which is missing'}`;
    const notes = inv.latest === name ? [] : [`--resume: ${pointer}; continuing from the newest complete one, ${name}`];
    return { resumeStep: newest, restart: false, notes, lock };
  }
  if (inv.latest !== null || inv.folders.length > 0)
    throw new UserError(
      `--resume: no complete checkpoint in ${join(runDir, 'checkpoints')} ` +
        `(latest names ${inv.latest ?? 'nothing'}; step folders: ${inv.folders.join(', ') || 'none'}), ` +
        'and starting over from step 0 would discard the run; use --overwrite to start a new run (the old folder is moved aside)',
    );
  return {
    resumeStep: null,
    restart: true,
    notes: [
      `--resume: ${runDir} has no checkpoint yet (the earlier attempt stopped before its first one): starting it again`,
    ],
    lock,
  };
}

function decide(runDir: string, o: RunDirOptions): Decision {
  if (o.resume && o.overwrite)
    throw new UserError('--resume continues the run in the folder and --overwrite starts a new one: give one of them');
  if (o.resume && !existsSync(runDir))
    throw new UserError(
      `--resume: ${runDir} does not exist, so there is no run to continue (start it without --resume)`,
    );
  mkdirSync(runDir, { recursive: true });
  const lock = RunLock.acquire(runDir);
  try {
    return o.resume ? resumed(runDir, lock) : fresh(runDir, lock, o.overwrite ?? false);
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Opens a run folder for training (every rank calls it; rank 0 decides and locks). */
export function openRun(world: World, runDir: string, o: RunDirOptions): RunStart {
  let d: Decision | null = null,
    err: unknown = null;
  if (world.isMain)
    try {
      d = decide(runDir, o);
    } catch (e) {
      err = e;
    }
  const [failed, step, restart] = world.allReduceSum(
    world.isMain ? [err ? 1 : 0, d?.resumeStep ?? -1, d?.restart ? 1 : 0] : [0, 0, 0],
  ) as [number, number, number];
  if (err) throw err;
  if (failed) throw new UserError(`rank 0 could not open the run folder ${runDir} (its message says why)`);
  return {
    resumeFrom: step >= 0 ? checkpointDir(runDir, step) : null,
    restart: restart > 0,
    notes: d?.notes ?? [],
    release: () => d?.lock.release(),
  };
}
