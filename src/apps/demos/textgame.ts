// `rlvr-world demo textgame`: the main job. Play the built-in games for data, train the
// tokenizer and the MLE world model, run RLVR from it with the binary and with the
// task-specific reward, evaluate every model (and the no-change baseline) on held-out
// transitions, held-out games and optionally the real ByteSized32 set, and write a report.
import { mkdirSync, writeFileSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../train/config/load.js';
import { textgameDomain, type TgExample, type TgPrediction } from '../../domains/textgame/index.js';
import type { WorldModelDomain } from '../../train/domain.js';
import { trainMle } from '../../train/mle.js';
import { trainGrpo } from '../../train/grpo.js';
import { evaluate, scorePredictions, type EvalResult } from '../../train/evaluate.js';
import { metricGain, type BootstrapInterval } from '../../train/bootstrap.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { linePlotPng, type Series } from '../report/plot.js';
import { table, pct } from '../../core/util/markdown.js';
import { runInfo, gitState, stageTimer } from '../report/run-info.js';
import type { DiagnoseReport } from '../../train/diagnose.js';
import { diagnoseDemo, headroomSection } from './headroom.js';
import type { TextgameProfile } from '../../domains/textgame/demo.js';
import { readManifest } from '../../domains/manifest.js';
import { CONTINUED, continueMleControl, controlNote, controlSummary, continuedSteps } from './control.js';

export interface TextgameDemoOptions {
  quick: boolean;
  out: string;
  threads: number;
  realSet?: string;
  profile: TextgameProfile;
}

type Eval = EvalResult<TgExample, TgPrediction>;
const NO_CHANGE: TgPrediction = {
  text: ' {"modified": [], "removed": [], "score": {}}',
  answer: { modified: [], removed: [], score: {} },
};

export async function runTextgameDemo(o: TextgameDemoOptions): Promise<void> {
  const t0 = Date.now();
  const git = gitState(); // the code that runs is the code at the start
  const p = o.profile;
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  const domainOptions = { ...p.domainOptions, dataDir: join(o.out, 'data') };
  const base = { domain: 'textgame', seed: 0, threads: o.threads, domainOptions, model: p.model };
  const { timed, minutes: timings, summary } = stageTimer('textgame');

  const domain = await timed('data + tokenizer', () => textgameDomain(domainOptions));
  const manifest = readManifest<any>(domainOptions.dataDir)!;
  const mleCfg = validateConfig({ ...base, runDir: join(o.out, 'mle'), mle: p.mle });
  const mle = await timed('MLE', () => trainMle(mleCfg, domain));
  const test = await domain.examples('test');
  const diagnosed = (m: LlamaForCausalLM): Promise<DiagnoseReport> =>
    diagnoseDemo(m, domain, test, p.headroom, p.maxNewTokens);
  const headroomMle = await timed('headroom: MLE', () => diagnosed(mle.model));
  const rl: Record<string, { model: LlamaForCausalLM; checkpoint: string }> = {};
  const headroomRl: Record<string, DiagnoseReport> = {};
  for (const r of p.rewards) {
    rl[r] = await timed(`RLVR (${r} reward)`, () =>
      trainGrpo(
        validateConfig({
          ...base,
          runDir: join(o.out, `rlvr-${r}`),
          init: mle.checkpoint,
          grpo: { ...p.grpo, rewards: { [r]: 1 } },
        }),
        domain,
      ),
    );
    headroomRl[`RLVR (${r})`] = await timed(`headroom: RLVR (${r})`, () => diagnosed(rl[r]!.model));
  }
  // one control for all rewards: matched to the longest RLVR run
  const rlDirs = p.rewards.map((r) => join(o.out, `rlvr-${r}`));
  const cont = await timed(CONTINUED, () =>
    continueMleControl(mleCfg, domain, mle.checkpoint, rlDirs, join(o.out, 'mle-continued')),
  );
  const headroom = {
    MLE: headroomMle,
    [CONTINUED]: await timed(`headroom: ${CONTINUED}`, () => diagnosed(cont.model)),
    ...headroomRl,
  };

  // ---- evaluation ----
  const models: [string, LlamaForCausalLM][] = [
    ['MLE', mle.model],
    [CONTINUED, cont.model],
    ...p.rewards.map((r): [string, LlamaForCausalLM] => [`RLVR (${r})`, rl[r]!.model]),
  ];
  const evalOn = async (
    d: WorldModelDomain<TgExample, TgPrediction>,
    examples: TgExample[],
  ): Promise<Record<string, Eval>> => {
    const out: Record<string, Eval> = {
      'no-change baseline': await scorePredictions(
        d,
        examples,
        examples.map(() => NO_CHANGE),
      ),
    };
    for (const [name, m] of models) out[name] = await evaluate(m, d, examples, { maxNewTokens: p.maxNewTokens });
    return out;
  };
  const testEval = await timed('evaluation: held-out transitions', () => evalOn(domain, test));
  const heldDomain = await textgameDomain({ ...domainOptions, evalSet: 'heldout' });
  const held = await heldDomain.examples('test');
  const heldEval = held.length ? await timed('evaluation: held-out games', () => evalOn(heldDomain, held)) : {};
  let real: { all: Eval; sample: Record<string, Eval>; file: string } | undefined;
  if (o.realSet) {
    const realAll = await textgameDomain({ ...domainOptions, evalSet: o.realSet });
    const allEx = await realAll.examples('test');
    const realSample = await textgameDomain({ ...domainOptions, evalSet: o.realSet, evalLimit: p.realLimit });
    const sampleEx = await realSample.examples('test');
    real = {
      file: o.realSet,
      all: await scorePredictions(
        realAll,
        allEx,
        allEx.map(() => NO_CHANGE),
      ),
      sample: await timed('evaluation: real ByteSized32 set', () => evalOn(realSample, sampleEx)),
    };
  }

  // ---- report ----
  const params = mle.model.numParameters();
  const info = runInfo(t0, git);
  const plotFile = 'rl-curves.png';
  writeFileSync(join(o.out, plotFile), await curves(o.out, p.rewards));
  const mlePlotFile = 'mle-curves.png';
  writeFileSync(join(o.out, mlePlotFile), await mleCurves(join(o.out, 'mle'), join(o.out, 'mle-continued')));
  const row = (name: string, e: Eval, steps: string): (string | number)[] => [
    name,
    pct(e.metrics.accuracy),
    pct(e.metrics.accuracy_dynamic),
    pct(e.metrics.accuracy_static),
    e.metrics.task_specific!,
    pct(e.metrics.parse_rate),
    steps,
  ];
  const steps = (name: string): string =>
    name === 'MLE'
      ? `${(p.mle as { steps: number }).steps} MLE`
      : name === CONTINUED
        ? continuedSteps(cont)
        : name.startsWith('RLVR')
          ? `+${(p.grpo as { steps: number }).steps} RL`
          : '–';
  const note = controlNote(cont, "the longest RLVR run's");
  const header = ['model', 'exact acc (all)', 'dynamic', 'static', 'task-specific', 'parsed', 'steps'];
  const evalTable = (ev: Record<string, Eval>): string =>
    table(
      header,
      Object.entries(ev).map(([n, e]) => row(n, e, steps(n))),
    );
  const countLine = (ev: Record<string, Eval>): string => {
    const e = Object.values(ev)[0]!;
    return `${e.rows.length} transitions: ${e.counts.accuracy_dynamic} dynamic, ${e.counts.accuracy_static} static.`;
  };
  const examples = await exampleRows(testEval, 3);
  const gains = gainRows(testEval, p.rewards);
  const md = [
    `# rlvr-world demo: textgame${o.quick ? ' (quick profile)' : ''}`,
    '',
    `Command: \`${info.command}\` at commit \`${String(info.commit).slice(0, 12)}\`${info.dirty ? ' (with local changes)' : ''}; wall time ${info.wallMinutes} min on ${(info.machine as { cpus: number }).cpus} CPUs.`,
    '',
    `World model: LLaMA decoder, ${params.toLocaleString()} parameters (${JSON.stringify(p.model)}), byte-level BPE of ${domain.codec.vocabSize} tokens trained on the training transitions.`,
    `Data: ${manifest.counts.train} training transitions from ${manifest.trainGames.length} games; held-out games: ${(manifest.recipe.heldOutGames as string[]).join(', ') || 'none'}.`,
    `MLE: ${JSON.stringify(p.mle)}. RLVR (GRPO, from the MLE model, one run per reward): ${JSON.stringify(p.grpo)}.`,
    `Stage times (min): ${summary()}.`,
    '',
    '## Held-out transitions of the training games (greedy decoding)',
    '',
    countLine(testEval),
    '',
    evalTable(testEval),
    '',
    note,
    '',
    '### Gains of RL (paired bootstrap over the held-out transitions, 95%)',
    '',
    table(['RLVR run', 'against', 'metric', 'gain (points)', '95% interval', 'transitions'], gains.map(gainCells)),
    '',
    ...(held.length ? ['## Games never seen in training', '', countLine(heldEval), '', evalTable(heldEval), ''] : []),
    ...(real
      ? [
          '## The real ByteSized32 set',
          '',
          `\`${real.file}\`: the no-change baseline over all ${real.all.rows.length} transitions scores ${pct(real.all.metrics.accuracy)} exact (dynamic ${pct(real.all.metrics.accuracy_dynamic)}, static ${pct(real.all.metrics.accuracy_static)}; ${real.all.counts.accuracy_dynamic} dynamic, ${real.all.counts.accuracy_static} static).`,
          `The models, trained only on the built-in games, on a seeded sample: ${countLine(real.sample)}`,
          '',
          evalTable(real.sample),
          '',
        ]
      : []),
    ...headroomSection(headroom),
    '## MLE curves',
    '',
    `![loss and accuracy over MLE steps](${mlePlotFile})`,
    '',
    `Left: training loss (mean target-token cross-entropy). Right: exact accuracy of greedy predictions on a seeded sample of the held-out transitions (\`mle.evalExamples\`), evaluated during MLE and during the ${CONTINUED} control.`,
    '',
    '## RL curves',
    '',
    `![reward and accuracy over RL steps](${plotFile})`,
    '',
    'Left: mean training reward of the sampled predictions (G per prompt). Right: exact accuracy of greedy predictions on a seeded sample of the held-out transitions (`grpo.evalExamples`), evaluated during RL.',
    '',
    '## Example predictions (held-out dynamic transitions)',
    '',
    ...examples,
    '',
  ].join('\n');
  writeFileSync(join(o.out, 'report.md'), md);
  const summarize = (ev: Record<string, Eval>) =>
    Object.fromEntries(Object.entries(ev).map(([n, e]) => [n, { ...e.metrics, counts: e.counts }]));
  const metrics = {
    domain: 'textgame',
    profile: o.quick ? 'quick' : 'default',
    ...info,
    stageMinutes: timings,
    model: { parameters: params, ...p.model, vocabSize: domain.codec.vocabSize },
    data: manifest,
    training: { mle: p.mle, grpo: p.grpo, rewards: p.rewards, mleContinued: controlSummary(cont) },
    heldOutTransitions: summarize(testEval),
    gains: gains.map((g) => ({ run: g.run, against: g.against, metric: g.metric, ...g.interval })),
    heldOutGames: summarize(heldEval),
    headroom,
    curves: learningCurves(o.out, p.rewards),
    ...(real
      ? {
          bytesized32: {
            file: real.file,
            baselineAll: { ...real.all.metrics, counts: real.all.counts },
            sample: summarize(real.sample),
          },
        }
      : {}),
  };
  writeFileSync(join(o.out, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(md);
  console.error(`report: ${join(o.out, 'report.md')}`);
}

/** The learning curves as numbers: held-out accuracy during MLE and its control, and per RL run the training reward and held-out accuracy. */
function learningCurves(out: string, rewards: string[]): Record<string, unknown> {
  const pick = (rows: Record<string, number | string>[], phase: string, keys: string[]) =>
    rows
      .filter((x) => x.phase === phase)
      .map((x) => Object.fromEntries([['step', x.step], ...keys.filter((k) => k in x).map((k) => [k, x[k]])]));
  const evalKeys = ['eval/accuracy', 'eval/accuracy_dynamic', 'eval/accuracy_static'];
  return {
    mle: pick(logRows(join(out, 'mle')), 'mle-eval', evalKeys),
    [CONTINUED]: pick(logRows(join(out, 'mle-continued')), 'mle-eval', evalKeys),
    ...Object.fromEntries(
      rewards.map((r) => {
        const rows = logRows(join(out, `rlvr-${r}`));
        return [
          `RLVR (${r})`,
          {
            train: pick(rows, 'grpo', ['reward/mean', 'zero_spread_groups', 'kl', 'entropy']),
            eval: pick(rows, 'grpo-eval', evalKeys),
          },
        ];
      }),
    ),
  };
}

/** A run's metrics.jsonl rows (none when it has no log). */
function logRows(runDir: string): Record<string, number | string>[] {
  const f = join(runDir, 'metrics.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as Record<string, number | string>);
}

/** The plot of training loss and held-out accuracy over MLE steps: the MLE run, then its continued control. */
async function mleCurves(mleDir: string, continuedDir: string): Promise<Buffer> {
  const loss: Series[] = [],
    acc: Series[] = [];
  for (const [name, dir] of [
    ['MLE', mleDir],
    [CONTINUED, continuedDir],
  ] as const) {
    const rows = logRows(dir);
    loss.push({
      name,
      points: rows.filter((x) => x.phase === 'mle').map((x) => [x.step as number, x.loss as number]),
    });
    const ev = rows.filter((x) => x.phase === 'mle-eval');
    for (const [label, key] of [
      ['all', 'eval/accuracy'],
      ['dynamic', 'eval/accuracy_dynamic'],
    ] as const)
      acc.push({ name: `${name}: ${label}`, points: ev.map((x) => [x.step as number, x[key] as number]) });
  }
  return linePlotPng(
    [
      { title: 'Training loss', yLabel: 'cross-entropy', series: loss },
      { title: 'Held-out exact accuracy', yLabel: 'accuracy', series: acc },
    ],
    'MLE step',
  );
}

/** The plot of training reward and held-out accuracy over RL steps, from the runs' metrics.jsonl. */
async function curves(out: string, rewards: string[]): Promise<Buffer> {
  const reward: Series[] = [],
    acc: Series[] = [];
  for (const r of rewards) {
    const rows = logRows(join(out, `rlvr-${r}`));
    if (!rows.length) continue;
    reward.push({
      name: `${r} reward`,
      points: rows.filter((x) => x.phase === 'grpo').map((x) => [x.step as number, x['reward/mean'] as number]),
    });
    const ev = rows.filter((x) => x.phase === 'grpo-eval');
    acc.push({ name: `${r}: all`, points: ev.map((x) => [x.step as number, x['eval/accuracy'] as number]) });
    acc.push({
      name: `${r}: dynamic`,
      points: ev.map((x) => [x.step as number, x['eval/accuracy_dynamic'] as number]),
    });
  }
  return linePlotPng(
    [
      { title: 'Training reward', yLabel: 'mean reward of samples', series: reward },
      { title: 'Held-out exact accuracy', yLabel: 'accuracy', series: acc },
    ],
    'RL step',
  );
}

/** Truth vs each model's prediction on a few dynamic transitions where the models differ. */
async function exampleRows(ev: Record<string, Eval>, n: number): Promise<string[]> {
  const names = Object.keys(ev).filter((k) => k !== 'no-change baseline');
  const rows = ev[names[0]!]!.rows;
  const picked = rows
    .map((r, i) => i)
    .filter((i) => rows[i]!.example.dynamic && new Set(names.map((k) => ev[k]!.rows[i]!.scores.accuracy)).size > 1)
    .slice(0, n);
  if (picked.length < n)
    picked.push(
      ...rows
        .map((r, i) => i)
        .filter((i) => rows[i]!.example.dynamic && !picked.includes(i))
        .slice(0, n - picked.length),
    );
  return picked.flatMap((i) => {
    const e = rows[i]!.example;
    return [
      `### ${e.id}: \`${e.action}\``,
      '',
      '```',
      `truth:   ${JSON.stringify(e.diff)}`,
      ...names.map(
        (k) =>
          `${k.padEnd(8)}: ${ev[k]!.rows[i]!.prediction?.text.trim() ?? '(nothing)'}  [exact ${ev[k]!.rows[i]!.scores.accuracy}]`,
      ),
      '```',
      '',
    ];
  });
}

interface Gain {
  run: string;
  against: string;
  metric: string;
  interval: BootstrapInterval;
}

/** Each RLVR run's gain over MLE and over the compute-matched control, per accuracy split, with its bootstrap interval. */
function gainRows(ev: Record<string, Eval>, rewards: string[]): Gain[] {
  const scores = (name: string) => ev[name]!.rows.map((r) => r.scores);
  const out: Gain[] = [];
  for (const r of rewards)
    for (const against of ['MLE', CONTINUED])
      for (const metric of ['accuracy_dynamic', 'accuracy_static', 'accuracy'])
        out.push({
          run: `RLVR (${r})`,
          against,
          metric,
          interval: metricGain(scores(against), scores(`RLVR (${r})`), metric, { seed: 0 }),
        });
  return out;
}

const points = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
const gainCells = (g: Gain): (string | number)[] => [
  g.run,
  g.against,
  g.metric,
  points(g.interval.mean),
  `[${points(g.interval.lo)}, ${points(g.interval.hi)}]`,
  g.interval.examples,
];
