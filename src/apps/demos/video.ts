// `rlvr-world demo video`: simulator episodes → frame tokenizers → for single-step and for
// interactive multi-step prediction: MLE, then RLVR (GRPO on the decoded frames' error) →
// evaluation on held-out episodes (with a copy-the-last-frame baseline) → policy evaluation
// inside the single-step world models → report with side-by-side GIFs.
import { mkdirSync, writeFileSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../train/config/load.js';
import { videoWorld, type VideoWorld, type VideoExample, type VideoPrediction } from '../../domains/video/index.js';
import type { VideoProfile } from '../../domains/video/demo.js';
import { ActionBins } from '../../domains/video/actions.js';
import { evaluateInSimulator, evaluateInWorldModel, spearman } from '../../domains/video/policy-eval.js';
import type { PolicyName } from '../../domains/video/sim/index.js';
import { trainMle } from '../../train/mle.js';
import { trainGrpo } from '../../train/grpo.js';
import { evaluate, scorePredictions, type EvalResult } from '../../train/evaluate.js';
import { manualSeed } from '../../core/tensor/index.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { linePlotPng, type Series } from '../report/plot.js';
import { sideBySideGif } from '../report/gif.js';
import { table } from '../../core/util/markdown.js';
import { runInfo, gitState, stageTimer } from '../report/run-info.js';
import type { DiagnoseReport } from '../../train/diagnose.js';
import { readManifest } from '../../domains/manifest.js';
import { diagnoseDemo, headroomSection } from './headroom.js';
import {
  CONTINUED,
  continueMleControl,
  controlNote,
  controlSummary,
  continuedSteps,
  type Continued,
} from './control.js';

export interface VideoDemoOptions {
  quick: boolean;
  out: string;
  threads: number;
  lpipsOnnx?: string;
  profile: VideoProfile;
}

type Eval = EvalResult<VideoExample, VideoPrediction>;
const TASKS = ['single', 'multi'] as const;

export async function runVideoDemo(o: VideoDemoOptions): Promise<void> {
  const t0 = Date.now();
  const git = gitState();
  const p = o.profile;
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  const { timed, minutes: timings, summary } = stageTimer('video');
  const domainOptions = {
    ...p.domainOptions,
    dataDir: join(o.out, 'data'),
    ...(o.lpipsOnnx ? { lpipsOnnx: o.lpipsOnnx } : {}),
  };
  const results: Record<
    string,
    {
      evals: Record<string, Eval>;
      params: number;
      examples: { train: number; test: number };
      mleSteps: number;
      grpoSteps: number;
      continued: Continued;
    }
  > = {};
  const models: Record<string, { mle: LlamaForCausalLM; continued: LlamaForCausalLM; rl: LlamaForCausalLM }> = {};
  const worlds: Record<string, VideoWorld> = {};
  const headroom: Record<string, DiagnoseReport> = {};

  for (const task of TASKS) {
    const world = await timed(`${task}-step data + tokenizers`, () => videoWorld({ ...domainOptions, task }));
    worlds[task] = world;
    const domain = world.domain;
    const base = {
      domain: 'video',
      seed: 0,
      threads: o.threads,
      domainOptions: { ...domainOptions, task },
      model: p.model,
    };
    const mleCfg = validateConfig({ ...base, runDir: join(o.out, `${task}-mle`), mle: p.mle });
    const mle = await timed(`${task}-step MLE`, () => trainMle(mleCfg, domain));
    const held = await domain.examples('test');
    const diagnosed = (m: LlamaForCausalLM): Promise<DiagnoseReport> => diagnoseDemo(m, domain, held, p.headroom, 1024);
    headroom[`${task}-step MLE`] = await timed(`${task}-step headroom: MLE`, () => diagnosed(mle.model));
    const rl = await timed(`${task}-step RLVR`, () =>
      trainGrpo(
        validateConfig({ ...base, runDir: join(o.out, `${task}-rlvr`), init: mle.checkpoint, grpo: p.grpo }),
        domain,
      ),
    );
    const cont = await timed(`${task}-step ${CONTINUED}`, () =>
      continueMleControl(
        mleCfg,
        domain,
        mle.checkpoint,
        [join(o.out, `${task}-rlvr`)],
        join(o.out, `${task}-mle-continued`),
      ),
    );
    headroom[`${task}-step ${CONTINUED}`] = await timed(`${task}-step headroom: ${CONTINUED}`, () =>
      diagnosed(cont.model),
    );
    headroom[`${task}-step RLVR`] = await timed(`${task}-step headroom: RLVR`, () => diagnosed(rl.model));
    models[task] = { mle: mle.model, continued: cont.model, rl: rl.model };
    const test = (await domain.examples('test')).slice(0, p.evalExamples);
    const evals = await timed(`${task}-step evaluation`, async () => {
      const ev: Record<string, Eval> = {
        'copy last frame': await scorePredictions(
          domain,
          test,
          test.map((e) => ({ frames: e.truth.map(() => e.context) })),
        ),
      };
      for (const [name, m] of [
        ['MLE', mle.model],
        [CONTINUED, cont.model],
        ['RLVR', rl.model],
      ] as const) {
        manualSeed(1234); // the same sampling stream for every model (validation samples with top-k 100, as published)
        ev[name] = await evaluate(m, domain, test, { greedy: false, topK: 100, maxNewTokens: 1024 });
      }
      return ev;
    });
    results[task] = {
      evals,
      params: mle.model.numParameters(),
      examples: { train: (await domain.examples('train')).length, test: test.length },
      mleSteps: (p.mle as { steps: number }).steps,
      grpoSteps: (p.grpo as { steps: number }).steps,
      continued: cont,
    };
    // side-by-side GIFs: truth | MLE | RLVR (multi-step: the context, then the K predicted frames)
    const { rows } = evals.MLE!;
    for (let k = 0; k < Math.min(p.gifs, rows.length); k++) {
      const i = Math.floor((k * rows.length) / p.gifs),
        e = rows[i]!.example;
      const seq = (pred: VideoPrediction): Uint8Array[] => [
        e.context,
        ...(pred?.frames ?? e.truth.map(() => new Uint8Array(e.context.length))),
      ];
      writeFileSync(
        join(o.out, `${task}-${k}.gif`),
        sideBySideGif([
          { frames: [e.context, ...e.truth], height: e.height, width: e.width },
          { frames: seq(evals.MLE!.rows[i]!.prediction), height: e.height, width: e.width },
          { frames: seq(evals.RLVR!.rows[i]!.prediction), height: e.height, width: e.width },
        ]),
      );
    }
  }

  // ---- policy evaluation inside the single-step world models ----
  const single = worlds.single!;
  const bins = new ActionBins(single.data.actionMin, single.data.actionMax, single.options.actionBins);
  const pe = {
    episodes: p.policyEval.episodes,
    steps: p.policyEval.steps,
    contextFrames: single.options.contextFrames,
    height: single.options.height,
    width: single.options.width,
    seed: 100_000,
  };
  const policies: PolicyName[] = ['expert', 'noisy', 'weak', 'random'];
  const policyEval = await timed('policy evaluation', () => {
    const real = evaluateInSimulator({ ...pe, policies });
    const out: Record<string, Record<string, number>> = { simulator: Object.fromEntries(real) };
    for (const [name, m] of [
      ['MLE', models.single!.mle],
      [CONTINUED, models.single!.continued],
      ['RLVR', models.single!.rl],
    ] as const) {
      out[name] = Object.fromEntries(evaluateInWorldModel(m, single.data.tokenizer, bins, { ...pe, policies }));
    }
    return out;
  });
  const rank = (name: string): number =>
    spearman(
      policies.map((q) => policyEval.simulator![q]!),
      policies.map((q) => policyEval[name]![q]!),
    );
  const correlations: Record<string, number> = { MLE: rank('MLE'), [CONTINUED]: rank(CONTINUED), RLVR: rank('RLVR') };

  // ---- report ----
  const info = runInfo(t0, git);
  const manifest = readManifest<any>(domainOptions.dataDir)!;
  writeFileSync(join(o.out, 'rl-curves.png'), await curves(o.out));
  const lpipsNote = single.lpips
    ? `LPIPS from \`${single.lpips.path}\``
    : 'LPIPS: unavailable (no LPIPS network given; `--lpips-onnx FILE` supplies one) — the reward is -MAE (single-step) and -MSE (multi-step)';
  const metricNames = ['mse', 'mae', 'psnr', 'ssim', ...(single.lpips ? ['lpips'] : []), 'repetition'];
  const evalTable = (task: string): string =>
    table(
      ['model', ...metricNames, 'steps'],
      Object.entries(results[task]!.evals).map(([n, e]) => [
        n,
        ...metricNames.map((k) =>
          k === 'repetition' ? `${(100 * e.metrics[k]!).toFixed(1)}%` : e.metrics[k]!.toFixed(k === 'psnr' ? 2 : 4),
        ),
        n === 'MLE'
          ? `${results[task]!.mleSteps} MLE`
          : n === CONTINUED
            ? continuedSteps(results[task]!.continued)
            : n === 'RLVR'
              ? `+${results[task]!.grpoSteps} RL`
              : '–',
      ]),
    ) + `\n\n${controlNote(results[task]!.continued)}`;
  const peModels = ['MLE', CONTINUED, 'RLVR'];
  const peTable = table(
    ['policy', 'simulator', ...peModels.map((k) => `${k} world model`)],
    policies.map((q) => [q, ...['simulator', ...peModels].map((k) => `${(100 * policyEval[k]![q]!).toFixed(0)}%`)]),
  );
  const gifs = (task: string): string[] =>
    Array.from({ length: p.gifs }, (_, k) => `![${task}-step example ${k}: truth, MLE, RLVR](${task}-${k}.gif)`);
  const md = [
    `# rlvr-world demo: robot video${o.quick ? ' (quick profile)' : ''}`,
    '',
    `Command: \`${info.command}\` at commit \`${String(info.commit).slice(0, 12)}\`${info.dirty ? ' (with local changes)' : ''}; wall time ${info.wallMinutes} min on ${(info.machine as { cpus: number }).cpus} CPUs.`,
    '',
    `Data: ${manifest.counts.train} training and ${manifest.counts.test} held-out simulator episodes (${JSON.stringify(p.domainOptions)}).`,
    `Frame tokenizer: ${manifest.tokenizer.parameters.toLocaleString()} parameters; held-out reconstruction PSNR **${manifest.tokenizer.psnr.toFixed(2)} dB** over ${manifest.tokenizer.frames} frames (codebook usage ${(100 * manifest.tokenizer.codebookUsage).toFixed(1)}%).`,
    manifest.compressive
      ? `Compressive tokenizer: ${manifest.compressive.parameters.toLocaleString()} parameters; held-out future frames coded given the context: PSNR **${manifest.compressive.psnr.toFixed(2)} dB** (copying the context: ${manifest.compressive.copyContextPsnr.toFixed(2)} dB).`
      : '',
    `World models: LLaMA decoders of ${results.single!.params.toLocaleString()} parameters (${JSON.stringify(p.model)}). MLE: ${JSON.stringify(p.mle)}. RLVR: ${JSON.stringify(p.grpo)}.`,
    `${lpipsNote}. Evaluation samples with top-k 100 (as the published validation), the same seed for both models.`,
    `Stage times (min): ${summary()}.`,
    '',
    `## Single-step (4 context frames → next frame), ${results.single!.examples.test} held-out transitions`,
    '',
    evalTable('single'),
    '',
    ...gifs('single'),
    '',
    `## Multi-step, interactive (context frame → ${single.options.futureFrames} frames, true actions given between them), ${results.multi!.examples.test} held-out starts`,
    '',
    evalTable('multi'),
    '',
    ...gifs('multi'),
    '',
    'GIFs: left the truth, middle MLE, right RLVR; the first frame is the (last) context frame.',
    '',
    `## Policy evaluation in the world model (${pe.episodes} episodes per policy, ${pe.steps} steps; success rate)`,
    '',
    peTable,
    '',
    `Spearman rank correlation with the simulator: ${peModels.map((k) => `${k} world model ${fmt(correlations[k]!)}`).join(', ')}.`,
    '',
    ...headroomSection(headroom),
    '## RL curves',
    '',
    '![reward and held-out error over RL steps](rl-curves.png)',
    '',
  ].join('\n');
  writeFileSync(join(o.out, 'report.md'), md);
  const summarize = (ev: Record<string, Eval>) =>
    Object.fromEntries(Object.entries(ev).map(([n, e]) => [n, { ...e.metrics, counts: e.counts }]));
  const metrics = {
    domain: 'video',
    profile: o.quick ? 'quick' : 'default',
    ...info,
    stageMinutes: timings,
    lpips: single.lpips ? single.lpips.path : 'unavailable',
    data: manifest,
    model: { parameters: results.single!.params, ...p.model },
    training: {
      mle: p.mle,
      grpo: p.grpo,
      mleContinued: Object.fromEntries(TASKS.map((t) => [t, controlSummary(results[t]!.continued)])),
    },
    singleStep: { examples: results.single!.examples, ...summarize(results.single!.evals) },
    multiStep: { examples: results.multi!.examples, ...summarize(results.multi!.evals) },
    policyEvaluation: { ...pe, successRates: policyEval, spearman: correlations },
    headroom,
  };
  writeFileSync(join(o.out, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(md);
  console.error(`report: ${join(o.out, 'report.md')}`);
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'undefined (a constant column)');

async function curves(out: string): Promise<Buffer> {
  const reward: Series[] = [],
    err: Series[] = [];
  for (const task of TASKS) {
    const f = join(out, `${task}-rlvr`, 'metrics.jsonl');
    if (!existsSync(f)) continue;
    const rows = readFileSync(f, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number | string>);
    reward.push({
      name: `${task}-step`,
      points: rows.filter((x) => x.phase === 'grpo').map((x) => [x.step as number, x['reward/mean'] as number]),
    });
    err.push({
      name: `${task}-step MAE`,
      points: rows.filter((x) => x.phase === 'grpo-eval').map((x) => [x.step as number, x['eval/mae'] as number]),
    });
  }
  return linePlotPng(
    [
      { title: 'Training reward', yLabel: 'mean reward of samples', series: reward },
      { title: 'Held-out MAE', yLabel: 'MAE', series: err },
    ],
    'RL step',
  );
}
