// Joins the result lines of bench/engine (ours, PyTorch's: one JSON line per run) into a table
// and a JSON file.   node bench/engine/report.mjs ours.jsonl peer.jsonl out.json
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [oursPath, peerPath, outPath] = process.argv.slice(2);
const merge = (path) => {
  const runs = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  return {
    ...runs[0],
    params: Object.assign({}, ...runs.map((r) => r.params)),
    results: runs.flatMap((r) => r.results),
  };
};
const ours = merge(oursPath),
  peer = merge(peerPath);

for (const [name, n] of Object.entries(ours.params)) {
  if (peer.params[name] !== n)
    throw new Error(`model ${name}: ${n} parameters here, ${peer.params[name]} in the PyTorch peer`);
}
if (ours.threads !== peer.threads) throw new Error(`thread counts differ: ${ours.threads} vs ${peer.threads}`);

const rows = ours.results.map((r) => {
  const p = peer.results.find((q) => q.name === r.name);
  if (!p) throw new Error(`the PyTorch peer has no result '${r.name}'`);
  return {
    name: r.name,
    kind: r.kind,
    model: r.model,
    params: ours.params[r.model],
    batch: r.batch,
    oursTokensPerSec: r.tokensPerSec,
    torchTokensPerSec: p.tokensPerSec,
    ratio: r.tokensPerSec / p.tokensPerSec,
    ours: r,
    torch: p,
  };
});

const env = { blas: process.env.BENCH_BLAS ?? null, ompWaitPolicy: process.env.OMP_WAIT_POLICY ?? null };
const busy = (process.env.BENCH_BUSY ?? '').split('\n').filter(Boolean);
const fmtParams = (n) => (n === undefined ? '-' : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);
const head = ['measurement', 'params', 'rlvr-world tok/s', 'PyTorch tok/s', 'ratio (ours/torch)'];
// the small-ops row counts ops, not tokens
const body = rows.map((r) => [
  r.name,
  fmtParams(r.params),
  r.oursTokensPerSec.toFixed(0),
  r.torchTokensPerSec.toFixed(0),
  r.ratio.toFixed(3),
]);
const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(
  `\nEngine benchmark: rlvr-world (libtorch ${ours.torch}, node ${ours.node}) vs PyTorch ${peer.torch} (python ${peer.python})`,
);
console.log(
  `${ours.threads} threads, OMP_WAIT_POLICY=${env.ompWaitPolicy}, BLAS ${env.blas}${ours.quick ? ', QUICK (smoke run, not comparable)' : ''}`,
);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const b of body) console.log(line(b));
if (busy.length) console.log(`\nwarning: other processes used the CPU during: ${busy.join('; ')}`);

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(
  outPath,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      threads: ours.threads,
      quick: ours.quick,
      ...env,
      busy,
      engine: { torch: ours.torch, node: ours.node },
      pytorch: { torch: peer.torch, python: peer.python },
      params: ours.params,
      rows,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nresults: ${outPath}`);
