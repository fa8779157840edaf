export { trainMle, type TrainOptions, type TrainResult } from './mle.js';
export { continueMle } from './mle-continue.js';
export { trainGrpo, grpoLoss, collectRollouts, type Sample } from './grpo.js';
export { evaluate, encodePrompts, type EvalOptions, type EvalResult } from './evaluate.js';
export { groupAdvantages, computeAdvantages, zeroSpread, type AdvantageEstimator } from './advantages.js';
export {
  clippedSurrogate,
  klPenalty,
  entropyFromLogits,
  aggregate,
  type KlEstimator,
  type LossAggregation,
} from './losses.js';
export { learningRate, type LrSchedule } from './schedule.js';
export { saveCheckpoint, latestCheckpoint, readTrainerState, type TrainerState } from './checkpoint.js';
export {
  diagnose,
  headroom,
  passAtK,
  bestOfK,
  zeroSpreadProbability,
  headroomTable,
  diagnoseTable,
  type DiagnoseOptions,
  type DiagnoseReport,
  type Headroom,
  type SamplingOptions,
} from './diagnose.js';
export { pairedBootstrap, metricGain, type BootstrapInterval } from './bootstrap.js';
