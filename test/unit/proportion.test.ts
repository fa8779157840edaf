// Wilson's interval for a success rate: known values, the edges, and no trials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilson } from '../../src/train/proportion.js';

test('wilson: known values, 0 and all successes stay in [0, 1], no trials gives NaN', () => {
  const w = wilson(8, 17);
  assert.equal(w.rate, 8 / 17);
  assert.ok(Math.abs(w.lo - 0.2617) < 1e-3 && Math.abs(w.hi - 0.6904) < 1e-3, `${w.lo} ${w.hi}`);
  const none = wilson(0, 20);
  assert.equal(none.lo, 0);
  assert.ok(none.hi > 0.1 && none.hi < 0.2);
  const all = wilson(20, 20);
  assert.equal(all.hi, 1);
  assert.ok(all.lo > 0.8 && all.lo < 0.9);
  assert.ok(Number.isNaN(wilson(0, 0).rate));
});
