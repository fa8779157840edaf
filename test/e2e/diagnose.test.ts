import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainMle } from '../../src/train/mle.js';
import {
  passAtK,
  bestOfK,
  zeroSpreadProbability,
  diagnose,
  headroom,
  headroomTable,
  diagnoseTable,
  applicableTo,
  spreadSubset,
} from '../../src/train/diagnose.js';
import { testDevice, repoRoot } from '../helpers.js';

const close = (a: number, b: number, msg?: string): void =>
  assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} vs ${b}`);
/** every k-subset of xs (small n only) */
const subsets = <T>(xs: T[], k: number): T[][] =>
  k === 0
    ? [[]]
    : xs.length < k
      ? []
      : [...subsets(xs.slice(1), k - 1).map((s) => [xs[0]!, ...s]), ...subsets(xs.slice(1), k)];

test('pass@k: the unbiased estimator against hand-computed values', () => {
  close(passAtK(5, 1, 1), 0.2);
  close(passAtK(5, 2, 2), 1 - 3 / 10);
  close(passAtK(10, 3, 1), 0.3);
  assert.equal(passAtK(5, 0, 3), 0);
  assert.equal(passAtK(5, 4, 2), 1); // n - c < k: every k-subset holds a success
  assert.equal(passAtK(5, 5, 5), 1);
  close(passAtK(1000, 1, 1000), 1);
  close(passAtK(200, 10, 100), 1 - subsetsRatio(190, 200, 100));
  assert.throws(() => passAtK(4, 1, 5), RangeError);
});

/** C(a,k)/C(b,k) directly, in logs */
function subsetsRatio(a: number, b: number, k: number): number {
  let l = 0;
  for (let j = 0; j < k; j++) l += Math.log(a - j) - Math.log(b - j);
  return Math.exp(l);
}

test('best-of-k: the expected maximum of k samples without replacement', () => {
  close(bestOfK([2, 0, 1], 2), 5 / 3); // {0,1}→1, {0,2}→2, {1,2}→2
  close(bestOfK([3, 1, 2, 6], 1), 3);
  assert.equal(bestOfK([3, 1, 2, 6], 4), 6);
  close(bestOfK([0, 1, 0, 1], 2), 5 / 6); // binary: equals pass@2 with c = 2 of 4
  close(bestOfK([0, 1, 0, 1], 2), passAtK(4, 2, 2));
  const r = [0.3, -1, 0.3, 2.5, 0.7, 0.1];
  for (const k of [1, 2, 3, 4, 5, 6]) {
    const all = subsets(r, k);
    close(bestOfK(r, k), all.reduce((a, s) => a + Math.max(...s), 0) / all.length, `k=${k}`);
  }
  assert.throws(() => bestOfK([1, 2], 3), RangeError);
});

test('zero-spread probability: binary and dense rewards', () => {
  close(zeroSpreadProbability([1, 1, 0, 0, 0], 2), (1 + 3) / 10);
  close(zeroSpreadProbability([1, 1, 0, 0, 0], 3), 1 / 10);
  close(zeroSpreadProbability([1, 1, 0, 0, 0], 5), 0);
  close(zeroSpreadProbability([1, 1, 1, 1], 4), 1);
  close(zeroSpreadProbability([0.1, 0.2, 0.3], 2), 0);
  close(zeroSpreadProbability([0.1, 0.2, 0.3], 1), 1);
  close(zeroSpreadProbability([0, 5e-7, 1], 2), 1 / 3); // within the threshold counts as equal
  const r = [0.5, 0, 0.5, 1, 0.5, 0, 0.25];
  for (const G of [2, 3, 4]) {
    const all = subsets(r, G);
    close(
      zeroSpreadProbability(r, G),
      all.filter((s) => Math.max(...s) - Math.min(...s) <= 1e-6).length / all.length,
      `G=${G}`,
    );
  }
  assert.throws(() => zeroSpreadProbability([1, 2], 3), RangeError);
});

test(
  'diagnose on the counter world: shape, ranges, determinism, pass@k non-decreasing',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diagnose-'));
    try {
      const cfg = validateConfig({
        domain: 'counter',
        seed: 0,
        threads: 2,
        device: testDevice,
        runDir: join(dir, 'mle'),
        domainOptions: { registers: 2, trainSize: 500, testSize: 24 },
        mle: { steps: 200, batchSize: 32, learningRate: 3e-3, evalSteps: 1000, saveSteps: 1000, loggingSteps: 1000 },
      });
      const domain = counterDomain(cfg.domainOptions);
      const { model, checkpoint } = await trainMle(cfg, domain, { quiet: true });
      const test = await domain.examples('test');
      const o = { ks: [1, 2, 4, 8], maxNewTokens: 12, seed: 3, batchSize: 40 };
      const r = await diagnose(model, domain, test, o);
      console.log(diagnoseTable(r));
      assert.equal(r.examples, 24);
      assert.equal(r.samples, 8);
      assert.equal(r.metric, 'accuracy');
      assert.equal(r.reward, 'exact');
      assert.deepEqual(Object.keys(r.passAtK), ['1', '2', '4', '8']);
      assert.deepEqual(Object.keys(r.zeroSpread), ['5']); // G=16 > n is left out
      const p = Object.values(r.passAtK) as number[];
      const shares = [
        ...p,
        r.greedy.metric,
        r.greedy.reward,
        r.pass1!,
        r.greedyFailsSampleSucceeds!,
        r.zeroSpread['5']!,
        r.rewardStd!,
      ];
      for (const v of shares) assert.ok(v >= 0 && v <= 1, `${v}`);
      for (let i = 1; i < p.length; i++) assert.ok(p[i]! >= p[i - 1]! - 1e-12, `pass@k non-decreasing: ${p}`);
      const b = Object.values(r.bestOfK);
      for (let i = 1; i < b.length; i++) assert.ok(b[i]! >= b[i - 1]! - 1e-12, `best-of-k non-decreasing: ${b}`);
      close(r.pass1!, r.passAtK['1']!);
      close(r.bestOfK['8']!, r.passAtK['8']!); // the exact reward is the accuracy: best-of-k is pass@k
      assert.ok(r.passAtK['8']! >= r.greedyFailsSampleSucceeds!);
      // a smaller batch gives the same samples: every row has its own seeded stream
      const again = await diagnose(model, domain, test, { ...o, batchSize: 16 });
      assert.deepEqual({ ...again, seconds: 0 }, { ...r, seconds: 0 });
      const h = await headroom(model, domain, test.slice(0, 8), { k: 4, maxNewTokens: 12, seed: 3 });
      assert.deepEqual(Object.keys(h).sort(), ['k', 'pass@1', 'pass@K', 'reward@1', 'reward@K']);
      assert.ok(h['pass@K']! >= h['pass@1']! && h['reward@K'] >= h['reward@1']);
      // a throwing reward and metric score 0; a lower-is-better metric has no pass@k
      const boom = (): number => {
        throw new Error('boom');
      };
      const faulty = { ...domain, primaryMetricGoal: 'min' as const, rewards: { boom }, metrics: { accuracy: boom } };
      const f = await diagnose(model, faulty, test.slice(0, 4), { ks: [1, 2], reward: 'boom', maxNewTokens: 12 });
      assert.deepEqual(
        [f.pass1, f.passAtK, f.greedyFailsSampleSucceeds, f.greedy, f.bestOfK, f.zeroSpread],
        [null, { 1: null, 2: null }, null, { metric: 0, reward: 0 }, { 1: 0, 2: 0 }, {}],
      );
      const md = headroomTable({ MLE: r, again });
      assert.match(md, /\| metric \| MLE \| again \|/);
      assert.match(md, /\| pass@8 \|/);
      // the command: the table on stdout, the report with where it came from in --out
      const out = join(dir, 'headroom.json');
      const cli = spawnSync(
        process.execPath,
        [
          join(repoRoot, 'dist', 'src', 'apps', 'cli', 'main.js'),
          'diagnose',
          '--checkpoint',
          checkpoint,
          '--examples',
          '24',
          '-k',
          '1,2,4,8',
          '--max-new-tokens',
          '12',
          '--seed',
          '3',
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, /\| pass@8 \| \d\.\d{4} \|/);
      const saved = JSON.parse(readFileSync(out, 'utf8'));
      assert.equal(saved.checkpoint, checkpoint);
      assert.match(saved.command, /^rlvr-world diagnose --checkpoint/);
      assert.equal(typeof saved.commit, 'string');
      // the checkpoint, loaded on the CPU, samples what the trained model did
      if (testDevice === 'cpu') assert.deepEqual({ ...saved.report, seconds: 0 }, { ...r, seconds: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('applicableTo keeps the examples a metric applies to; an unknown metric is named', async () => {
  const domain = {
    name: 'toy',
    metrics: {
      dynamic_only: (_p: unknown, e: { id: string; dynamic: boolean }) => (e.dynamic ? 1 : null),
      all: () => 1,
    },
  } as never;
  const examples = [
    { id: 'a', dynamic: true },
    { id: 'b', dynamic: false },
    { id: 'c', dynamic: true },
  ];
  assert.deepEqual(
    (await applicableTo(domain, 'dynamic_only', examples)).map((e) => e.id),
    ['a', 'c'],
  );
  assert.equal((await applicableTo(domain, 'all', examples)).length, 3);
  await assert.rejects(
    applicableTo(domain, 'nope', examples),
    /unknown metric 'nope' \(available: dynamic_only, all\)/,
  );
  assert.deepEqual(spreadSubset([0, 1, 2, 3, 4, 5, 6, 7], 4), [0, 2, 4, 6]);
  assert.deepEqual(spreadSubset([0, 1, 2], 0), [0, 1, 2]);
});
