// The paired bootstrap of a gain: hand-checkable cases, nulls left out, seeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairedBootstrap } from '../../src/train/bootstrap.js';

test('paired bootstrap: constant differences, no difference, nulls, seeds', () => {
  const same = pairedBootstrap([1, 0, 1, 0], [1, 0, 1, 0]);
  assert.deepEqual([same.mean, same.lo, same.hi, same.examples], [0, 0, 0, 4]);
  const plusOne = pairedBootstrap([0, 0, 0], [1, 1, 1], { resamples: 500 });
  assert.deepEqual([plusOne.mean, plusOne.lo, plusOne.hi], [1, 1, 1]);
  // pairs with a null side (a metric that does not apply) are left out
  const partial = pairedBootstrap([0, null, 1, 0], [1, 1, null, 1]);
  assert.equal(partial.examples, 2);
  assert.equal(partial.mean, 1);
  assert.ok(Number.isNaN(pairedBootstrap([null], [1]).mean));
  assert.throws(() => pairedBootstrap([1], [1, 2]), /1 vs 2 examples/);
  // half the examples gain 1: the interval holds the mean and is about ±1.96·sqrt(.25/n)
  const n = 400;
  const before = new Array(n).fill(0),
    after = Array.from({ length: n }, (_, i) => i % 2);
  const r = pairedBootstrap(before, after, { seed: 3 });
  assert.equal(r.mean, 0.5);
  assert.ok(r.lo < 0.5 && r.hi > 0.5);
  assert.ok(Math.abs(r.hi - r.lo - 2 * 1.96 * Math.sqrt(0.25 / n)) < 0.015, `${r.lo} ${r.hi}`);
  assert.deepEqual(pairedBootstrap(before, after, { seed: 3 }), r);
});
