// What the planner and its predictors exchange: the page the agent is on (real or predicted)
// and, per candidate action, a prediction of the page it leads to.
import type { RenderedTree } from '../browser/ax-tree.js';

export interface AgentView {
  url: string;
  objective: string;
  previousAction: string;
  tree: RenderedTree;
  /** the page before this one, where the agent knows it (what go_back returns to) */
  previousUrl?: string;
}

/** A whole predicted next page: what lets the planner look further than one action. */
export interface PredictedPage {
  url: string;
  tree: RenderedTree;
}

/**
 * One candidate's predicted outcome: the next tree text (same line format, compared with the
 * current tree), or a part of the page before and after (a predictor working on a view of
 * the tree around the action's element) with, optionally, the whole next page, or null (no
 * prediction: the heuristic decides).
 */
export type Prediction = string | { before: string; after: string; next?: PredictedPage } | null;
/** For each candidate action (batched, in order), its prediction. */
export type Predictor = (view: AgentView, actions: string[]) => Promise<Prediction[]>;
