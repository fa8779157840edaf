// Diff against delta targets, same model, steps and schedule: greedy exact accuracy of two MLE
// checkpoints on the same validation transitions, with the paired bootstrap of the gain.
//   node dist/bench/textgame/target-format.js DIFF_CKPT DIFF_DATA DELTA_CKPT DELTA_DATA VAL.jsonl [--out F.json]
import { writeFileSync } from 'node:fs';
import { textgameDomain, type TargetFormat } from '../../src/domains/textgame/index.js';
import { loadCheckpointModel } from '../../src/train/checkpoint.js';
import { evaluate } from '../../src/train/evaluate.js';
import { metricGain } from '../../src/train/bootstrap.js';
import { setNumThreads } from '../../src/core/tensor/index.js';
import { runInfo, gitState } from '../../src/apps/report/run-info.js';

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const [diffCkpt, diffData, deltaCkpt, deltaData, val] = args;
if (!val) throw new Error('usage: target-format.js DIFF_CKPT DIFF_DATA DELTA_CKPT DELTA_DATA VAL.jsonl [--out F.json]');
const t0 = Date.now(),
  git = gitState();
setNumThreads(2);
const run = async (ckpt: string, dataDir: string, targetFormat: TargetFormat) => {
  const d = await textgameDomain({
    dataDir,
    targetFormat,
    heldOutGames: ['make-ice', 'wash-clothes'],
    evalSet: val,
    evalLimit: 300,
  });
  const examples = await d.examples('test');
  const r = await evaluate(loadCheckpointModel(ckpt), d, examples, { greedy: true, maxNewTokens: 256 });
  return { ids: examples.map((e) => e.id), metrics: r.metrics, counts: r.counts, rows: r.rows.map((x) => x.scores) };
};
const diff = await run(diffCkpt!, diffData!, 'diff');
const delta = await run(deltaCkpt!, deltaData!, 'delta');
if (diff.ids.join() !== delta.ids.join()) throw new Error('the two evaluations saw different examples');
const gain = (m: string) => metricGain(diff.rows, delta.rows, m, { seed: 0 });
const report = {
  validation: val,
  examples: diff.ids.length,
  diff: { checkpoint: diffCkpt, metrics: diff.metrics, counts: diff.counts },
  delta: { checkpoint: deltaCkpt, metrics: delta.metrics, counts: delta.counts },
  gain: {
    accuracy_dynamic: gain('accuracy_dynamic'),
    accuracy_static: gain('accuracy_static'),
    accuracy: gain('accuracy'),
  },
};
const pts = (x: number) => (100 * x).toFixed(1);
for (const [m, g] of Object.entries(report.gain))
  console.log(
    `${m}: diff ${pts(diff.metrics[m]!)}%, delta ${pts(delta.metrics[m]!)}%, gain ${pts(g.mean)} points [${pts(g.lo)}, ${pts(g.hi)}] over ${g.examples}`,
  );
if (out) writeFileSync(out, JSON.stringify({ ...runInfo(t0, git), ...report }, null, 2));
