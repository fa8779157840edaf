// `rlvr-world demo`: the end-to-end job on a built-in world, with no downloads:
// data → MLE → RLVR (GRPO) → evaluation of both → report folder.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../train/config/load.js';
import { getDomain, domainPlugin, demoNames } from '../../domains/registry.js';
import type { DemoProfile, HeadroomProfile } from '../../domains/plugin.js';
import { TEXTGAME_DEMO } from '../../domains/textgame/demo.js';
import { VIDEO_DEMO } from '../../domains/video/demo.js';
import { WEB_DEMO } from '../../domains/web/demo.js';
import { trainMle } from '../../train/mle.js';
import { trainGrpo } from '../../train/grpo.js';
import { evaluate } from '../../train/evaluate.js';
import type { DiagnoseReport } from '../../train/diagnose.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { runTextgameDemo } from './textgame.js';
import { runVideoDemo } from './video.js';
import { runWebDemo } from './web.js';
import { diagnoseDemo, headroomSection } from './headroom.js';
import { CONTINUED, continueMleControl, controlNote, controlSummary } from './control.js';

const DEFAULT_HEADROOM: HeadroomProfile = { examples: 32, samples: 8, ks: [1, 4, 8] };

export interface DemoOptions {
  quick: boolean;
  out?: string;
  threads?: number;
  realSet?: string;
  lpipsOnnx?: string;
}

export async function runDemo(name: string, o: DemoOptions): Promise<void> {
  const plugin = await domainPlugin(name);
  if (!plugin.demo) throw new Error(`no demo for '${name}' (demos: ${(await demoNames()).join(', ')})`);
  const quick = o.quick;
  const out = o.out ?? join('runs', `demo-${name}${quick ? '-quick' : ''}`);
  const threads = o.threads ?? 2;
  if (o.realSet && name !== 'textgame') throw new Error(`--real-set applies to the textgame demo only`);
  if (o.lpipsOnnx && name !== 'video') throw new Error(`--lpips-onnx applies to the video demo only`);
  // the three worlds with pipelines of their own; any other domain runs the generic one
  if (name === 'textgame')
    return runTextgameDemo({
      quick,
      out,
      threads,
      realSet: o.realSet,
      profile: quick ? TEXTGAME_DEMO.quick : TEXTGAME_DEMO.full,
    });
  if (name === 'video')
    return runVideoDemo({
      quick,
      out,
      threads,
      lpipsOnnx: o.lpipsOnnx,
      profile: quick ? VIDEO_DEMO.quick : VIDEO_DEMO.full,
    });
  if (name === 'web') return runWebDemo({ quick, out, threads, profile: quick ? WEB_DEMO.quick : WEB_DEMO.full });
  return runGenericDemo(name, { ...o, out, threads }, quick ? plugin.demo.quick : plugin.demo.full);
}

/** data → MLE → headroom → RLVR (GRPO) → MLE continued for RLVR's time → evaluation → report. */
async function runGenericDemo(
  name: string,
  o: DemoOptions & { out: string; threads: number },
  p: DemoProfile,
): Promise<void> {
  const out = o.out;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const base = { domain: name, seed: 0, threads: o.threads, domainOptions: p.domainOptions };
  const t0 = Date.now();
  const mleCfg = validateConfig({ ...base, runDir: join(out, 'mle'), mle: p.mle });
  const domain = await getDomain(name, mleCfg.domainOptions);
  console.error(`== ${name}: MLE`);
  const mle = await trainMle(mleCfg, domain);
  const grpoCfg = validateConfig({ ...base, runDir: join(out, 'rlvr'), init: mle.checkpoint, grpo: p.grpo });
  const test = await domain.examples('test');
  const maxNew = grpoCfg.grpo.maxCompletionLength;
  console.error(`== ${name}: headroom of the MLE model`);
  const diagnosed = (m: LlamaForCausalLM): Promise<DiagnoseReport> =>
    diagnoseDemo(m, domain, test, p.headroom ?? DEFAULT_HEADROOM, maxNew);
  const headroom: Record<string, DiagnoseReport> = { MLE: await diagnosed(mle.model) };
  console.error(`== ${name}: RLVR (GRPO) from ${mle.checkpoint}`);
  const rl = await trainGrpo(grpoCfg, domain);
  console.error(`== ${name}: headroom of the RLVR model`);
  const rlHeadroom = await diagnosed(rl.model);
  console.error(`== ${name}: ${CONTINUED} (the MLE run for the RLVR run's training time)`);
  const cont = await continueMleControl(mleCfg, domain, mle.checkpoint, [grpoCfg.runDir], join(out, 'mle-continued'));
  Object.assign(headroom, { [CONTINUED]: await diagnosed(cont.model), RLVR: rlHeadroom });
  const evals: Record<string, Record<string, number>> = {};
  for (const [n, m] of [
    ['MLE', mle.model],
    [CONTINUED, cont.model],
    ['RLVR', rl.model],
  ] as const) {
    evals[n] = (await evaluate(m, domain, test, { maxNewTokens: maxNew })).metrics;
  }
  const minutes = (Date.now() - t0) / 60000;
  const names = Object.keys(evals.MLE!);
  const table = [
    `| model | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...Object.entries(evals).map(([n, e]) => `| ${n} | ${names.map((k) => e[k]!.toFixed(4)).join(' | ')} |`),
  ].join('\n');
  const report = [
    `# rlvr-world demo: ${name}${o.quick ? ' (quick)' : ''}`,
    '',
    `Greedy predictions on ${test.length} held-out transitions. Run time ${minutes.toFixed(1)} min.`,
    '',
    table,
    '',
    controlNote(cont),
    '',
    ...headroomSection(headroom),
    `MLE checkpoint: \`${mle.checkpoint}\`; ${CONTINUED}: \`${cont.checkpoint}\`; RLVR checkpoint: \`${rl.checkpoint}\`.`,
    `Per-step metrics: ${['mle', 'mle-continued', 'rlvr'].map((d) => `\`${join(out, d, 'metrics.jsonl')}\``).join(', ')}.`,
    '',
  ].join('\n');
  writeFileSync(join(out, 'report.md'), report);
  const metrics = {
    name,
    quick: o.quick,
    examples: test.length,
    minutes,
    mle: evals.MLE,
    mleContinued: evals[CONTINUED],
    mleContinuedRun: controlSummary(cont),
    rlvr: evals.RLVR,
    headroom,
  };
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(report);
}
