// RLVR against MLE and against MLE continued for the RLVR runs' training seconds (the
// compute-matched control, matched to the longest run as in the demos), greedy, on the same
// validation transitions, with paired bootstrap intervals of the gains.
//   node dist/bench/textgame/rl-vs-control.js MLE_CONFIG.yaml GRPO_CONFIG.yaml [GRPO_CONFIG.yaml ...] [--out F.json]
// Every GRPO config must start from the same checkpoint (`init`). With one GRPO config its row is
// named "RLVR"; with several, "RLVR (<runDir's last name>)".
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadConfig } from '../../src/train/config/load.js';
import { getDomain } from '../../src/domains/registry.js';
import { loadCheckpointModel, latestCheckpoint } from '../../src/train/checkpoint.js';
import { evaluate } from '../../src/train/evaluate.js';
import { metricGain } from '../../src/train/bootstrap.js';
import { grpoTrainSeconds } from '../../src/apps/demos/control.js';
import { continueMle } from '../../src/train/mle-continue.js';
import { runInfo, gitState } from '../../src/apps/report/run-info.js';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const [mleConfig, ...grpoConfigs] = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
if (!mleConfig || grpoConfigs.length === 0)
  throw new Error('usage: rl-vs-control.js MLE_CONFIG.yaml GRPO_CONFIG.yaml [GRPO_CONFIG.yaml ...] [--out F.json]');
const t0 = Date.now(),
  git = gitState();
const mleCfg = loadConfig(mleConfig);
const grpoCfgs = grpoConfigs.map((f) => loadConfig(f));
const init = grpoCfgs[0]!.init!;
for (const [i, c] of grpoCfgs.entries())
  if (c.init !== init) throw new Error(`${grpoConfigs[i]}: init ${c.init} differs from ${grpoConfigs[0]}'s ${init}`);
const domain = await getDomain(grpoCfgs[0]!.domain, grpoCfgs[0]!.domainOptions);
// the control as the demos make it (continueMleControl), overwriting: a rerun moves the earlier
// `<runDir>-continued` aside instead of being refused as a fresh run in a folder holding one
const seconds = grpoCfgs.map((c) => +grpoTrainSeconds(c.runDir).toFixed(3));
const rlvrSeconds = Math.max(...seconds);
const control = await continueMle(mleCfg, domain, init, rlvrSeconds, mleCfg.runDir + '-continued', {
  overwrite: true,
});
const examples = (await domain.examples('test')).slice(0, grpoCfgs[0]!.grpo.evalExamples);
const rlName = (i: number) => (grpoCfgs.length === 1 ? 'RLVR' : `RLVR (${basename(grpoCfgs[i]!.runDir)})`);
const checkpoints: Record<string, string> = { MLE: init, 'MLE, continued': control.checkpoint };
grpoCfgs.forEach((c, i) => (checkpoints[rlName(i)] = latestCheckpoint(c.runDir)!));
const scores: Record<string, Record<string, number | null>[]> = {};
const metrics: Record<string, Record<string, number>> = {};
for (const [name, ckpt] of Object.entries(checkpoints)) {
  const r = await evaluate(loadCheckpointModel(ckpt), domain, examples, {
    greedy: true,
    maxNewTokens: Math.max(...grpoCfgs.map((c) => c.grpo.maxCompletionLength)),
  });
  scores[name] = r.rows.map((x) => x.scores);
  metrics[name] = r.metrics;
}
const pts = (x: number) => (100 * x).toFixed(1);
const gainsOf = (rl: string) =>
  Object.fromEntries(
    ['MLE', 'MLE, continued'].map((a) => [
      a,
      Object.fromEntries(
        ['accuracy_dynamic', 'accuracy_static', 'accuracy'].map((m) => {
          const g = metricGain(scores[a]!, scores[rl]!, m, { seed: 0 });
          console.log(`${rl} − ${a}, ${m}: ${pts(g.mean)} points [${pts(g.lo)}, ${pts(g.hi)}] over ${g.examples}`);
          return [m, g];
        }),
      ),
    ]),
  );
const gains =
  grpoCfgs.length === 1 ? gainsOf('RLVR') : Object.fromEntries(grpoCfgs.map((_, i) => [rlName(i), gainsOf(rlName(i))]));
const report = {
  examples: examples.length,
  checkpoints,
  control: { rlvrSeconds, grpoSeconds: seconds, stepsRun: control.stepsRun },
  metrics,
  gains,
};
console.log(JSON.stringify(metrics, null, 1));
if (out) writeFileSync(out, JSON.stringify({ ...runInfo(t0, git), ...report }, null, 2));
