#!/usr/bin/env node
// Compares the metrics.json of two runs of the same demo (e.g. before and after a refactor
// that should change no behaviour): every number, except timings and what depends on them.
// usage: node scripts/compare-demo-metrics.mjs BEFORE/metrics.json AFTER/metrics.json [--json]
import { readFileSync } from 'node:fs';

const [a, b] = process.argv.slice(2, 4).map((f) => JSON.parse(readFileSync(f, 'utf8')));
if (!a || !b) {
  console.error('usage: compare-demo-metrics.mjs BEFORE/metrics.json AFTER/metrics.json [--json]');
  process.exit(2);
}
// Wall-clock fields, and the compute-matched control ("MLE, continued"), which runs for the RLVR
// run's measured seconds, so its step count (and so its figures) follows the machine's load.
const isVolatile = (path) =>
  /wallMinutes|stageMinutes|finished|^command|^commit|^dirty|^machine|[sS]econds|minutes|checkpoint|[cC]ontinued/.test(
    path,
  );

function flatten(v, path, out) {
  if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
  else out.set(path, v);
  return out;
}
const fa = flatten(a, '', new Map()),
  fb = flatten(b, '', new Map());
const same = [],
  differ = [],
  skipped = [];
for (const key of new Set([...fa.keys(), ...fb.keys()])) {
  if (isVolatile(key)) {
    skipped.push(key);
    continue;
  }
  (JSON.stringify(fa.get(key)) === JSON.stringify(fb.get(key)) ? same : differ).push(key);
}
const report = {
  compared: same.length + differ.length,
  identical: same.length,
  differ: differ.map((k) => ({ key: k, before: fa.get(k), after: fb.get(k) })),
  skipped: skipped.length,
};
if (process.argv.includes('--json')) console.log(JSON.stringify(report, null, 2));
else {
  console.log(
    `${report.identical} of ${report.compared} values identical (${report.skipped} timing-dependent values skipped)`,
  );
  for (const d of report.differ) console.log(`  ${d.key}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`);
}
