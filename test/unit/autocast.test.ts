// bfloat16 autocast: matrix products run in bfloat16 (the trainers take logits to float32
// before softmax and losses), weights keep their dtype, and a weight changed between regions is never served stale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scope, noGrad, autocast, randn, F } from '../../src/core/tensor/index.js';

test('autocast: bfloat16 matmuls, weights untouched, off outside the region', () =>
  scope(() => {
    const x = randn([4, 8]),
      w = randn([16, 8]).requiresGrad_();
    const inside = autocast('cpu', () => F.linear(x, w));
    assert.equal(inside.dtype, 'bfloat16');
    assert.equal(w.dtype, 'float32');
    assert.equal(F.linear(x, w).dtype, 'float32');
    // gradients reach the float32 weight
    autocast('cpu', () => F.linear(x, w).float().sum()).backward();
    assert.equal(w.grad!.dtype, 'float32');
    assert.ok(w.grad!.sub(x.sum(0).unsqueeze(0).expand(16, 8)).abs().amax().item() < 0.05);
    assert.equal(autocast('cpu', () => F.linear(x, w), { enabled: false }).dtype, 'float32');
  }));

test('autocast: a weight updated between regions is used updated (the cast cache is cleared)', () =>
  noGrad(() =>
    scope(() => {
      const x = randn([2, 8]),
        w = randn([4, 8]).requiresGrad_();
      const before = autocast('cpu', () => F.linear(x, w).float());
      w.mul_(2);
      const after = autocast('cpu', () => F.linear(x, w).float());
      assert.ok(after.sub(before.mul(2)).abs().amax().item() < 0.05 * before.abs().amax().item());
    }),
  ));
