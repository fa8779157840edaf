// ByteSized32 transitions → examples. The action is the one recorded after it was taken
// (action_state.lastAction); the truth is the full transition (tick_state).
import type { TgTransition } from './format.js';
import type { TgExample } from './codec.js';
import { isDynamic, type TgTruth } from './reward.js';
import { stateDiff } from './diff.js';

export function toExample(t: TgTransition, id: string): TgExample {
  const truth: TgTruth = {
    current: t.current_state.objects,
    currentScore: t.current_score_state,
    next: t.tick_state.objects,
    nextScore: t.next_score_state,
  };
  return {
    id,
    game: t.game,
    stateId: t.state_id,
    action: t.action_state.lastAction || t.tick_state.lastAction,
    taskDesc: t.current_state.taskDesc,
    truth,
    diff: stateDiff(truth.current, truth.next, truth.nextScore),
    dynamic: isDynamic(truth),
  };
}

export const toExamples = (ts: TgTransition[], prefix: string): TgExample[] =>
  ts.map((t, i) => toExample(t, `${prefix}/${t.game}/${i}`));
