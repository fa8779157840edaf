// The planner's ceiling: the web agent planning with a perfect world model. For each
// candidate action the true outcome is taken from a second Chromium on the same apps — the
// current page re-opened, its field values and radios re-entered, the candidate executed —
// and the app state is restored afterwards. The predictor returns the same windows a trained
// model would (view.ts), so the scorer reads what a perfect model could give it.
//   node dist/bench/web/oracle-agent.js [--seed 10000] [--candidates 4] [--max-steps 8] [--tasks id,id]
import { parseArgs } from 'node:util';
import { runAgent, type Prediction, type Predictor } from '../../src/domains/web/agent/index.js';
import { TASKS, startApps, type AppState } from '../../src/domains/web/apps/index.js';
import { BrowserSession } from '../../src/domains/web/browser/session.js';
import { executeAction } from '../../src/domains/web/browser/actions.js';
import { CANONICAL_ORIGIN } from '../../src/domains/web/browser/collector.js';
import type { RenderedNode } from '../../src/domains/web/browser/ax-tree.js';
import { viewTransition, DEFAULT_VIEW } from '../../src/domains/web/view.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '10000' },
    candidates: { type: 'string', default: '4' },
    'max-steps': { type: 'string', default: '8' },
    tasks: { type: 'string' },
    'view-lines': { type: 'string', default: '16' },
  },
});
const view = { ...DEFAULT_VIEW, maxLines: Number(values['view-lines']) };
const apps = await startApps({ seed: 0 });
const sandbox = await BrowserSession.open({ origin: { real: apps.url, canonical: CANONICAL_ORIGIN } });

/** Nodes matched across two renderings of one page by role, name and occurrence. */
const keys = (nodes: RenderedNode[]): string[] => {
  const seen = new Map<string, number>();
  return nodes.map((n) => {
    const k = `${n.role}|${n.name}`;
    const i = seen.get(k) ?? 0;
    seen.set(k, i + 1);
    return `${k}|${i}`;
  });
};
const restore = (saved: AppState): void => {
  const live = apps.state() as unknown as Record<string, unknown>;
  for (const k of Object.keys(live)) delete live[k];
  Object.assign(live, structuredClone(saved));
};

const oracle: Predictor = async (v, actions) => {
  const saved = structuredClone(apps.state());
  const mainKeys = keys(v.tree.nodes);
  const out: Prediction[] = [];
  for (const action of actions) {
    try {
      restore(saved);
      await sandbox.goto(v.url);
      let t = await sandbox.snapshot();
      const idOf = (tree: typeof t) => new Map(keys(tree.nodes).map((k, i) => [k, tree.nodes[i]!.id]));
      let ids = idOf(t);
      for (const [i, n] of v.tree.nodes.entries()) {
        // re-enter what the real page holds
        const sid = ids.get(mainKeys[i]!);
        const sn = t.nodes.find((x) => x.id === sid);
        if (!sn) continue;
        if (n.props.value !== undefined && n.props.value !== sn.props.value)
          await executeAction(sandbox, `type [${sid}] [${n.props.value.slice(1, -1)}] [0]`);
        if (n.role === 'radio' && n.props.checked === 'true' && sn.props.checked !== 'true')
          await executeAction(sandbox, `click [${sid}]`);
      }
      restore(saved);
      t = await sandbox.snapshot();
      ids = idOf(t);
      const m = /\[(\d+)\]/.exec(action);
      let act: string | null = action;
      if (m && !action.startsWith('goto')) {
        const i = v.tree.nodes.findIndex((n) => String(n.id) === m[1]);
        const sid = i >= 0 ? ids.get(mainKeys[i]!) : undefined;
        act = sid === undefined ? null : action.replace(/\[\d+\]/, `[${sid}]`);
      }
      const r = act === null ? null : await executeAction(sandbox, act);
      if (!r?.ok) {
        out.push(null);
        continue;
      }
      const w = viewTransition(v.tree.text, action, (await sandbox.snapshot()).text, view);
      out.push(w.action === null ? null : { before: w.before, after: w.after });
    } catch {
      out.push(null);
    }
  }
  restore(saved);
  return out;
};

const tasks = values.tasks ? TASKS.filter((t) => values.tasks!.split(',').includes(t.id)) : TASKS;
const opts = {
  seed: Number(values.seed),
  tasks,
  candidates: Number(values.candidates),
  maxSteps: Number(values['max-steps']),
  apps,
};
const t0 = Date.now();
try {
  const heuristic = await runAgent(opts);
  const perfect = await runAgent({ ...opts, predictor: oracle });
  const rows = tasks.map((t, i) => ({
    task: t.id,
    heuristic: heuristic.episodes[i]!.success,
    perfectWorldModel: perfect.episodes[i]!.success,
  }));
  console.table(rows);
  console.log(
    JSON.stringify({
      seed: opts.seed,
      candidates: opts.candidates,
      maxSteps: opts.maxSteps,
      viewLines: view.maxLines,
      heuristic: heuristic.successRate,
      perfectWorldModel: perfect.successRate,
      minutes: +((Date.now() - t0) / 60000).toFixed(2),
    }),
  );
} finally {
  await sandbox.close();
  await apps.close();
}
