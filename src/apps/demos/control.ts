// The demos' compute-matched MLE control ("MLE, continued", src/train/mle-continue.ts): the MLE
// run continued from the checkpoint the RLVR run starts from, for the seconds of the RLVR run's
// GRPO steps (its evaluations not counted), then evaluated like every other model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../train/config/schema.js';
import type { Example, WorldModelDomain } from '../../train/domain.js';
import { continueMle } from '../../train/mle-continue.js';
import type { TrainResult } from '../../train/mle.js';

/** The control's row name in every table. */
export const CONTINUED = 'MLE, continued';

/** The seconds of a GRPO run's training steps: the sum of `time/step` over its `phase: 'grpo'` lines of metrics.jsonl. */
export function grpoTrainSeconds(runDir: string): number {
  const rows = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((m) => m.phase === 'grpo');
  if (rows.length === 0) throw new Error(`${runDir}: no GRPO steps in metrics.jsonl`);
  // every step must be logged (grpo.loggingSteps 1, the default), or the sum misses some
  const steps = rows.map((m) => m.step as number);
  if (steps.at(-1)! - steps[0]! + 1 !== rows.length) {
    throw new Error(`${runDir}: GRPO steps ${steps[0]}..${steps.at(-1)} not all logged (grpo.loggingSteps > 1?)`);
  }
  return rows.reduce((s, m) => s + (m['time/step'] as number), 0);
}

export interface Continued extends TrainResult {
  /** the RLVR training seconds matched (the longest of the runs given) */
  rlvrSeconds: number;
  /** the MLE steps of the checkpoint continued from */
  fromStep: number;
}

/** Continues `baseCfg`'s MLE run from `checkpoint` for the longest of the RLVR runs' training time, into `runDir`. */
export async function continueMleControl<E extends Example, P>(
  baseCfg: RunConfig,
  domain: WorldModelDomain<E, P>,
  checkpoint: string,
  rlvrRunDirs: string[],
  runDir: string,
): Promise<Continued> {
  const rlvrSeconds = +Math.max(...rlvrRunDirs.map(grpoTrainSeconds)).toFixed(3);
  const r = await continueMle(baseCfg, domain, checkpoint, rlvrSeconds, runDir);
  return { ...r, rlvrSeconds, fromStep: r.steps! - r.stepsRun! };
}

/** The report's sentence next to the tables; `whose` names the RLVR run matched. */
export function controlNote(c: Continued, whose = "the RLVR run's"): string {
  return (
    `${CONTINUED}: the MLE run continued from its last checkpoint for ${whose} training time (${c.rlvrSeconds.toFixed(1)} s, ` +
    `${c.stepsRun} more MLE steps); an RL gain counts against both MLE rows.`
  );
}

/** What metrics.json records of the control. */
export function controlSummary(c: Continued): Record<string, unknown> {
  return {
    checkpoint: c.checkpoint,
    fromStep: c.fromStep,
    toStep: c.steps,
    stepsRun: c.stepsRun,
    rlvrSeconds: c.rlvrSeconds,
    trainSeconds: c.trainSeconds,
  };
}

/** The steps column of a continued row: the base run's steps plus the continuation's. */
export const continuedSteps = (c: Continued): string => `${c.fromStep}+${c.stepsRun} MLE`;
