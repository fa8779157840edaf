// The compute-matched MLE control ("MLE, continued"): the MLE run continued from the
// checkpoint an RLVR run starts from, for the wall-clock time that RLVR run trained, so an
// RL gain is counted against both the starting model and more of the same MLE.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsFile } from '../core/tensor/index.js';
import type { RunConfig } from './config/schema.js';
import type { Example, WorldModelDomain } from './domain.js';
import { readTrainerState } from './checkpoint.js';
import { trainMle, type TrainOptions, type TrainResult } from './mle.js';

/** Far more steps than any budget allows: the budget ends the run. */
const STEP_CAP = 10_000_000;

/** The learning rate of an MLE checkpoint's last step, or null when it has no MLE optimizer state. */
function lastLearningRate(checkpoint: string): number | null {
  const opt = join(checkpoint, 'optimizer.safetensors');
  if (!existsSync(join(checkpoint, 'trainer.json')) || readTrainerState(checkpoint).phase !== 'mle' || !existsSync(opt))
    return null;
  const f = new SafetensorsFile(opt);
  try {
    return Number(f.metadata.lr) || null;
  } finally {
    f.close();
  }
}

/**
 * Continues the MLE run of `baseCfg` from `checkpoint` for `seconds` of training steps
 * (evaluations and saves not counted, as in GRPO's time/step) into `runDir`: the run as it
 * was, with its weights, Adam moments, step count (so the data order goes on where it
 * stopped) and the learning rate of its last step, held constant (its own schedule had
 * ended; re-warming to the peak disrupts a trained model: measured on the counter world, a
 * dip of up to 0.28 in accuracy before it recovers). A folder without MLE optimizer state
 * starts a fresh optimizer at baseCfg's peak rate (after its warmup).
 */
export function continueMle<E extends Example, P>(
  baseCfg: RunConfig,
  domain: WorldModelDomain<E, P>,
  checkpoint: string,
  seconds: number,
  runDir: string,
  o: TrainOptions = {},
): Promise<TrainResult> {
  if (!(seconds > 0)) throw new Error(`continueMle: seconds must be positive, got ${seconds}`);
  const from = existsSync(join(checkpoint, 'trainer.json')) ? readTrainerState(checkpoint).step : 0;
  const cfg: RunConfig = {
    ...baseCfg,
    runDir,
    init: checkpoint,
    mle: {
      ...baseCfg.mle,
      steps: from + STEP_CAP,
      maxSeconds: seconds,
      lrSchedulerType: 'constant',
      learningRate: lastLearningRate(checkpoint) ?? baseCfg.mle.learningRate,
    },
  };
  return trainMle(cfg, domain, o);
}
