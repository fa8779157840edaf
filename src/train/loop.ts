// The training loop both trainers share: steps from where a run starts (0, or a resumed
// checkpoint's step) to the last, logging, evaluating and saving on their cadences, the
// progress line with the domain's primary metric, and a final evaluation and checkpoint.
import type { RunLog, Metrics } from './metrics-log.js';
import { summarize } from './metrics-log.js';
import { latestCheckpoint } from './checkpoint.js';
import type { World } from '../distributed/world.js';

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
   * wall-clock budget in seconds (0 = none): the loop ends after the first step that ends past
   * it, with the evaluation and the checkpoint of a last step
   */
  maxSeconds?: number;
  /** one optimizer step; returns its metrics */
  step(step: number): Promise<Metrics>;
  /** evaluation metrics (logged by the trainer) */
  evaluate(step: number): Promise<Record<string, number>>;
  /** writes a checkpoint (every rank calls it: rank 0 writes, the others wait) */
  save(step: number): void;
  /** after a step's metrics are known (e.g. sample tables) */
  afterStep?(step: number, m: Metrics): Promise<void>;
}

export interface LoopResult { lastEval: Record<string, number>; checkpoint: string; stepsRun: number; lastStep: number }

export async function trainingLoop(o: LoopOptions): Promise<LoopResult> {
  let lastEval: Record<string, number> = {};
  if (o.evalAtStart && o.start === 0) lastEval = await o.evaluate(0);
  const t0 = Date.now();
  o.log.startProgress(o.steps, o.start, o.phase);
  let step = o.start, stepsRun = 0;
  while (step < o.steps) {
    step++;
    const m = await o.step(step);
    stepsRun++;
    // every rank must agree to stop at the same step: rank 0's clock decides
    const overBudget = !!o.maxSeconds && o.world.allReduceSum([o.world.isMain && (Date.now() - t0) / 1000 >= o.maxSeconds ? 1 : 0])[0]! > 0;
    const last = step === o.steps || overBudget;
    if (step % o.loggingSteps === 0 || last) o.log.write({ step, phase: o.phase, ...m });
    const shown = lastEval[o.primaryMetric];
    o.log.progress(step, summarize(m, o.progressKeys) + (shown !== undefined ? ` | eval ${o.primaryMetric} ${shown.toFixed(3)}` : ''));
    await o.afterStep?.(step, m);
    if (step % o.evalSteps === 0 || last) lastEval = await o.evaluate(step);
    if (step % o.saveSteps === 0 || last) o.save(step);
    if (overBudget) { o.log.info(`${o.phase}: wall-clock budget of ${o.maxSeconds} s reached after ${stepsRun} steps (step ${step})`); break; }
  }
  o.log.stopProgress();
  if (o.start >= o.steps) lastEval = await o.evaluate(o.start);
  // rank 0 decides (the others could race its writes), everyone joins save()'s barrier
  if (o.world.allReduceSum([o.world.isMain && !latestCheckpoint(o.runDir) ? 1 : 0])[0]) o.save(step);
  return { lastEval, checkpoint: latestCheckpoint(o.runDir)!, stepsRun, lastStep: step };
}
