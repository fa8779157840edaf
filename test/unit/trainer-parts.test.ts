import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, scope, F } from '../../src/core/tensor/index.js';
import { mleBatch, policyBatch, IGNORE_INDEX } from '../../src/train/batch.js';
import { learningRate } from '../../src/train/schedule.js';
import { safeReward, combineRewards } from '../../src/train/safe.js';
import { loadConfig, validateConfig, applySet } from '../../src/train/config/load.js';
import { counterDomain, step, parseState } from '../../src/domains/counter/index.js';

test('MLE batches: loss only on target tokens, right padding ignored', () =>
  scope(() => {
    const b = mleBatch(
      [
        { prompt: [5, 6, 7], target: [8, 9, 0] },
        { prompt: [5], target: [3, 0] },
      ],
      1,
    );
    assert.deepEqual(b.ids.tolist(), [
      [5, 6, 7, 8, 9],
      [5, 3, 1, 1, 1],
    ]);
    assert.deepEqual(b.labels.tolist(), [
      [IGNORE_INDEX, IGNORE_INDEX, 8, 9, 0],
      [3, 0, IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX],
    ]);
    assert.equal(b.targetTokens, 5);
  }));

test('policy batches: left-padded prompts, aligned responses, given tokens masked out', () =>
  scope(() => {
    const b = policyBatch(
      [[5, 6, 7], [8]],
      [
        [1, 2],
        [3, 4, 9],
      ],
      0,
      'cpu',
      [[false, true], []],
    );
    assert.deepEqual(b.ids.tolist(), [
      [5, 6, 7, 1, 2, 0],
      [0, 0, 8, 3, 4, 9],
    ]);
    assert.deepEqual(b.attention.tolist(), [
      [1, 1, 1, 1, 1, 0],
      [0, 0, 1, 1, 1, 1],
    ]);
    assert.deepEqual(b.positions.narrow(1, 2, 4).tolist(), [
      [2, 3, 4, 4],
      [0, 1, 2, 3],
    ]);
    assert.deepEqual(b.responseIds.tolist(), [
      [1, 2, 0],
      [3, 4, 9],
    ]);
    assert.deepEqual(b.lossMask.tolist(), [
      [1, 0, 0],
      [1, 1, 1],
    ]);
  }));

test('learning-rate schedules: warmup, cosine to the floor, constant', () => {
  const o = { lr: 1, warmupSteps: 4, schedule: 'cosine' as const, minLrRatio: 0.1 };
  assert.deepEqual(
    [0, 1, 2, 3].map((s) => learningRate(s, 14, o)),
    [0.25, 0.5, 0.75, 1],
  );
  assert.ok(Math.abs(learningRate(9, 14, o) - (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.5)))) < 1e-12);
  assert.ok(Math.abs(learningRate(14, 14, o) - 0.1) < 1e-12);
  assert.equal(learningRate(10, 14, { ...o, schedule: 'constant' }), 1);
  // decaySteps: the same cosine over the first 14 steps of a 40-step run, then the floor
  const d = { ...o, decaySteps: 14 };
  assert.equal(learningRate(9, 40, d), learningRate(9, 14, o));
  for (const s of [14, 20, 39]) assert.ok(Math.abs(learningRate(s, 40, d) - 0.1) < 1e-12);
});

test('rewards never throw: exceptions and non-finite scores become 0, logged once per example', async () => {
  const logged: string[] = [];
  const bad = safeReward<{ id: string }, unknown>(
    'bad',
    () => {
      throw new Error('parse failure');
    },
    (m) => logged.push(m),
  );
  assert.deepEqual(await bad(null, { id: 'ex1' }), { score: 0 });
  assert.deepEqual(await bad(null, { id: 'ex1' }), { score: 0 });
  assert.deepEqual(await bad(null, { id: 'ex2' }), { score: 0 });
  assert.equal(logged.length, 2);
  assert.match(logged[0]!, /reward 'bad' threw on example ex1: parse failure/);
  const nan = safeReward(
    'nan',
    async () => NaN,
    () => {},
  );
  assert.deepEqual(await nan(null, { id: 'x' }), { score: 0 });
  const combined = combineRewards<{ id: string }, number>(
    {
      a: (p) => p,
      b: (p) => ({ score: 2 * p, components: { half: p / 2 } }),
      boom: () => {
        throw new Error('x');
      },
    },
    { a: 0.5, b: 1, boom: 3 },
    () => {},
  );
  assert.deepEqual(await combined(1, { id: 'e' }), {
    score: 0.5 + 2,
    components: { a: 1, b: 2, 'b/half': 0.5, boom: 0 },
  });
  assert.throws(() => combineRewards({ a: () => 1 }, { z: 1 }), /unknown reward 'z' \(available: a\)/);
});

test('config: defaults follow the published recipe; unknown and ill-typed fields are named', () => {
  const c = validateConfig({});
  assert.equal(c.grpo.numGenerations, 5);
  assert.equal(c.grpo.epsilon, 0.2);
  assert.equal(c.grpo.epsilonHigh, 0.2);
  assert.equal(c.grpo.beta, 0.001);
  assert.equal(c.grpo.klEstimator, 'k3');
  assert.equal(c.grpo.entropyCoef, 0.001);
  assert.equal(c.grpo.lossType, 'token-mean');
  assert.equal(c.grpo.maxGradNorm, 1);
  assert.equal(c.grpo.weightDecay, 0.01);
  assert.equal(c.grpo.lrSchedulerType, 'constant');
  assert.equal(c.grpo.temperature, 1);
  assert.equal(c.grpo.topP, 1);
  assert.equal(c.grpo.topK, 0);
  assert.throws(
    () => validateConfig({ grpo: { numGenerationz: 4 } }),
    /config field grpo\.numGenerationz: unknown field/,
  );
  assert.throws(
    () => validateConfig({ grpo: { beta: 'high' } }),
    /config field grpo\.beta: .*expected number.*\(got "high"\)/,
  );
  assert.throws(
    () => validateConfig({ grpo: { advantageEstimator: 'ppo' } }),
    /config field grpo\.advantageEstimator: .*"grpo"\|"dr_grpo"\|"rloo"/,
  );
  const raw: Record<string, unknown> = {};
  applySet(raw, 'grpo.beta=0.01');
  applySet(raw, 'grpo.dynamicSampling.enabled=true');
  applySet(raw, 'runDir=runs/x');
  assert.deepEqual(raw, { grpo: { beta: 0.01, dynamicSampling: { enabled: true } }, runDir: 'runs/x' });
  assert.throws(() => loadConfig('/nonexistent/run.yaml'), /\/nonexistent\/run\.yaml: ENOENT/);
});

test('counter world: transitions, parser totality, codec round trip', async () => {
  assert.deepEqual(step([3, 7, 0], { op: 'add', a: 0, b: 1 }), [0, 7, 0]);
  assert.deepEqual(step([3, 7, 0], { op: 'swap', a: 0, b: 2 }), [0, 7, 3]);
  assert.deepEqual(step([0, 7], { op: 'dec', a: 0 }), [9, 7]);
  assert.deepEqual(parseState('a=1 b=2 c=3', 3), [1, 2, 3]);
  for (const junk of ['', 'a=1 b=2', 'a=1 b=22 c=3', 'b=1 a=2 c=3', '{"a":1}', '\u0000\uffff', 'a=1 b=2 c=3 d=4'])
    assert.equal(parseState(junk, 3), null, junk);
  const d = counterDomain({ registers: 3 });
  const [e] = await d.examples('test');
  const target = await d.codec.target(e!);
  assert.equal(target[target.length - 1], d.codec.eosTokenId);
  assert.deepEqual(await d.codec.decode(target, e!), e!.next);
  assert.equal(d.rewards.exact!(await d.codec.decode(target, e!), e!), 1);
  assert.equal(d.rewards.exact!(await d.codec.decode([999, -3, 5], e!), e!), 0);
});

test('cross-entropy over a batch ignores IGNORE_INDEX positions exactly', () =>
  scope(() => {
    const logits = tensor([
      [
        [1, 2, 3],
        [1, 0, 0],
        [0, 0, 5],
      ],
    ]);
    const labels = tensor([[2, IGNORE_INDEX, 2]], { dtype: 'int64' });
    const ce = F.crossEntropy(logits.reshape(-1, 3), labels.reshape(-1), { ignoreIndex: IGNORE_INDEX }).item();
    const manual = (-(3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))) - (5 - Math.log(2 + Math.exp(5)))) / 2;
    assert.ok(Math.abs(ce - manual) < 1e-6);
  }));

test('dynamic sampling drops zero-spread groups (with a threshold) and refills the batch', async () => {
  const { collectRollouts } = await import('../../src/train/grpo.js');
  // group g's rewards: flat (all 1) when g is even, spread (0/1, or 0.5 ± 1e-4) when odd
  const rollout = async (n: number, base: number) =>
    Array.from({ length: n * 3 }, (_, k) => {
      const group = base + Math.floor(k / 3);
      const score = group % 2 === 0 ? 1 : group % 4 === 1 ? (k % 3 === 0 ? 1 : 0) : 0.5 + (k % 3) * 1e-4;
      return { group, prompt: [1], response: [2], oldLogp: [0], reward: { score }, advantage: 0, exampleIndex: group };
    });
  const c = { promptsPerStep: 4, numGenerations: 3 };
  const off = await collectRollouts(rollout, {
    ...c,
    dynamicSampling: { enabled: false, threshold: 1e-6, maxRounds: 3 },
  });
  assert.equal(off.samples.length, 12);
  assert.equal(off.rounds, 1);
  assert.equal(off.zeroGroups, 2);
  // threshold 1e-3 also drops the groups whose continuous rewards differ by 2e-4
  const on = await collectRollouts(rollout, {
    ...c,
    dynamicSampling: { enabled: true, threshold: 1e-3, maxRounds: 10 },
  });
  assert.equal(on.samples.length, 12);
  assert.deepEqual([...new Set(on.samples.map((s) => s.group % 4))], [1]);
  assert.ok(on.rounds > 1);
  const capped = await collectRollouts(rollout, {
    ...c,
    dynamicSampling: { enabled: true, threshold: 1e-3, maxRounds: 1 },
  });
  assert.equal(capped.rounds, 1);
  assert.equal(capped.samples.length, 3, 'one round: only the one informative group is kept');
});
