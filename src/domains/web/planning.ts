// The world model as the planner's predictor: for each candidate action, the prompt the model
// was trained on (the view of the current page around the action's element), its predicted
// diff, and that diff applied to the view — the predicted next page the scorer rates.
import { webPrompt, withoutId, type WebExample } from './data.js';
import { viewTransition, DEFAULT_VIEW, type ViewOptions } from './view.js';
import { applyDiff } from './agent/apply-diff.js';
import type { AgentView, Prediction, Predictor } from './agent/mpc.js';

/** Decodes the model's diff for each example (greedy), in order; supplied by the app layer. */
export type DiffDecoder = (examples: WebExample[]) => Promise<string[]>;

let planned = 0; // example ids must be unique: codecs cache encodings by id

/** The planning examples for the candidates (null where the action's element is not on the page). */
export function planningExamples(
  v: AgentView,
  actions: string[],
  view: ViewOptions = DEFAULT_VIEW,
): ({ example: WebExample; before: string } | null)[] {
  return actions.map((a) => {
    const t = viewTransition(v.tree.text, a, '', view);
    if (t.action === null) return null;
    const prompt = webPrompt({
      url: v.url,
      objective: v.objective,
      previousAction: withoutId(v.previousAction),
      treeBefore: t.before,
      action: t.action,
    });
    return { example: { id: `plan-${++planned}`, prompt, truth: '' }, before: t.before };
  });
}

export function worldModelPredictor(decode: DiffDecoder, view: ViewOptions = DEFAULT_VIEW): Predictor {
  return async (v, actions) => {
    const planned = planningExamples(v, actions, view);
    const known = planned.filter((p): p is NonNullable<typeof p> => p !== null);
    const diffs = await decode(known.map((p) => p.example));
    let k = 0; // diffs come in the order of the known candidates
    return planned.map((p): Prediction =>
      p === null ? null : { before: p.before, after: applyDiff(p.before, diffs[k++] ?? '') },
    );
  };
}
