// Finite scalar quantization: the codebook, index round trips, grid membership and the
// straight-through gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FSQ } from '../../src/domains/video/models/fsq.js';
import { tensor, scope, randn, manualSeed } from '../../src/core/tensor/index.js';

test('FSQ: codebook size, every index round-trips through its code', () =>
  scope(() => {
    assert.equal(new FSQ([7, 5, 5, 5, 5]).codebookSize, 4375); // the paper's levels
    const fsq = new FSQ([8, 5, 3]);
    const all = tensor(
      Array.from({ length: fsq.codebookSize }, (_, i) => i),
      { dtype: 'int64' },
    );
    const codes = fsq.indicesToCodes(all);
    assert.deepEqual(codes.shape, [120, 3]);
    assert.deepEqual(fsq.codesToIndices(codes).toNumbers(), all.toNumbers());
    const c = codes.toNumbers();
    assert.ok(c.every((v) => v >= -1 && v <= 1));
    assert.equal(new Set(c.filter((_, i) => i % 3 === 0)).size, 8); // 8 distinct levels on the first axis
    assert.throws(() => new FSQ([4, 1]), /levels must be integers ≥ 2/);
  }));

test('FSQ: quantized values lie on the grid; rounding passes gradients straight through', () =>
  scope(() => {
    manualSeed(3);
    const fsq = new FSQ([7, 4, 5]);
    const z = randn([6, 10, 3]).mul(3).requiresGrad_();
    const q = fsq.quantize(z);
    assert.deepEqual(q.shape, [6, 10, 3]);
    const back = fsq.indicesToCodes(fsq.codesToIndices(q));
    assert.deepEqual(back.toNumbers(), q.detach().toNumbers());
    q.sum().backward();
    // d/dz of tanh(z + shift)·halfL / halfWidth, rounding ignored
    const halfL = [3 * 1.001, 1.5 * 1.001, 2 * 1.001],
      hw = [3, 2, 2],
      shift = [0, Math.atanh(0.5 / (1.5 * 1.001)), 0];
    const zs = z.detach().toNumbers(),
      g = z.grad!.toNumbers();
    zs.forEach((v, i) => {
      const d = i % 3;
      const want = ((1 - Math.tanh(v + shift[d]!) ** 2) * halfL[d]!) / hw[d]!;
      assert.ok(Math.abs(g[i]! - want) < 1e-5, `grad[${i}] ${g[i]} vs ${want}`);
    });
    assert.throws(() => fsq.quantize(randn([2, 4])), /last dimension is 4, expected 3/);
  }));
