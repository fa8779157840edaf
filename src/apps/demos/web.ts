// `rlvr-world demo web`: transitions collected in Chromium over the local sites → tokenizer →
// MLE world model → RLVR (GRPO on the diff's F1) → F1 on held-out transitions (with the
// copy-nothing baseline) → the agent on every task in several app states with no world model,
// the MLE one and the RLVR one (one-step planning over predicted windows), and a perfect one
// (replay in a second browser; lookahead over whole pages): the planner's ceiling → report.
import { mkdirSync, writeFileSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../train/config/load.js';
import { webDomain, viewOf, type WebExample } from '../../domains/web/index.js';
import { DEFAULT_VIEW } from '../../domains/web/view.js';
import { worldModelPredictor } from '../../domains/web/planning.js';
import { runAgent, type AgentEpisode } from '../../domains/web/agent/index.js';
import { perfectPredictor } from '../../domains/web/agent/perfect-predictor.js';
import { TASKS } from '../../domains/web/apps/tasks.js';
import { startApps } from '../../domains/web/apps/server.js';
import { wilson } from '../../train/proportion.js';
import { pairedBootstrap } from '../../train/bootstrap.js';
import type { WorldModelDomain } from '../../train/domain.js';
import { trainMle } from '../../train/mle.js';
import { trainGrpo } from '../../train/grpo.js';
import { evaluate, scorePredictions, type EvalResult } from '../../train/evaluate.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { linePlotPng, type Series } from '../report/plot.js';
import { table, pct } from '../../core/util/markdown.js';
import { runInfo, gitState, stageTimer } from '../report/run-info.js';
import { diagnoseDemo, headroomSection } from './headroom.js';
import type { WebProfile } from '../../domains/web/demo.js';
import { readManifest } from '../../domains/manifest.js';
import { CONTINUED, continueMleControl, controlNote, controlSummary } from './control.js';

export interface WebDemoOptions {
  quick: boolean;
  out: string;
  threads: number;
  profile: WebProfile;
}

type Eval = EvalResult<WebExample, string>;
/** The copy-nothing baseline: `None` in every section. */
export const NOTHING_CHANGES = 'New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\nNone';
const AGENT_SEED = 10_000; // app states the agent meets: none of the collector's (seeds 0…episodes)

export async function runWebDemo(o: WebDemoOptions): Promise<void> {
  const t0 = Date.now();
  const git = gitState();
  const p = o.profile;
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  const { timed, minutes: timings, summary } = stageTimer('web');
  const domainOptions = { ...p.domainOptions, dataDir: join(o.out, 'data') };
  const base = { domain: 'web', seed: 0, threads: o.threads, domainOptions, model: p.model };

  const domain = await timed('data (Chromium) + tokenizer', () => webDomain(domainOptions));
  const manifest = readManifest<any>(domainOptions.dataDir)!;
  const mleCfg = validateConfig({ ...base, runDir: join(o.out, 'mle'), mle: p.mle });
  const mle = await timed('MLE', () => trainMle(mleCfg, domain));
  const test = await domain.examples('test');
  const diagnosed = (m: LlamaForCausalLM) => diagnoseDemo(m, domain, test, p.headroom, p.maxNewTokens);
  const headroomMle = await timed('headroom: MLE', () => diagnosed(mle.model));
  const rl = await timed('RLVR (GRPO, F1 reward)', () =>
    trainGrpo(
      validateConfig({
        ...base,
        runDir: join(o.out, 'rlvr'),
        init: mle.checkpoint,
        grpo: { ...p.grpo, rewards: { f1: 1 } },
      }),
      domain,
    ),
  );
  const headroomRl = await timed('headroom: RLVR', () => diagnosed(rl.model));
  const cont = await timed(CONTINUED, () =>
    continueMleControl(mleCfg, domain, mle.checkpoint, [join(o.out, 'rlvr')], join(o.out, 'mle-continued')),
  );
  const headroom = {
    MLE: headroomMle,
    [CONTINUED]: await timed(`headroom: ${CONTINUED}`, () => diagnosed(cont.model)),
    RLVR: headroomRl,
  };

  // ---- F1 on held-out transitions (greedy) ----
  const models: [string, LlamaForCausalLM][] = [
    ['MLE', mle.model],
    [CONTINUED, cont.model],
    ['RLVR', rl.model],
  ];
  const evals: Record<string, Eval> = {
    'copy-nothing baseline': await scorePredictions(
      domain,
      test,
      test.map(() => NOTHING_CHANGES),
    ),
  };
  for (const [name, m] of models)
    evals[name] = await timed(`evaluation: ${name}`, () => evaluate(m, domain, test, { maxNewTokens: p.maxNewTokens }));

  // ---- the agent, planning with each world model ----
  const decoder = (m: LlamaForCausalLM) => async (examples: WebExample[]) =>
    (
      await evaluate(m, domain as WorldModelDomain<WebExample, string>, examples, {
        maxNewTokens: p.maxNewTokens,
        batchSize: 16,
      })
    ).rows.map((r) => r.prediction);
  const view = viewOf({ viewLines: domainOptions.viewLines ?? DEFAULT_VIEW.maxLines });
  // the compute-matched control is compared on F1 only: each planner row costs minutes per state
  const HEURISTIC = 'no world model (heuristic policy)';
  const PERFECT = 'perfect world model (replay, lookahead)';
  const planners: [string, LlamaForCausalLM | 'perfect' | null][] = [
    [HEURISTIC, null],
    ['MLE world model', mle.model],
    ['RLVR world model', rl.model],
    [PERFECT, 'perfect'],
  ];
  const agent: Record<string, { successRate: number; episodes: AgentEpisode[] }> = {};
  for (const [name, m] of planners) {
    const episodes: AgentEpisode[] = [];
    agent[name] = await timed(`agent: ${name}`, async () => {
      const apps = await startApps({ seed: 0 });
      const perfect = m === 'perfect' ? await perfectPredictor(apps, view ? { view } : {}) : null;
      try {
        for (let s = 0; s < p.agent.seeds; s++) {
          const r = await runAgent({
            seed: AGENT_SEED + 1000 * s,
            tasks: TASKS,
            apps,
            candidates: p.agent.candidates,
            maxSteps: p.agent.maxSteps,
            ...(perfect
              ? { predictor: perfect.predictor, lookahead: p.agent.lookahead }
              : m && m !== 'perfect'
                ? { predictor: worldModelPredictor(decoder(m), view) }
                : {}),
            onEpisode: (e) =>
              console.error(
                `   ${name}, state ${s}, ${e.taskId}: ${e.success ? 'success' : 'failure'} in ${e.steps} steps`,
              ),
          });
          episodes.push(...r.episodes);
        }
      } finally {
        await perfect?.close();
        await apps.close();
      }
      return { successRate: episodes.filter((e) => e.success).length / episodes.length, episodes };
    });
  }
  const agentIntervals = Object.fromEntries(
    Object.entries(agent).map(([n, a]) => {
      const w = wilson(a.episodes.filter((e) => e.success).length, a.episodes.length);
      const b = pairedBootstrap(
        agent[HEURISTIC]!.episodes.map((e) => +e.success),
        a.episodes.map((e) => +e.success),
      );
      return [n, { ...w, gainOverHeuristic: { mean: b.mean, lo: b.lo, hi: b.hi } }];
    }),
  );

  // ---- report ----
  const info = runInfo(t0, git);
  const params = mle.model.numParameters();
  const plotFile = 'rl-curves.png';
  writeFileSync(join(o.out, plotFile), await curves(join(o.out, 'rlvr', 'metrics.jsonl')));
  const f1Table = table(
    ['predictions', 'F1', 'precision', 'recall'],
    Object.entries(evals).map(([n, e]) => [
      n,
      e.metrics.f1!.toFixed(4),
      e.metrics.precision!.toFixed(4),
      e.metrics.recall!.toFixed(4),
    ]),
  );
  const agentTable = table(
    [
      'planner',
      'success',
      'Wilson 95%',
      'solved (of episodes)',
      'gain over the heuristic (paired bootstrap 95%)',
      'mean steps',
    ],
    Object.entries(agent).map(([n, a]) => {
      const w = agentIntervals[n]!,
        g = w.gainOverHeuristic;
      return [
        n,
        pct(a.successRate),
        `${pct(w.lo)} to ${pct(w.hi)}`,
        `${w.successes} / ${w.trials}`,
        n === HEURISTIC
          ? ''
          : `${(100 * g.mean).toFixed(1)} (${(100 * g.lo).toFixed(1)} to ${(100 * g.hi).toFixed(1)})`,
        (a.episodes.reduce((s, e) => s + e.steps, 0) / a.episodes.length).toFixed(1),
      ];
    }),
  );
  const perTask = table(
    ['task', ...Object.keys(agent)],
    TASKS.map((t) => [
      t.id,
      ...Object.values(agent).map((a) => {
        const es = a.episodes.filter((e) => e.taskId === t.id);
        return `${es.filter((e) => e.success).length}/${es.length}`;
      }),
    ]),
  );
  const md = [
    `# rlvr-world demo: web${o.quick ? ' (quick profile)' : ''}`,
    '',
    `Command: \`${info.command}\` at commit \`${String(info.commit).slice(0, 12)}\`${info.dirty ? ' (with local changes)' : ''}; wall time ${info.wallMinutes} min on ${(info.machine as { cpus: number }).cpus} CPUs.`,
    '',
    `Data: ${manifest.counts.train} training and ${manifest.counts.test} held-out transitions, collected in Chromium over the local shop, forum and admin sites (${JSON.stringify(manifest.recipe)}).`,
    `The model sees a window of ${view ? view.maxLines : 'all'} tree nodes around the action's element and predicts the change inside it (src/domains/web/view.ts).`,
    `World model: LLaMA decoder, ${params.toLocaleString()} parameters (${JSON.stringify(p.model)}), byte-level BPE of ${domain.codec.vocabSize} tokens.`,
    `MLE: ${JSON.stringify(p.mle)}. RLVR (GRPO on F1, from the MLE model): ${JSON.stringify(p.grpo)}.`,
    `Stage times (min): ${summary()}.`,
    '',
    `## Page-change F1 on ${test.length} held-out transitions (greedy decoding)`,
    '',
    f1Table,
    '',
    controlNote(cont),
    '',
    `## Agent: model-predictive control on ${TASKS.length} tasks × ${p.agent.seeds} app states`,
    '',
    `Each step the heuristic policy proposes ${p.agent.candidates} actions; with a trained world model, each is predicted (a window of the next page), the prediction is rated against the objective, and the best is executed in Chromium. The perfect world model replays each candidate in a second Chromium and gives the whole next page, so the planner searches several actions ahead (${JSON.stringify(p.agent.lookahead)}): the ceiling a world model could reach through this planner. Success is read from the apps' state. At most ${p.agent.maxSteps} steps; app states ${AGENT_SEED} + 1000·state + task index.`,
    '',
    agentTable,
    '',
    perTask,
    '',
    ...headroomSection(headroom),
    '## RL curves',
    '',
    `![reward and F1 over RL steps](${plotFile})`,
    '',
    '## Example predictions (held-out)',
    '',
    ...examples(evals, 2),
    '',
  ].join('\n');
  writeFileSync(join(o.out, 'report.md'), md);
  const metrics = {
    domain: 'web',
    profile: o.quick ? 'quick' : 'default',
    ...info,
    stageMinutes: timings,
    model: { parameters: params, ...p.model, vocabSize: domain.codec.vocabSize },
    data: manifest,
    training: { mle: p.mle, grpo: p.grpo, maxNewTokens: p.maxNewTokens, mleContinued: controlSummary(cont) },
    heldOutF1: Object.fromEntries(
      Object.entries(evals).map(([n, e]) => [n, { ...e.metrics, examples: e.rows.length }]),
    ),
    agent: Object.fromEntries(
      Object.entries(agent).map(([n, a]) => [
        n,
        { successRate: a.successRate, ...agentIntervals[n], episodes: a.episodes },
      ]),
    ),
    agentSettings: p.agent,
    headroom,
  };
  writeFileSync(join(o.out, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(md);
  console.error(`report: ${join(o.out, 'report.md')}`);
}

/** Training reward and held-out F1 over RL steps, from the run's metrics.jsonl. */
async function curves(file: string): Promise<Buffer> {
  const rows = existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, number | string>)
    : [];
  const reward: Series[] = [
    {
      name: 'F1 reward',
      points: rows.filter((x) => x.phase === 'grpo').map((x) => [x.step as number, x['reward/mean'] as number]),
    },
  ];
  const f1: Series[] = [
    {
      name: 'held-out F1',
      points: rows.filter((x) => x.phase === 'grpo-eval').map((x) => [x.step as number, x['eval/f1'] as number]),
    },
  ];
  return linePlotPng(
    [
      { title: 'Training reward', yLabel: 'mean F1 of samples', series: reward },
      { title: 'Held-out F1 (greedy)', yLabel: 'F1', series: f1 },
    ],
    'RL step',
  );
}

/** Truth and each model's prediction on a few held-out transitions where the models differ. */
function examples(ev: Record<string, Eval>, n: number): string[] {
  const names = ['MLE', CONTINUED, 'RLVR'].filter((k) => ev[k]);
  const rows = ev[names[0]!]!.rows;
  const picked = rows
    .map((_, i) => i)
    .filter((i) => new Set(names.map((k) => ev[k]!.rows[i]!.scores.f1)).size > 1)
    .slice(0, n);
  return picked.flatMap((i) => {
    const e = rows[i]!.example;
    return [
      `### ${e.id}: \`${e.prompt.split('\n').find((l) => l.startsWith('ACTION:')) ?? ''}\` on ${e.url ?? ''}`,
      '',
      '```',
      '# truth',
      e.truth,
      ...names.flatMap((k) => [`# ${k} (F1 ${ev[k]!.rows[i]!.scores.f1?.toFixed(3)})`, ev[k]!.rows[i]!.prediction]),
      '```',
      '',
    ];
  });
}
