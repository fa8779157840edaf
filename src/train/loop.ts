// The training loop both trainers share: steps from where a run starts (0, or a resumed
// checkpoint's step) to the last, logging, evaluating and saving on their cadences, the
// progress line with the domain's primary metric, and a final evaluation and checkpoint.
import type { RunLog, Metrics } from './metrics-log.js';
import { summarize } from './metrics-log.js';
import { latestCheckpoint } from './checkpoint.js';
import type { World } from '../core/distributed/world.js';

export interface LoopOptions {
  /** the progress bar's label and the log's phase name ('mle', 'grpo') */
  phase: string;
  steps: number;
  /** steps already done (a resumed checkpoint's step) */
  start: number;
  log: RunLog;
  world: World;
  runDir: string;
  loggingSteps: number;
  evalSteps: number;
  saveSteps: number;
  /** metrics shown on the progress line */
  progressKeys: string[];
  /** the domain's primary metric, shown after the last evaluation */
  primaryMetric: string;
  /** evaluate before the first step (the starting model's figures on the same curve) */
  evalAtStart?: boolean;
  /**
   * a budget (e.g. MLE's maxSeconds): when it returns true, no further step runs, and the step
   * that spent it gets the evaluation and the checkpoint of a last step. Every rank must
   * return the same answer (the trainer agrees it over the world).
   */
  budgetSpent?(): boolean;
  /** one optimizer step; returns its metrics */
  step(step: number): Promise<Metrics>;
  /** evaluation metrics (logged by the trainer); `final` at the run's last step */
  evaluate(step: number, final: boolean): Promise<Record<string, number>>;
  /** writes a checkpoint (every rank calls it: rank 0 writes, the others wait) */
  save(step: number): void;
  /** after a step's metrics are known (e.g. sample tables) */
  afterStep?(step: number, m: Metrics): Promise<void>;
}

export interface LoopResult {
  lastEval: Record<string, number>;
  checkpoint: string;
  stepsRun: number;
  lastStep: number;
}

export async function trainingLoop(o: LoopOptions): Promise<LoopResult> {
  let lastEval: Record<string, number> = {};
  if (o.evalAtStart && o.start === 0) lastEval = await o.evaluate(0, false);
  const spent = (): boolean => o.budgetSpent?.() ?? false;
  o.log.startProgress(o.steps, o.start, o.phase);
  let step = o.start;
  while (step < o.steps && !spent()) {
    step++;
    const m = await o.step(step);
    const last = step === o.steps || spent();
    if (step % o.loggingSteps === 0 || last) {
      o.log.write({ step, phase: o.phase, ...m });
      const shown = lastEval[o.primaryMetric];
      o.log.progress(
        step,
        summarize(m, o.progressKeys) + (shown !== undefined ? ` | eval ${o.primaryMetric} ${shown.toFixed(3)}` : ''),
      );
    }
    await o.afterStep?.(step, m);
    if (step % o.evalSteps === 0 || last) lastEval = await o.evaluate(step, last);
    if (step % o.saveSteps === 0 || last) o.save(step);
  }
  o.log.stopProgress();
  if (step === o.start) lastEval = (o.start > 0 && loggedEval(o)) || (await o.evaluate(o.start, true));
  // rank 0 decides (the others could race its writes), everyone joins save()'s barrier
  if (o.world.allReduceSum([o.world.isMain && !latestCheckpoint(o.runDir) ? 1 : 0])[0]) o.save(step);
  return { lastEval, checkpoint: latestCheckpoint(o.runDir)!, stepsRun: step - o.start, lastStep: step };
}

/**
 * A resumed run with no step left (killed after its last checkpoint): the final evaluation it
 * logged before that checkpoint, so it is not logged twice. Every rank must find it, or all
 * evaluate (evaluation is collective).
 */
function loggedEval(o: LoopOptions): Record<string, number> | null {
  const r = o.log.logged(`${o.phase}-eval`, o.start);
  return o.world.allReduceSum([r ? 1 : 0])[0] === o.world.size ? r : null;
}
