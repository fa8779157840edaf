// RLVR against MLE and against MLE continued for the RLVR run's training seconds (the
// compute-matched control), greedy, on the same validation transitions, with paired bootstrap
// intervals of the gains.
//   node dist/bench/textgame/rl-vs-control.js MLE_CONFIG.yaml GRPO_CONFIG.yaml [--out F.json]
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../src/train/config/load.js';
import { getDomain } from '../../src/domains/registry.js';
import { loadCheckpointModel, latestCheckpoint } from '../../src/train/checkpoint.js';
import { evaluate } from '../../src/train/evaluate.js';
import { metricGain } from '../../src/train/bootstrap.js';
import { grpoTrainSeconds } from '../../src/apps/demos/control.js';
import { continueMle } from '../../src/train/mle-continue.js';
import { runInfo, gitState } from '../../src/apps/report/run-info.js';

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const [mleConfig, grpoConfig] = args;
if (!grpoConfig) throw new Error('usage: rl-vs-control.js MLE_CONFIG.yaml GRPO_CONFIG.yaml [--out F.json]');
const t0 = Date.now(),
  git = gitState();
const mleCfg = loadConfig(mleConfig),
  grpoCfg = loadConfig(grpoConfig);
const domain = await getDomain(grpoCfg.domain, grpoCfg.domainOptions);
// the control as the demos make it (continueMleControl), overwriting: a rerun moves the earlier
// `<runDir>-continued` aside instead of being refused as a fresh run in a folder holding one
const rlvrSeconds = +grpoTrainSeconds(grpoCfg.runDir).toFixed(3);
const control = await continueMle(mleCfg, domain, grpoCfg.init!, rlvrSeconds, mleCfg.runDir + '-continued', {
  overwrite: true,
});
const examples = (await domain.examples('test')).slice(0, grpoCfg.grpo.evalExamples);
const checkpoints: Record<string, string> = {
  MLE: grpoCfg.init!,
  'MLE, continued': control.checkpoint,
  RLVR: latestCheckpoint(grpoCfg.runDir)!,
};
const scores: Record<string, Record<string, number | null>[]> = {};
const metrics: Record<string, Record<string, number>> = {};
for (const [name, ckpt] of Object.entries(checkpoints)) {
  const r = await evaluate(loadCheckpointModel(ckpt), domain, examples, {
    greedy: true,
    maxNewTokens: grpoCfg.grpo.maxCompletionLength,
  });
  scores[name] = r.rows.map((x) => x.scores);
  metrics[name] = r.metrics;
}
const gain = (against: string, m: string) => metricGain(scores[against]!, scores.RLVR!, m, { seed: 0 });
const gains = Object.fromEntries(
  ['MLE', 'MLE, continued'].map((a) => [
    a,
    Object.fromEntries(['accuracy_dynamic', 'accuracy_static', 'accuracy'].map((m) => [m, gain(a, m)])),
  ]),
);
const pts = (x: number) => (100 * x).toFixed(1);
for (const [a, g] of Object.entries(gains))
  for (const [m, i] of Object.entries(g))
    console.log(`RLVR − ${a}, ${m}: ${pts(i.mean)} points [${pts(i.lo)}, ${pts(i.hi)}] over ${i.examples}`);
const report = {
  examples: examples.length,
  checkpoints,
  control: { rlvrSeconds, stepsRun: control.stepsRun },
  metrics,
  gains,
};
console.log(JSON.stringify(metrics, null, 1));
if (out) writeFileSync(out, JSON.stringify({ ...runInfo(t0, git), ...report }, null, 2));
