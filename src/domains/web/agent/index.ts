// The MPC web agent: a heuristic proposer, a world-model predictor slot, and a goal scorer.
export { proposeActions, wantedText, type Candidate } from './policy.js';
export { scoreOutcome } from './scorer.js';
export { applyDiff } from './apply-diff.js';
export { parseObjective, type Objective } from './objective.js';
export {
  runAgent,
  choose,
  advice,
  HEURISTIC_WEIGHT,
  RANK_STEP,
  STRONG_ADVICE,
  type AgentView,
  type Predictor,
  type Prediction,
  type AgentOptions,
  type AgentEpisode,
} from './mpc.js';
