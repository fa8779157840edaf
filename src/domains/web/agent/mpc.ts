// Model-predictive control over the local apps: at each step the heuristic policy proposes k
// candidate actions, the world model (a Predictor) predicts each one's next tree, the scorer
// rates the predictions against the objective, and the best candidate runs in the real
// browser. With `lookahead`, the planner searches several actions ahead over predicted pages
// instead (lookahead.ts) and follows a plan predicted to finish while the real pages match
// it. Success is task.check() on the app's real state; the agent never sees it to choose
// actions, only to stop the episode (and to record the outcome).
import { startApps, type Apps } from '../apps/server.js';
import { TASKS, type Task } from '../apps/tasks.js';
import { executeAction } from '../browser/actions.js';
import { CANONICAL_ORIGIN } from '../browser/collector.js';
import { BrowserSession } from '../browser/session.js';
import { proposeActions, type Candidate } from './policy.js';
import { scoreOutcome, CONFIRM } from './scorer.js';
import { nodesById } from '../tree-diff.js';
import { lookahead, type LookaheadOptions, type PlanStep } from './lookahead.js';
import { moveAction, similarity } from './tree-text.js';
import type { AgentView, Prediction, Predictor } from './types.js';
export type { AgentView, Prediction, Predictor, PredictedPage } from './types.js';

export interface AgentOptions {
  seed: number;
  tasks?: Task[];
  predictor?: Predictor;
  /** candidates proposed (and predicted) per step; default 5 */
  candidates?: number;
  /** default 10 */
  maxSteps?: number;
  executablePath?: string;
  /** apps already running to use (reset per episode, left open) instead of starting them */
  apps?: Apps;
  /** plan several actions ahead over predicted pages (lookahead.ts) instead of one; needs a predictor */
  lookahead?: LookaheadOptions;
  onEpisode?: (r: AgentEpisode) => void;
  /** each step as it runs: the page seen, the action taken and how it was chosen (for tracing) */
  onStep?: (s: AgentStep) => void;
}

export interface AgentStep {
  taskId: string;
  step: number;
  url: string;
  page: string;
  action: string;
  /** plan: a step of a finished plan followed; lookahead: a search; heuristic: the policy (with one-step advice if any) */
  by: 'plan' | 'lookahead' | 'heuristic' | 'restart';
  /** the rest of the plan, when a finished plan was found or followed */
  plan?: string[];
}

export interface AgentEpisode {
  taskId: string;
  success: boolean;
  steps: number;
  actions: string[];
  /** predictions asked of the predictor */
  predictions?: number;
}

/** How much the heuristic's own score counts next to its rank and the world model's advice. */
export const HEURISTIC_WEIGHT = 0.1;
/** What each place down the heuristic's ranking costs: the heuristic's order is the prior. */
export const RANK_STEP = 0.5;
/** How alike the real page must be to the one a plan predicted for the plan to go on (similarity). */
export const PLAN_MATCH = 0.9;
/** A scorer rating at least this is evidence of progress (a confirmation, the wanted radio or value, a vote). */
export const STRONG_ADVICE = 2.5;

/**
 * The world model's advice on one prediction: strong progress counts in full, an error page
 * against, no predicted change a little against; plain navigation and other weak ratings, a
 * missing or unreadable prediction count nothing (the heuristic's prior decides).
 */
export function advice(objective: string, current: string, p: Prediction | undefined): number {
  let before: string, after: string;
  if (typeof p === 'string') {
    before = current;
    after = p;
  } else if (p && typeof p === 'object' && typeof p.before === 'string' && typeof p.after === 'string') {
    before = p.before;
    after = p.after;
  } else return 0;
  if (!/\[\d+\]/.test(after)) return 0; // garbage: no lines to read
  const rated = scoreOutcome(objective, before, after);
  if (!Number.isFinite(rated)) return 0;
  // a new page (no element of the page before left) is progress only with a confirmation on it:
  // the top of any page echoes the objective's words (a search box's value, the title)
  const was = nodesById(before),
    kept = [...nodesById(after).keys()].some((id) => was.has(id));
  const confirmed = after.split('\n').some(
    (l) =>
      /^\s*\[\d+\]\s+(StaticText|status|alert)\s/.test(l) &&
      CONFIRM.test(l) &&
      // (?<!\s): each whitespace run is tried once, so a long run is linear, not quadratic
      /[.!]['"]?\s*$/.test(l.replace(/(?<!\s)\s+\w+: [\s\S]*/, '')),
  );
  if (rated >= STRONG_ADVICE && (kept || confirmed)) return rated;
  if (rated <= -2) return Math.max(rated, -5); // an error page or a failure message
  if (rated === -1) return -0.5; // nothing happens
  return 0;
}

/**
 * The candidate to execute: the heuristic's ranking is a prior (rank and score), the world
 * model's predictions advise on top of it (see advice); without predictions, or with
 * predictions that say nothing, the heuristic's best.
 */
export function choose(
  objective: string,
  current: string,
  cands: Candidate[],
  predicted: Prediction[] | null,
): Candidate | undefined {
  if (!predicted) return cands[0];
  let best: Candidate | undefined,
    bestScore = -Infinity;
  cands.forEach((c, i) => {
    const s = advice(objective, current, predicted[i]) - RANK_STEP * i + HEURISTIC_WEIGHT * c.score;
    if (s > bestScore) {
      bestScore = s;
      best = c;
    }
  });
  return best;
}

/**
 * One episode per task (apps reset to seed + task index), up to maxSteps actions each; stops
 * early when the task's check passes. Starts Chromium (and the apps unless given) and closes them.
 */
export async function runAgent(o: AgentOptions): Promise<{ episodes: AgentEpisode[]; successRate: number }> {
  const tasks = o.tasks ?? TASKS;
  const k = o.candidates ?? 5,
    maxSteps = o.maxSteps ?? 10;
  const apps = o.apps ?? (await startApps({ seed: o.seed }));
  let session: BrowserSession | undefined;
  const episodes: AgentEpisode[] = [];
  try {
    session = await BrowserSession.open({
      executablePath: o.executablePath,
      origin: { real: apps.url, canonical: CANONICAL_ORIGIN },
    });
    for (const [i, task] of tasks.entries()) {
      apps.reset(o.seed + i);
      await session.goto(`${CANONICAL_ORIGIN}${task.startPath}`);
      const actions: string[] = [],
        visited: string[] = [];
      let plan: PlanStep[] = [],
        predictions = 0;
      let success = task.check(apps.state());
      while (!success && actions.length < maxSteps) {
        const tree = await session.snapshot();
        visited.push(session.url());
        const view: AgentView = {
          url: session.url(),
          objective: task.objective,
          previousAction: actions[actions.length - 1] ?? 'None',
          tree,
          previousUrl: visited[visited.length - 2],
        };
        const onApps = session.url().startsWith(CANONICAL_ORIGIN);
        let pick: string | undefined;
        let by: AgentStep['by'] = 'plan';
        // a finished plan is followed while the real page is the one it predicted
        const step = plan.shift();
        if (step && onApps && similarity(step.tree.text, tree.text) >= PLAN_MATCH)
          pick = moveAction(step.action, step.tree, tree) ?? undefined;
        if (pick === undefined) plan = [];
        const planning = !!o.lookahead && predictions < (o.lookahead.perEpisode ?? Infinity);
        if (pick === undefined && onApps && o.predictor && o.lookahead && planning) {
          const p = await lookahead(view, actions, visited, o.predictor, k, o.lookahead);
          predictions += p.predictions;
          if (p.steps.length) {
            pick = p.steps[0]!.action;
            plan = p.done ? p.steps.slice(1) : [];
            by = 'lookahead';
          }
        }
        if (pick === undefined && onApps) {
          const cands = proposeActions(task.objective, tree, actions, k, visited);
          let predicted: Prediction[] | null = null;
          if (o.predictor && !o.lookahead && cands.length) {
            try {
              predicted = await o.predictor(
                view,
                cands.map((c) => c.action),
              );
              predictions += cands.length;
            } catch {
              predicted = null;
            }
          }
          pick = choose(task.objective, tree.text, cands, predicted)?.action;
          by = 'heuristic';
        }
        // off the apps (e.g. a chrome-error page) there is nothing to click: back to the start
        const action = pick ?? `goto [${CANONICAL_ORIGIN}${task.startPath}]`;
        if (pick === undefined) by = 'restart';
        o.onStep?.({
          taskId: task.id,
          step: actions.length,
          url: view.url,
          page: tree.text,
          action,
          by,
          ...(plan.length ? { plan: plan.map((x) => x.action) } : {}),
        });
        const r = await executeAction(session, action);
        actions.push(r.action); // failed actions count as steps too, and stay in the history
        success = task.check(apps.state());
      }
      const ep: AgentEpisode = { taskId: task.id, success, steps: actions.length, actions, predictions };
      episodes.push(ep);
      o.onEpisode?.(ep);
    }
  } finally {
    await session?.close();
    if (!o.apps) await apps.close();
  }
  const ok = episodes.filter((e) => e.success).length;
  return { episodes, successRate: episodes.length ? ok / episodes.length : 0 };
}
