// Planning several actions ahead over predicted pages: a best-first search from the current
// page. Each expanded page gets the heuristic policy's candidates, the predictor gives each
// one's next page, and judge() says whether that page finishes the objective or how much it
// progresses. A path's score adds up that progress, less the heuristic's rank of each action
// (its ordering stays the prior) and a cost per step. Reaching the objective's place, then a page
// that frames it (at the place it names, sorted as its superlative asks; goal.ts), earns a bonus;
// before the frame progress counts half, and a finish outside it is no finish (the wrong post
// replied to). The search ends at a finished
// page or when its budget of predictions is spent. A finished path is returned whole (the
// agent may follow it while the real pages match the predicted ones); otherwise the first
// action of the best path. Only predictions with the whole next page (PredictedPage, or a tree's text)
// can be searched from; a window of the page ends its path there.
import type { RenderedTree } from '../browser/ax-tree.js';
import { atPlace, frames, judge } from './goal.js';
import { parseObjective } from './objective.js';
import { proposeActions } from './policy.js';
import { parseTree } from './tree-text.js';
import type { AgentView, Prediction, Predictor } from './types.js';

export interface LookaheadOptions {
  /** most predictions per decision */
  budget: number;
  /** longest path searched */
  depth: number;
  /** candidates per predicted page (the current page gets the agent's `candidates`) */
  branch?: number;
  /** most predictions per episode; past them the agent takes the heuristic's choice (runAgent) */
  perEpisode?: number;
}

/** One action of a plan, on the page it applies to; `next` is the page predicted after it. */
export interface PlanStep {
  action: string;
  tree: RenderedTree;
  next?: RenderedTree;
}

export interface Plan {
  steps: PlanStep[];
  /** the last step is predicted to finish the objective */
  done: boolean;
  /** predictions used */
  predictions: number;
}

/** What each place down the heuristic's ranking costs on a path. */
export const PATH_RANK_STEP = 0.5;
/** What each action costs: shorter paths first. */
export const STEP_COST = 0.3;
/** What reaching the objective's frame (its place, its order) is worth on a path: search there first. */
export const FRAME_BONUS = 2;
/** What reaching the objective's place (before its order) is worth. */
export const PLACE_BONUS = 1;
/** The share of progress that counts before the path reaches the objective's frame. */
export const UNFRAMED_PROGRESS = 0.5;

interface Node {
  view: AgentView | null;
  history: string[];
  visited: string[];
  g: number;
  depth: number;
  /** the path went through a page that frames the objective (goal.ts: frames) */
  framed: boolean;
  /** the path went through a page at the objective's place (goal.ts: atPlace) */
  placed: boolean;
  done: boolean;
  parent: Node | null;
  step: PlanStep | null;
  /** the best score in this node's subtree (for the first action when nothing finishes) */
  best: number;
}

function pages(view: AgentView, p: Prediction): { before: string; after: string; next: AgentView | null } | null {
  if (typeof p === 'string') {
    const tree = parseTree(p);
    return { before: view.tree.text, after: p, next: nextView(view, tree, view.url) };
  }
  if (!p || typeof p !== 'object' || typeof p.before !== 'string' || typeof p.after !== 'string') return null;
  if (p.next && typeof p.next.url === 'string' && p.next.tree && Array.isArray(p.next.tree.nodes))
    return { before: view.tree.text, after: p.next.tree.text, next: nextView(view, p.next.tree, p.next.url) };
  return { before: p.before, after: p.after, next: null };
}

function nextView(view: AgentView, tree: RenderedTree, url: string): AgentView {
  return {
    url,
    objective: view.objective,
    previousAction: '',
    tree,
    previousUrl: url === view.url ? view.previousUrl : view.url,
  };
}

/**
 * The plan from `root` (the real page): `history` and `visited` are the agent's actions and
 * URLs so far (the policy discounts repeats). `candidates` at the root, `o.branch` below.
 */
export async function lookahead(
  root: AgentView,
  history: string[],
  visited: string[],
  predictor: Predictor,
  candidates: number,
  o: LookaheadOptions,
): Promise<Plan> {
  const obj = parseObjective(root.objective);
  const start: Node = {
    view: root,
    history,
    visited,
    g: 0,
    depth: 0,
    framed: frames(obj, root.tree.text),
    placed: atPlace(obj, root.tree.text),
    done: false,
    parent: null,
    step: null,
    best: -Infinity,
  };
  const open: Node[] = [start];
  const finished: Node[] = [];
  const children: Node[] = [];
  let used = 0;
  while (open.length && (used === 0 || used < o.budget) && !finished.length) {
    open.sort((a, b) => b.g - a.g);
    const node = open.shift()!;
    const view = node.view!;
    const k = node.depth === 0 ? candidates : (o.branch ?? candidates);
    const cands = proposeActions(view.objective, view.tree, node.history, k, node.visited);
    if (!cands.length) continue;
    let preds: Prediction[];
    try {
      preds = await predictor(
        { ...view, previousAction: node.history[node.history.length - 1] ?? 'None' },
        cands.map((c) => c.action),
      );
    } catch {
      preds = [];
    }
    used += cands.length;
    cands.forEach((c, i) => {
      const p = pages(view, preds[i] ?? null);
      const j = p ? judge(obj, p.before, p.after) : { done: false, progress: 0 };
      const framed = node.framed || (p !== null && frames(obj, p.after));
      const placed = node.placed || (p !== null && atPlace(obj, p.after));
      // finishing outside the objective's frame is finishing the wrong thing: no progress, a leaf;
      // and progress outside it (a comment typed on some post) counts half
      const wrong = j.done && !framed;
      const progress = wrong ? -1 : !framed && j.progress > 0 ? UNFRAMED_PROGRESS * j.progress : j.progress;
      const g =
        node.g +
        progress -
        PATH_RANK_STEP * i -
        STEP_COST +
        (framed && !node.framed ? FRAME_BONUS : 0) +
        (placed && !node.placed ? PLACE_BONUS : 0);
      const next = p?.next ?? null;
      const child: Node = {
        view: next,
        history: [...node.history, c.action],
        visited: next ? [...node.visited, next.url] : node.visited,
        g,
        depth: node.depth + 1,
        framed,
        placed,
        done: j.done && !wrong,
        parent: node,
        step: { action: c.action, tree: view.tree, next: next?.tree },
        best: g,
      };
      children.push(child);
      for (let n: Node | null = node; n; n = n.parent) n.best = Math.max(n.best, g);
      if (child.done) finished.push(child);
      else if (next && !wrong && j.progress > -1 && child.depth < o.depth) open.push(child);
    });
  }
  const path = (n: Node): PlanStep[] => {
    const out: PlanStep[] = [];
    for (let x: Node | null = n; x?.step; x = x.parent) out.unshift(x.step);
    return out;
  };
  // A finished path counts when it went through the objective's frame, or when the objective
  // names no place or order to frame it (frames() is then true everywhere). An unframed finish
  // of a framed objective is likely the wrong thing finished ("reply to the newest post in
  // travel" done on the newest post of all): its first step is only a candidate like the rest.
  if (finished.length) {
    const best = finished.reduce((a, b) => (b.g > a.g ? b : a));
    return { steps: path(best), done: true, predictions: used };
  }
  const first = children.filter((n) => n.parent === start);
  if (!first.length) return { steps: [], done: false, predictions: used };
  const best = first.reduce((a, b) => (b.best > a.best ? b : a));
  return { steps: [best.step!], done: false, predictions: used };
}
