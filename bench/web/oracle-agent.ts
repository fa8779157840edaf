// The planner's ceiling: the web agent planning with a perfect world model, against the
// heuristic policy alone, on every task in several app states. The perfect model replays
// each candidate action in a second Chromium on the same apps (perfectPredictor) and gives
// the whole next page, so the planner looks several actions ahead (lookahead.ts); the
// one-step planner of the web demo (choose/advice on the predicted windows) can be run too.
// Prints success rates with Wilson 95% intervals over episodes and the paired bootstrap
// interval of the gain; --out writes them as JSON.
//   node dist/bench/web/oracle-agent.js [--seed 10000] [--states 3] [--candidates 5] [--max-steps 10]
//     [--budget 40] [--depth 5] [--branch 4] [--per-episode 200] [--agents heuristic,perfect] [--tasks id,id] [--out file]
//     [--trace steps.jsonl] [--sequential]
import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { runAgent, type AgentEpisode, type AgentOptions } from '../../src/domains/web/agent/index.js';
import { perfectPredictor } from '../../src/domains/web/agent/perfect-predictor.js';
import { TASKS, startApps } from '../../src/domains/web/apps/index.js';
import { DEFAULT_VIEW } from '../../src/domains/web/view.js';
import { pairedBootstrap } from '../../src/train/bootstrap.js';
import { wilson } from '../../src/train/proportion.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '10000' },
    states: { type: 'string', default: '3' },
    candidates: { type: 'string', default: '5' },
    'max-steps': { type: 'string', default: '10' },
    budget: { type: 'string', default: '40' },
    depth: { type: 'string', default: '7' },
    branch: { type: 'string', default: '4' },
    'per-episode': { type: 'string', default: '200' },
    agents: { type: 'string', default: 'heuristic,perfect' },
    tasks: { type: 'string' },
    'view-lines': { type: 'string', default: '16' },
    out: { type: 'string' },
    /** every step of every episode (page, action, how chosen) as JSON lines */
    trace: { type: 'string' },
    /** one agent after the other (default: side by side, each on its own apps and browsers) */
    sequential: { type: 'boolean', default: false },
  },
});
const AGENTS = ['heuristic', 'perfect', 'perfect-one-step'] as const;
type Agent = (typeof AGENTS)[number];
const agents = values.agents.split(',') as Agent[];
for (const a of agents) if (!AGENTS.includes(a)) throw new Error(`unknown agent ${a}; one of ${AGENTS.join(', ')}`);
const tasks = values.tasks ? TASKS.filter((t) => values.tasks!.split(',').includes(t.id)) : TASKS;
const seed = Number(values.seed),
  states = Number(values.states);
const lookahead = {
  budget: Number(values.budget),
  depth: Number(values.depth),
  branch: Number(values.branch),
  perEpisode: Number(values['per-episode']),
};
const view = { ...DEFAULT_VIEW, maxLines: Number(values['view-lines']) };
function git(cmd: string): string | null {
  try {
    return execSync(cmd, { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const t0 = Date.now();
// the code that runs is the code at the start
const commit = git('git rev-parse HEAD');
const uncommitted = (git('git status --porcelain -- src/domains/web bench/web src/train') ?? '')
  .split('\n')
  .filter(Boolean);
/** Per agent, per state, the episodes in task order; state s resets task i to seed + 1000·s + i. */
const results: Partial<Record<Agent, AgentEpisode[][]>> = {};
const minutes: Partial<Record<Agent, number>> = {};
let replays = 0;
/** One agent on its own apps (and, for the planners, its own replay browser): agents run side by side. */
async function run(agent: Agent): Promise<void> {
  const t1 = Date.now();
  const apps = await startApps({ seed: 0 });
  const perfect = agent === 'heuristic' ? null : await perfectPredictor(apps, { view });
  try {
    results[agent] = [];
    for (let s = 0; s < states; s++) {
      const opts: AgentOptions = {
        seed: seed + 1000 * s,
        tasks,
        candidates: Number(values.candidates),
        maxSteps: Number(values['max-steps']),
        apps,
        ...(perfect ? { predictor: perfect.predictor } : {}),
        ...(agent === 'perfect' ? { lookahead } : {}),
        ...(values.trace
          ? { onStep: (st) => appendFileSync(values.trace!, `${JSON.stringify({ agent, state: s, ...st })}\n`) }
          : {}),
        onEpisode: (e) =>
          console.error(
            `${agent} state ${s} ${e.taskId}: ${e.success ? 'success' : 'failure'} in ${e.steps} steps` +
              ` (${e.predictions ?? 0} predictions, ${((Date.now() - t1) / 60000).toFixed(1)} min) ${e.actions.join(' | ')}`,
          ),
      };
      results[agent]!.push((await runAgent(opts)).episodes);
    }
  } finally {
    replays += perfect?.replays() ?? 0;
    await perfect?.close();
    await apps.close();
  }
  minutes[agent] = +((Date.now() - t1) / 60000).toFixed(2);
}
if (values.sequential) for (const a of agents) await run(a);
else await Promise.all(agents.map(run));

const flat = (a: Agent) => results[a]!.flat();
const summary = Object.fromEntries(
  agents.map((a) => {
    const eps = flat(a);
    const w = wilson(eps.filter((e) => e.success).length, eps.length);
    return [a, { ...w, minutes: minutes[a] }];
  }),
);
const gains = Object.fromEntries(
  agents
    .filter((a) => a !== 'heuristic' && agents.includes('heuristic'))
    .map((a) => {
      const b = pairedBootstrap(
        flat('heuristic').map((e) => +e.success),
        flat(a).map((e) => +e.success),
      );
      return [a, { mean: b.mean, lo: b.lo, hi: b.hi }];
    }),
);
const perTask = tasks.map((t, i) => ({
  task: t.id,
  ...Object.fromEntries(agents.map((a) => [a, results[a]!.map((eps) => eps[i]!.success)])),
}));
console.table(perTask.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
for (const a of agents) {
  const s = summary[a]!;
  console.log(
    `${a}: ${s.successes} / ${s.trials} = ${pct(s.rate)} (Wilson 95% ${pct(s.lo)} to ${pct(s.hi)}), ${s.minutes} min`,
  );
}
for (const [a, g] of Object.entries(gains))
  console.log(
    `${a} − heuristic: ${(100 * g.mean).toFixed(1)} points (paired bootstrap 95% ${(100 * g.lo).toFixed(1)} to ${(100 * g.hi).toFixed(1)})`,
  );

const out = {
  command: `node ${relative(process.cwd(), process.argv[1] ?? '')} ${process.argv.slice(2).join(' ')}`.trim(),
  commit,
  /** files of the agent that differ from the commit when this started (empty: the commit's code) */
  uncommitted,
  date: new Date().toISOString(),
  wallMinutes: +((Date.now() - t0) / 60000).toFixed(2),
  seed,
  states,
  tasks: tasks.length,
  sites: [...new Set(tasks.map((t) => t.site))],
  episodesPerAgent: tasks.length * states,
  candidates: Number(values.candidates),
  maxSteps: Number(values['max-steps']),
  lookahead,
  viewLines: view.maxLines,
  perfectReplays: replays,
  sideBySide: !values.sequential,
  agents: summary,
  gainOverHeuristic: gains,
  perTask,
  episodes: Object.fromEntries(agents.map((a) => [a, results[a]])),
};
if (values.out) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`wrote ${values.out}`);
}
