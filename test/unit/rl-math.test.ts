import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, scope, zeros } from '../../src/core/tensor/index.js';
import { GrpoSchema } from '../../src/train/config/schema.js';
import { groupAdvantages, computeAdvantages, zeroSpread, unbiasedStd } from '../../src/train/advantages.js';
import {
  clippedSurrogate,
  klPenalty,
  aggregate,
  entropyFromLogits,
  aggregationCount,
  POLICY_LOSSES,
  LOSS_AGGREGATIONS,
} from '../../src/train/losses.js';

const close = (a: number, b: number, tol = 1e-6, what = ''): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);
const closeAll = (a: number[], b: number[], tol = 1e-6): void => {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => close(x, b[i]!, tol, `[${i}]`));
};

test('grpo: (r - mean) / (unbiased std + 1e-6)', () => {
  // mean 0.5, unbiased std √(1/3)
  const s = Math.sqrt(1 / 3);
  closeAll(
    groupAdvantages([1, 0, 0, 1], 'grpo'),
    [0.5 / (s + 1e-6), -0.5 / (s + 1e-6), -0.5 / (s + 1e-6), 0.5 / (s + 1e-6)],
    1e-12,
  );
  closeAll(
    groupAdvantages([0.2, 0.4, 0.9], 'grpo'),
    [0.2, 0.4, 0.9].map((r) => (r - 0.5) / (unbiasedStd([0.2, 0.4, 0.9]) + 1e-6)),
    1e-12,
  );
  close(unbiasedStd([0.2, 0.4, 0.9]), Math.sqrt((0.3 ** 2 + 0.1 ** 2 + 0.4 ** 2) / 2), 1e-12);
});

test('dr_grpo drops the std; rloo uses the leave-one-out mean', () => {
  closeAll(groupAdvantages([1, 2, 3], 'dr_grpo'), [-1, 0, 1]);
  closeAll(groupAdvantages([1, 2, 3], 'rloo'), [1 - 2.5, 2 - 2, 3 - 1.5]);
  closeAll(groupAdvantages([4, 0], 'rloo'), [4, -4]);
});

test('edge cases: identical rewards give 0, a single sample keeps its reward, groups by id', () => {
  for (const est of ['grpo', 'dr_grpo', 'rloo'] as const) {
    closeAll(groupAdvantages([0.7, 0.7, 0.7], est), [0, 0, 0]);
    closeAll(groupAdvantages([0.3], est), [0.3]);
    assert.deepEqual(groupAdvantages([], est), []);
  }
  closeAll(computeAdvantages([1, 5, 0, 3, 1], ['a', 'b', 'a', 'b', 'c'], 'dr_grpo'), [0.5, 1, -0.5, -1, 1]);
  assert.throws(() => computeAdvantages([1], [], 'grpo'), /1 rewards but 0 group ids/);
  assert.equal(zeroSpread([0.5, 0.5, 0.5]), true);
  assert.equal(zeroSpread([0.5, 0.5000001], 1e-3), true);
  assert.equal(zeroSpread([0.5, 0.6], 1e-3), false);
  assert.equal(zeroSpread([1]), true);
});

test('clipped surrogate with separate low/high ranges', () =>
  scope(() => {
    const ratios = [1.5, 1.5, 0.5, 0.5, 1.0];
    const adv = [1, -1, 1, -1, 2];
    const old = zeros([1, 5]);
    const logp = tensor([ratios.map(Math.log)]);
    const { loss, clipped } = clippedSurrogate(logp, old, tensor([adv]), 0.2, 0.2);
    // ρ=1.5,A=1: max(-1.5,-1.2)=-1.2 clipped; ρ=1.5,A=-1: max(1.5,1.2)=1.5; ρ=.5,A=1: max(-.5,-.8)=-.5;
    // ρ=.5,A=-1: max(.5,.8)=.8 clipped; ρ=1,A=2: -2
    closeAll(loss.toNumbers(), [-1.2, 1.5, -0.5, 0.8, -2]);
    assert.deepEqual(clipped.tolist(), [[true, false, false, true, false]]);
    closeAll(clippedSurrogate(logp, old, tensor([adv]), 0.2, 0.28).loss.toNumbers(), [-1.28, 1.5, -0.5, 0.8, -2]);
    closeAll(clippedSurrogate(logp, old, tensor([adv]), 0.4, 0.2).loss.toNumbers(), [-1.2, 1.5, -0.5, 0.6, -2]);
  }));

test('KL estimators k1, k2, k3 (clamped to ±10)', () =>
  scope(() => {
    const logp = tensor([[-1, -0.5, -20]]);
    const ref = tensor([[-2, -0.5, 0]]);
    closeAll(klPenalty(logp, ref, 'k1').toNumbers(), [1, 0, -20]);
    closeAll(klPenalty(logp, ref, 'k2').toNumbers(), [0.5, 0, 200]);
    // k3: d = ref - logp: exp(d) - d - 1
    closeAll(klPenalty(logp, ref, 'k3').toNumbers(), [Math.exp(-1) + 1 - 1, 0, 10]);
    assert.throws(() => klPenalty(logp, ref, 'k9' as never), /unknown KL estimator/);
  }));

test('loss aggregation modes, all-masked rows and micro-batch normalizers', () =>
  scope(() => {
    const loss = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const mask = tensor([
      [1, 1, 0],
      [1, 0, 0],
    ]);
    close(aggregate(loss, mask, 'token-mean').item(), 7 / 3);
    close(aggregate(loss, mask, 'seq-mean-token-sum').item(), (3 + 4) / 2);
    close(aggregate(loss, mask, 'seq-mean-token-mean').item(), (1.5 + 4) / 2);
    const oneEmpty = tensor([
      [1, 1, 0],
      [0, 0, 0],
    ]);
    close(aggregate(loss, oneEmpty, 'token-mean').item(), 1.5);
    close(aggregate(loss, oneEmpty, 'seq-mean-token-sum').item(), 3);
    close(aggregate(loss, oneEmpty, 'seq-mean-token-mean').item(), 1.5);
    const none = zeros([2, 3]);
    close(aggregate(loss, mask, 'seq-mean-token-sum-norm').item(), (3 + 4) / (2 * 3));
    close(aggregate(loss, mask, 'seq-mean-token-sum-norm', undefined, 10).item(), (3 + 4) / (2 * 10));
    for (const mode of Object.keys(LOSS_AGGREGATIONS) as (keyof typeof LOSS_AGGREGATIONS)[]) {
      close(aggregate(loss, none, mode).item(), 0, 0, mode);
      // two micro-batches with the mini-batch's normalizer add up to the whole
      const n = aggregationCount(mask.sum(-1).toNumbers(), mode, mask.size(-1));
      const parts =
        aggregate(loss.narrow(0, 0, 1), mask.narrow(0, 0, 1), mode, n).item() +
        aggregate(loss.narrow(0, 1, 1), mask.narrow(0, 1, 1), mode, n).item();
      close(parts, aggregate(loss, mask, mode).item(), 1e-6, mode);
    }
  }));

test('entropy from logits', () =>
  scope(() => {
    closeAll(entropyFromLogits(zeros([1, 2, 4])).toNumbers(), [Math.log(4), Math.log(4)]);
    close(entropyFromLogits(tensor([[[0, -1e4]]])).item(), 0, 1e-6);
  }));

test('log-ratios are clamped to ±20 before exp: a masked gap of 95 nats gives finite gradients', () =>
  scope(() => {
    // before the clamp, exp(95) overflowed float32 and the masked position's gradient was 0·inf = NaN
    const logp = tensor([[-0.5, -95]]).requiresGrad_();
    const k3 = klPenalty(logp, tensor([[-0.6, 0]]), 'k3');
    aggregate(k3, tensor([[1, 0]]), 'token-mean').backward();
    const g = logp.grad!.toNumbers();
    assert.ok(g.every(Number.isFinite), `k3 gradient ${g}`);
    close(g[0]!, -(Math.exp(-0.1) - 1), 1e-6, 'k3 gradient at the kept token');
    assert.ok(g[1] === 0, 'no gradient at the masked token');
    // a padded old log-prob (0) far above the new one, and a new one far above the old
    const lp2 = tensor([[-0.2, -120, 3]]).requiresGrad_();
    const { loss } = clippedSurrogate(lp2, tensor([[-0.1, 0, -100]]), tensor([[1.5]]));
    aggregate(loss, tensor([[1, 0, 0]]), 'token-mean').backward();
    assert.ok(lp2.grad!.toNumbers().every(Number.isFinite), `surrogate gradient ${lp2.grad!.toNumbers()}`);
    assert.ok(loss.isfinite().all().item());
  }));

test('dual clip bounds the loss of negative advantages at -A·c (verl clip_ratio_c)', () =>
  scope(() => {
    const logp = tensor([[Math.log(5), Math.log(5), Math.log(2)]]),
      old = zeros([1, 3]),
      adv = tensor([[-1], [-1], [1]]).view(1, 3);
    // ρ = 5, A = -1: PPO gives max(5, 1.2) = 5; dual clip min(5, 3) = 3. ρ = 2, A = 1: -1.2 either way
    const o = { clipLow: 0.2, clipHigh: 0.2, mask: zeros([1, 3]).add(1) };
    closeAll(POLICY_LOSSES.vanilla(logp, old, adv, { ...o, clipRatioC: 0 }).loss.toNumbers(), [5, 5, -1.2]);
    closeAll(POLICY_LOSSES.vanilla(logp, old, adv, { ...o, clipRatioC: 3 }).loss.toNumbers(), [3, 3, -1.2]);
  }));

test('gspo: the sequence ratio is the geometric mean of token ratios', () =>
  scope(() => {
    const logp = tensor([
        [Math.log(2), Math.log(0.5), 0],
        [0, 0, 0],
      ]),
      old = zeros([2, 3]),
      mask = tensor([
        [1, 1, 0],
        [1, 1, 1],
      ]);
    // row 0: ratios 2 and 0.5 → s = 1: loss -A; row 1: s = 1
    const r = POLICY_LOSSES.gspo(logp, old, tensor([[2], [-1]]), { clipLow: 0.2, clipHigh: 0.2, clipRatioC: 0, mask });
    closeAll(r.loss.toNumbers(), [-2, -2, -2, 1, 1, 1], 1e-6);
  }));

test("the config enums are the registries' names", () => {
  const c = GrpoSchema.parse({
    policyLoss: 'gspo',
    klEstimator: 'low_var_kl',
    lossType: 'seq-mean-token-sum-norm',
    advantageEstimator: 'rloo',
    clipRatioC: 3,
  });
  assert.equal(c.policyLoss, 'gspo');
  assert.throws(() => GrpoSchema.parse({ lossType: 'seq-sum' }), /lossType/);
  assert.throws(() => GrpoSchema.parse({ clipRatioC: 0.5 }), /clipRatioC/);
  assert.equal(GrpoSchema.parse({}).adamBeta2, 0.999);
});
