// The MPC web agent: a heuristic proposer, a world-model predictor slot, and a goal scorer.
export { proposeActions, wantedText, type Candidate } from './policy.js';
export { scoreOutcome } from './scorer.js';
export { applyDiff } from './apply-diff.js';
export { parseObjective, type Objective } from './objective.js';
export { judge, frames, type Judgement } from './goal.js';
export { lookahead, type LookaheadOptions, type Plan, type PlanStep } from './lookahead.js';
export { parseTree, moveAction, similarity } from './tree-text.js';
export {
  runAgent,
  choose,
  advice,
  HEURISTIC_WEIGHT,
  RANK_STEP,
  STRONG_ADVICE,
  PLAN_MATCH,
  type AgentView,
  type Predictor,
  type Prediction,
  type PredictedPage,
  type AgentOptions,
  type AgentEpisode,
  type AgentStep,
} from './mpc.js';
