// `rlvr-world demo`: the end-to-end job on a built-in world, with no downloads:
// data → MLE → RLVR (GRPO) → evaluation of both → report folder.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../train/config/load.js';
import { getDomain } from '../../domains/registry.js';
import { trainMle } from '../../train/mle.js';
import { trainGrpo } from '../../train/grpo.js';
import { evaluate } from '../../train/evaluate.js';
import type { DiagnoseReport } from '../../train/diagnose.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { runTextgameDemo, type TextgameProfile } from './textgame.js';
import { runVideoDemo, type VideoProfile } from './video.js';
import { runWebDemo, type WebProfile } from './web.js';
import { diagnoseDemo, headroomSection, type HeadroomProfile } from './headroom.js';
import { CONTINUED, continueMleControl, controlNote, controlSummary } from './control.js';

/** The main job's profiles: quick shows the pipeline in minutes; default is what the README quotes. */
const TEXTGAME: { quick: TextgameProfile; full: TextgameProfile } = {
  quick: {
    domainOptions: { trainEpisodesPerGame: 12, testEpisodesPerGame: 4, vocabSize: 768 },
    model: { hiddenSize: 64, intermediateSize: 172, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: { steps: 150, batchSize: 16, learningRate: 3e-3, evalSteps: 150, evalExamples: 32, saveSteps: 150, loggingSteps: 25, samplesSteps: 150 },
    grpo: { steps: 6, promptsPerStep: 8, numGenerations: 4, maxCompletionLength: 160, learningRate: 2e-4, dynamicSampling: { enabled: true, maxRounds: 2 }, evalSteps: 3, evalExamples: 32, saveSteps: 6, samplesSteps: 6 },
    rewards: ['binary', 'task_specific'],
    maxNewTokens: 160,
    realLimit: 40,
    headroom: { examples: 32, samples: 8, ks: [1, 4, 8] },
  },
  full: {
    domainOptions: { trainEpisodesPerGame: 60, testEpisodesPerGame: 12, vocabSize: 1024 },
    model: { hiddenSize: 128, intermediateSize: 344, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: { steps: 1500, batchSize: 16, learningRate: 2e-3, evalSteps: 250, evalExamples: 100, saveSteps: 250, loggingSteps: 25, samplesSteps: 250 },
    grpo: { steps: 60, promptsPerStep: 16, numGenerations: 5, maxCompletionLength: 256, learningRate: 1e-4, dynamicSampling: { enabled: true, maxRounds: 2 }, evalSteps: 10, evalExamples: 100, saveSteps: 10, samplesSteps: 20 },
    rewards: ['binary', 'task_specific'],
    maxNewTokens: 256,
    realLimit: 200,
    headroom: { examples: 64, samples: 16, ks: [1, 5, 16] },
  },
};

/** The video demo: quick shows the pipeline in minutes on 2 cores; default is what results/video.json holds. */
const VIDEO: { quick: VideoProfile; full: VideoProfile } = {
  quick: {
    domainOptions: { trainEpisodes: 60, testEpisodes: 12, episodeLength: 24, tokenizer: { steps: 300, channels: 16 }, compressive: { steps: 300, channels: 16 } },
    model: { hiddenSize: 64, intermediateSize: 172, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: { steps: 150, batchSize: 16, learningRate: 3e-3, evalSteps: 150, evalExamples: 16, saveSteps: 150, loggingSteps: 25, samplesSteps: 1000 },
    grpo: { steps: 5, promptsPerStep: 4, numGenerations: 4, maxCompletionLength: 512, learningRate: 1e-4, entropyCoef: 0, clipRatioC: 3, evalGreedy: false, evalTopK: 100, evalSteps: 5, evalExamples: 16, saveSteps: 5, samplesSteps: 1000 },
    evalExamples: 24,
    policyEval: { episodes: 4, steps: 16 },
    gifs: 2,
    headroom: { examples: 16, samples: 8, ks: [1, 4, 8] },
  },
  full: {
    domainOptions: { trainEpisodes: 160, testEpisodes: 30, episodeLength: 28, tokenizer: { steps: 1000, channels: 16, batchSize: 16 }, compressive: { steps: 1000, channels: 16, batchSize: 16 } },
    model: { hiddenSize: 96, intermediateSize: 256, numHiddenLayers: 3, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: { steps: 800, batchSize: 16, learningRate: 3e-3, evalSteps: 400, evalExamples: 32, saveSteps: 400, loggingSteps: 25, samplesSteps: 100000 },
    grpo: { steps: 30, promptsPerStep: 8, numGenerations: 8, maxCompletionLength: 512, learningRate: 2e-4, entropyCoef: 0, clipRatioC: 3, evalGreedy: false, evalTopK: 100, evalSteps: 10, evalExamples: 32, saveSteps: 10, samplesSteps: 100000 },
    evalExamples: 150,
    policyEval: { episodes: 12, steps: 28 },
    gifs: 3,
    headroom: { examples: 32, samples: 16, ks: [1, 5, 16] },
  },
};

/** The web demo: quick shows the pipeline in minutes on 2 cores; default is what results/web.json holds. */
const WEB: { quick: WebProfile; full: WebProfile } = {
  quick: {
    domainOptions: { trainEpisodes: 34, testEpisodes: 17, vocabSize: 1024, viewLines: 12 },
    model: { hiddenSize: 64, intermediateSize: 172, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: { steps: 120, batchSize: 8, learningRate: 3e-3, evalSteps: 120, evalExamples: 16, saveSteps: 120, loggingSteps: 20, samplesSteps: 1000 },
    grpo: { steps: 4, promptsPerStep: 4, numGenerations: 4, maxCompletionLength: 300, learningRate: 1e-4, evalSteps: 4, evalExamples: 16, saveSteps: 4, samplesSteps: 1000 },
    maxNewTokens: 300,
    agent: { seeds: 1, candidates: 3, maxSteps: 6 },
    headroom: { examples: 16, samples: 8, ks: [1, 4, 8] },
  },
  full: {
    domainOptions: { trainEpisodes: 150, testEpisodes: 34, vocabSize: 2048, viewLines: 16 },
    model: { hiddenSize: 128, intermediateSize: 344, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: { steps: 900, batchSize: 8, learningRate: 3e-3, evalSteps: 300, evalExamples: 32, saveSteps: 300, loggingSteps: 25, samplesSteps: 100000 },
    grpo: { steps: 30, promptsPerStep: 8, numGenerations: 4, maxCompletionLength: 400, learningRate: 3e-4, dynamicSampling: { enabled: true, maxRounds: 2 }, evalSteps: 10, evalExamples: 32, saveSteps: 10, samplesSteps: 100000 },
    maxNewTokens: 400,
    agent: { seeds: 1, candidates: 4, maxSteps: 8 },
    headroom: { examples: 64, samples: 16, ks: [1, 5, 16] },
  },
};

export interface DemoOptions { quick: boolean; out?: string; threads?: number; realSet?: string; lpipsOnnx?: string }

/** Per world: the run configs of the quick and the default profile. */
const PROFILES: Record<string, { quick: Record<string, unknown>; full: Record<string, unknown> }> = {
  counter: {
    quick: {
      domainOptions: { registers: 2, trainSize: 2000, testSize: 200 },
      mle: { steps: 300, batchSize: 32, learningRate: 3e-3, evalSteps: 300, saveSteps: 300, loggingSteps: 50 },
      grpo: { steps: 40, promptsPerStep: 32, numGenerations: 5, maxCompletionLength: 12, learningRate: 1e-3, evalSteps: 10, saveSteps: 40, samplesSteps: 40 },
      headroom: { examples: 32, samples: 8, ks: [1, 4, 8] },
    },
    full: {
      domainOptions: { registers: 3, trainSize: 5000, testSize: 500 },
      mle: { steps: 1500, batchSize: 32, learningRate: 3e-3, evalSteps: 500, saveSteps: 500, loggingSteps: 50 },
      grpo: { steps: 150, promptsPerStep: 32, numGenerations: 5, maxCompletionLength: 16, learningRate: 3e-4, dynamicSampling: { enabled: true, maxRounds: 4 }, evalSteps: 25, saveSteps: 50, samplesSteps: 50 },
      headroom: { examples: 64, samples: 16, ks: [1, 5, 16] },
    },
  },
};

export async function runDemo(name: string, o: DemoOptions): Promise<void> {
  if (name === 'textgame') {
    const out = o.out ?? join('runs', `demo-textgame${o.quick ? '-quick' : ''}`);
    return runTextgameDemo({ quick: o.quick, out, threads: o.threads ?? 2, realSet: o.realSet, profile: o.quick ? TEXTGAME.quick : TEXTGAME.full });
  }
  if (o.realSet) throw new Error(`--real-set applies to the textgame demo only`);
  if (name === 'video') {
    const out = o.out ?? join('runs', `demo-video${o.quick ? '-quick' : ''}`);
    return runVideoDemo({ quick: o.quick, out, threads: o.threads ?? 2, lpipsOnnx: o.lpipsOnnx, profile: o.quick ? VIDEO.quick : VIDEO.full });
  }
  if (o.lpipsOnnx) throw new Error(`--lpips-onnx applies to the video demo only`);
  if (name === 'web') {
    const out = o.out ?? join('runs', `demo-web${o.quick ? '-quick' : ''}`);
    return runWebDemo({ quick: o.quick, out, threads: o.threads ?? 2, profile: o.quick ? WEB.quick : WEB.full });
  }
  const profile = PROFILES[name];
  if (!profile) throw new Error(`no demo for '${name}' (available: textgame, video, web, ${Object.keys(PROFILES).join(', ')})`);
  const p = o.quick ? profile.quick : profile.full;
  const out = o.out ?? join('runs', `demo-${name}${o.quick ? '-quick' : ''}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const base = { domain: name, seed: 0, threads: o.threads ?? 2, domainOptions: p.domainOptions };
  const t0 = Date.now();
  const mleCfg = validateConfig({ ...base, runDir: join(out, 'mle'), mle: p.mle });
  const domain = await getDomain(name, mleCfg.domainOptions);
  console.error(`== ${name}: MLE`);
  const mle = await trainMle(mleCfg, domain);
  const grpoCfg = validateConfig({ ...base, runDir: join(out, 'rlvr'), init: mle.checkpoint, grpo: p.grpo });
  const test = await domain.examples('test');
  const maxNew = grpoCfg.grpo.maxCompletionLength;
  console.error(`== ${name}: headroom of the MLE model`);
  const diagnosed = (m: LlamaForCausalLM): Promise<DiagnoseReport> => diagnoseDemo(m, domain, test, p.headroom as HeadroomProfile, maxNew);
  const headroom: Record<string, DiagnoseReport> = { MLE: await diagnosed(mle.model) };
  console.error(`== ${name}: RLVR (GRPO) from ${mle.checkpoint}`);
  const rl = await trainGrpo(grpoCfg, domain);
  console.error(`== ${name}: headroom of the RLVR model`);
  const rlHeadroom = await diagnosed(rl.model);
  console.error(`== ${name}: ${CONTINUED} (the MLE run for the RLVR run's training time)`);
  const cont = await continueMleControl(mleCfg, domain, mle.checkpoint, [grpoCfg.runDir], join(out, 'mle-continued'));
  Object.assign(headroom, { [CONTINUED]: await diagnosed(cont.model), RLVR: rlHeadroom });
  const evals: Record<string, Record<string, number>> = {};
  for (const [n, m] of [['MLE', mle.model], [CONTINUED, cont.model], ['RLVR', rl.model]] as const) {
    evals[n] = (await evaluate(m, domain, test, { maxNewTokens: maxNew })).metrics;
  }
  const minutes = (Date.now() - t0) / 60000;
  const names = Object.keys(evals.MLE!);
  const table = [
    `| model | ${names.join(' | ')} |`, `|---|${names.map(() => '---').join('|')}|`,
    ...Object.entries(evals).map(([n, e]) => `| ${n} | ${names.map((k) => e[k]!.toFixed(4)).join(' | ')} |`),
  ].join('\n');
  const report = [
    `# rlvr-world demo: ${name}${o.quick ? ' (quick)' : ''}`, '',
    `Greedy predictions on ${test.length} held-out transitions. Run time ${minutes.toFixed(1)} min.`, '',
    table, '', controlNote(cont), '',
    ...headroomSection(headroom),
    `MLE checkpoint: \`${mle.checkpoint}\`; ${CONTINUED}: \`${cont.checkpoint}\`; RLVR checkpoint: \`${rl.checkpoint}\`.`,
    `Per-step metrics: ${['mle', 'mle-continued', 'rlvr'].map((d) => `\`${join(out, d, 'metrics.jsonl')}\``).join(', ')}.`, '',
  ].join('\n');
  writeFileSync(join(out, 'report.md'), report);
  const metrics = {
    name, quick: o.quick, examples: test.length, minutes,
    mle: evals.MLE, mleContinued: evals[CONTINUED], mleContinuedRun: controlSummary(cont), rlvr: evals.RLVR, headroom,
  };
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(report);
}
