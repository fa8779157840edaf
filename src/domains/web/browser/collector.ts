// Collecting web transitions for the world model: drive Chromium over the local apps with the
// tasks' scripted solutions, mixed with random valid actions, and record for every action the
// tree before, the tree after and their diff (the model's target), WebArena/WMA-style.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Rng } from '../../../core/util/rng.js';
import { startApps, type Apps } from '../apps/server.js';
import { SITES, type Site } from '../apps/state.js';
import { TASKS, type Task } from '../apps/tasks.js';
import { formatDiff, treeDiff } from '../tree-diff.js';
import { executeAction } from './actions.js';
import { BrowserSession } from './session.js';
import { randomAction, resolveStep } from './steps.js';

export interface Transition {
  url: string;
  objective: string;
  /** the action before this one in the episode, or 'None' (as WebArena prompts show it) */
  previousAction: string;
  treeBefore: string;
  action: string;
  treeAfter: string;
  /** formatDiff(treeDiff(treeBefore, treeAfter)) */
  diff: string;
  site: Site;
  taskId: string;
}

export interface EpisodeOptions {
  /** the chance that a step is a random action instead of the next scripted one */
  randomActionProb?: number;
  maxSteps?: number;
  rng?: Rng;
}

export interface EpisodeResult {
  taskId: string;
  transitions: Transition[];
  /** task.check() on the app state at the end */
  success: boolean;
  /** whether every scripted step was found and executed */
  scriptCompleted: boolean;
  /** actions that failed (they are not recorded as transitions) */
  errors: string[];
}

/** The stable origin written into trees and URLs in place of the server's random port. */
export const CANONICAL_ORIGIN = 'http://apps.local';

function siteOf(url: string, fallback: Site): Site {
  const seg = /^https?:\/\/[^/]+\/([^/?#]*)/.exec(url)?.[1] ?? '';
  return (SITES as readonly string[]).includes(seg) ? (seg as Site) : fallback;
}

/**
 * One episode of a task from its start page (the app state is whatever it is now: reset it
 * first). Scripted steps are resolved on the live tree; if a random detour left the page
 * where the next step's element is missing, a go_back is tried, then a goto to the last page
 * the script reached, then the script is given up and the rest of the episode is random.
 * Off the apps (a chrome-error page after a refused re-POST) the next action is a goto to
 * the start page. Failed actions are kept in errors, not recorded as transitions.
 */
export async function runEpisode(
  session: BrowserSession,
  apps: Apps,
  task: Task,
  opts: EpisodeOptions = {},
): Promise<EpisodeResult> {
  const rng = opts.rng ?? new Rng(1);
  const pRandom = opts.randomActionProb ?? 0;
  const plan = task.solution(apps.state());
  const maxSteps = opts.maxSteps ?? plan.length + 8;
  await session.goto(`${CANONICAL_ORIGIN}${task.startPath}`);
  let before = await session.snapshot();
  let previousAction = 'None';
  // recovery after a random detour: 0 on track, 1 went back, 2 went to the last on-track page
  let next = 0,
    recovery = 0,
    abandoned = false;
  let onTrack = session.url();
  const transitions: Transition[] = [],
    errors: string[] = [];
  for (let step = 0; step < maxSteps; step++) {
    let action: string,
      fromScript = false;
    const scripted = !abandoned && next < plan.length;
    if (!session.url().startsWith(CANONICAL_ORIGIN)) {
      action = `goto [${CANONICAL_ORIGIN}${task.startPath}]`; // e.g. a chrome-error page after a refused re-POST
    } else if (scripted && rng.next() >= pRandom) {
      const resolved = resolveStep(before.nodes, plan[next]!, CANONICAL_ORIGIN);
      if (resolved) {
        action = resolved;
        next++;
        recovery = 0;
        fromScript = true;
      } else if (recovery === 0) {
        action = 'go_back';
        recovery = 1;
      } else if (recovery === 1 && onTrack !== session.url()) {
        action = `goto [${onTrack}]`;
        recovery = 2;
      } else {
        abandoned = true;
        action = randomAction(before.nodes, rng);
      }
    } else if (!scripted && !abandoned) {
      break; // the script is done: end the episode rather than wander off
    } else {
      action = randomAction(before.nodes, rng);
    }
    const url = session.url();
    const result = await executeAction(session, action);
    if (!result.ok) {
      errors.push(`${action}: ${result.error}`);
      continue;
    }
    const after = await session.snapshot();
    transitions.push({
      url,
      objective: task.objective,
      previousAction,
      treeBefore: before.text,
      action: result.action,
      treeAfter: after.text,
      diff: formatDiff(treeDiff(before.text, after.text)),
      site: siteOf(url, task.site),
      taskId: task.id,
    });
    previousAction = result.action;
    before = after;
    if (fromScript) onTrack = session.url();
  }
  return {
    taskId: task.id,
    transitions,
    success: task.check(apps.state()),
    scriptCompleted: !abandoned && next >= plan.length,
    errors,
  };
}

export interface CollectOptions {
  seed: number;
  episodes: number;
  randomActionProb?: number;
  maxSteps?: number;
  tasks?: Task[];
  executablePath?: string;
  /** called after each episode (progress, success rates) */
  onEpisode?: (r: EpisodeResult, episode: number) => void;
}

/**
 * Start the apps and Chromium, run `episodes` episodes (tasks in a seeded shuffled cycle,
 * the apps reset to seed + episode before each), and return all transitions. Everything
 * started here is stopped here, even on errors.
 */
export async function collect(opts: CollectOptions): Promise<Transition[]> {
  const rng = new Rng(opts.seed);
  const tasks = opts.tasks ?? TASKS;
  const apps = await startApps({ seed: opts.seed });
  let session: BrowserSession | undefined;
  const out: Transition[] = [];
  try {
    session = await BrowserSession.open({
      executablePath: opts.executablePath,
      origin: { real: apps.url, canonical: CANONICAL_ORIGIN },
    });
    let order: Task[] = [];
    for (let e = 0; e < opts.episodes; e++) {
      if (!order.length) order = rng.shuffle([...tasks]);
      const task = order.pop()!;
      apps.reset(opts.seed + e);
      const r = await runEpisode(session, apps, task, {
        randomActionProb: opts.randomActionProb ?? 0.2,
        maxSteps: opts.maxSteps ?? 20,
        rng,
      });
      out.push(...r.transitions);
      opts.onEpisode?.(r, e);
    }
  } finally {
    await session?.close();
    await apps.close();
  }
  return out;
}

/** Write transitions as JSON Lines (one transition an object a line), creating the folder. */
export async function writeTransitions(file: string, transitions: Transition[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, transitions.map((t) => JSON.stringify(t)).join('\n') + (transitions.length ? '\n' : ''));
}
