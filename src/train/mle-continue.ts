// The compute-matched MLE control ("MLE, continued"): the MLE run continued from the
// checkpoint an RLVR run starts from, for the wall-clock time that RLVR run trained, so an
// RL gain is counted against both the starting model and more of the same MLE.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../config/schema.js';
import type { Example, WorldModelDomain } from '../domains/types.js';
import { readTrainerState } from './checkpoint.js';
import { trainMle, type TrainOptions, type TrainResult } from './mle.js';

/** Far more steps than any budget allows: the budget ends the run. */
const STEP_CAP = 10_000_000;

/**
 * Continues the MLE run of `baseCfg` from `checkpoint` for `seconds` of training steps
 * (evaluations and saves not counted, as in GRPO's time/step), into `runDir`. An MLE checkpoint
 * brings its optimizer state and step, so the data order goes on where it stopped. The
 * learning rate is the base run's peak, constant: a cosine needs a known length, and the
 * peak is the stronger control for an under-trained model.
 */
export function continueMle<E extends Example, P>(baseCfg: RunConfig, domain: WorldModelDomain<E, P>, checkpoint: string, seconds: number, runDir: string, o: TrainOptions = {}): Promise<TrainResult> {
  if (!(seconds > 0)) throw new Error(`continueMle: seconds must be positive, got ${seconds}`);
  const from = existsSync(join(checkpoint, 'trainer.json')) ? readTrainerState(checkpoint).step : 0;
  const cfg: RunConfig = {
    ...baseCfg, runDir, init: checkpoint,
    mle: { ...baseCfg.mle, steps: from + STEP_CAP, maxSeconds: seconds, lrSchedulerType: 'constant' },
  };
  return trainMle(cfg, domain, o);
}
