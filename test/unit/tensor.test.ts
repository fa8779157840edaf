import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  zeros,
  ones,
  arange,
  randn,
  rand,
  cat,
  stack,
  where,
  scope,
  liveTensors,
  noGrad,
  isGradEnabled,
  manualSeed,
  getRngState,
  setRngState,
  AdamW,
  clipGradNorm,
  F,
  full,
  type DType,
} from '../../src/core/tensor/index.js';

test('elementwise ops, broadcasting and scalars follow PyTorch', () =>
  scope(() => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([10, 20, 30]);
    assert.deepEqual(a.add(b).tolist(), [
      [11, 22, 33],
      [14, 25, 36],
    ]);
    assert.deepEqual(a.mul(2).sub(1).tolist(), [
      [1, 3, 5],
      [7, 9, 11],
    ]);
    assert.deepEqual(a.div(2).tolist(), [
      [0.5, 1, 1.5],
      [2, 2.5, 3],
    ]);
    assert.deepEqual(a.gt(3).tolist(), [
      [false, false, false],
      [true, true, true],
    ]);
    assert.deepEqual(where(a.gt(3), a, 0).tolist(), [
      [0, 0, 0],
      [4, 5, 6],
    ]);
    assert.deepEqual(a.clamp(2, 5).tolist(), [
      [2, 2, 3],
      [4, 5, 5],
    ]);
    // integer tensors stay integer with integral scalars, become float with fractional ones
    const i = arange(0, 4);
    assert.equal(i.dtype, 'int64');
    assert.equal(i.add(1).dtype, 'int64');
    assert.equal(i.mul(0.5).dtype, 'float32');
  }));

test('reductions and shape ops', () =>
  scope(() => {
    const a = arange(0, 24, 1, { dtype: 'float32' }).reshape(2, 3, 4);
    assert.equal(a.sum().item(), 276);
    assert.deepEqual(a.sum(-1).shape, [2, 3]);
    assert.deepEqual(a.mean([1, 2], true).shape, [2, 1, 1]);
    assert.deepEqual(a.amax(0).flatten().toNumbers(), arange(12, 24).toNumbers());
    assert.deepEqual(a.permute(2, 0, 1).shape, [4, 2, 3]);
    assert.deepEqual(a.transpose(0, 2).contiguous().view(4, 6).shape, [4, 6]);
    assert.deepEqual(a.narrow(2, 1, 2).shape, [2, 3, 2]);
    assert.deepEqual(a.slice(1, 0, 3, 2).shape, [2, 2, 4]);
    assert.deepEqual(cat([a, a], 1).shape, [2, 6, 4]);
    assert.deepEqual(stack([a, a], 0).shape, [2, 2, 3, 4]);
    assert.deepEqual(
      a.split(1, 0).map((t) => t.shape),
      [
        [1, 3, 4],
        [1, 3, 4],
      ],
    );
    const { values, indices } = tensor([3, 1, 2]).sort(0, true);
    assert.deepEqual(values.toNumbers(), [3, 2, 1]);
    assert.deepEqual(indices.toNumbers(), [0, 2, 1]);
    assert.deepEqual(
      tensor([
        [1, 5],
        [7, 2],
      ])
        .max(1)
        .indices.toNumbers(),
      [1, 0],
    );
    // unbiased variance by default
    assert.ok(Math.abs(tensor([1, 2, 3, 4]).var().item() - 5 / 3) < 1e-6);
    assert.ok(Math.abs(tensor([1, 2, 3, 4]).var(0, { unbiased: false }).item() - 1.25) < 1e-6);
    assert.deepEqual(
      tensor([
        [1, 2],
        [3, 4],
      ])
        .gather(1, tensor([[1], [0]], { dtype: 'int64' }))
        .toNumbers(),
      [2, 3],
    );
    assert.deepEqual(
      tensor([5, 6, 7])
        .index([tensor([2, 0], { dtype: 'int64' })])
        .toNumbers(),
      [7, 5],
    );
  }));

test("libtorch errors become JavaScript exceptions with libtorch's message", () =>
  scope(() => {
    const a = ones([2, 3]);
    assert.throws(() => a.matmul(a), /mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
    assert.throws(() => a.view(7), /shape '\[7\]' is invalid for input of size 6/);
    assert.throws(
      () => F.embedding(a, ones([2])),
      /Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int/,
    );
    assert.throws(() => cat([ones([2, 3]), ones([3, 2])], 0), /Sizes of tensors must match/);
    assert.throws(() => a.item(), /6 elements, not 1/);
    // the process is still alive and the engine still works
    assert.equal(a.sum().item(), 6);
  }));

test('typed arrays round-trip for every dtype', () =>
  scope(() => {
    const cases: [DType, number[]][] = [
      ['float32', [1.5, -2, 3.25]],
      ['float64', [1e-300, 2, -3]],
      ['int64', [2 ** 40, -5, 7]],
      ['int32', [1, -2, 2 ** 30]],
      ['float16', [0.5, -2, 1024]],
      ['bfloat16', [0.5, -2, 256]],
      ['uint8', [0, 128, 255]],
    ];
    for (const [dtype, values] of cases) {
      const t = tensor(values, { dtype });
      assert.equal(t.dtype, dtype);
      assert.deepEqual(t.toNumbers(), values, dtype);
      assert.deepEqual(tensor(t.toArray(), { dtype, shape: [3] }).toNumbers(), values, `${dtype} via typed array`);
    }
    assert.deepEqual(tensor([true, false]).tolist(), [true, false]);
    assert.deepEqual(tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).tolist(), [
      [1, 2],
      [3, 4],
    ]);
    assert.throws(() => tensor([[1, 2], [3]]), /ragged/);
    assert.equal(ones([2]).to('float64').to('cpu').dtype, 'float64');
  }));

test('scope frees every intermediate except what it returns; dispose is deterministic', () => {
  const before = liveTensors();
  const kept = scope(() => {
    const x = randn([8, 8]);
    const y = x.matmul(x).relu();
    const inner = scope(() => y.add(1).mul(2)); // moves to the outer scope
    return { out: inner.sum(1), parts: [y.mean()] };
  });
  assert.equal(liveTensors() - before, 2);
  kept.out.dispose();
  kept.parts[0]!.dispose();
  kept.out.dispose(); // idempotent
  assert.equal(liveTensors(), before);
  assert.throws(() => kept.out.add(1), /after dispose/);
  assert.throws(
    () =>
      scope(() => {
        randn([2]);
        throw new Error('boom');
      }),
    /boom/,
  );
  assert.equal(liveTensors(), before, 'a throwing scope still frees');
  const k = scope(() => ones([3]).keep());
  assert.equal(liveTensors(), before + 1);
  k.dispose();
});

test('seeded randomness is reproducible and the generator state restores exactly', () =>
  scope(() => {
    manualSeed(123);
    const a = randn([5]).toNumbers();
    manualSeed(123);
    assert.deepEqual(randn([5]).toNumbers(), a);
    const state = getRngState();
    const b = rand([4]).toNumbers();
    setRngState(state);
    assert.deepEqual(rand([4]).toNumbers(), b);
  }));

test('autograd: gradients, no-grad regions, detach', () =>
  scope(() => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const y = x.mul(x).sum(); // dy/dx = 2x
    y.backward();
    assert.deepEqual(x.grad!.toNumbers(), [2, 4, 6]);
    const z = noGrad(() => {
      assert.equal(isGradEnabled(), false);
      return x.mul(3);
    });
    assert.equal(isGradEnabled(), true);
    assert.equal(z.requiresGrad, false);
    assert.equal(x.mul(2).detach().requiresGrad, false);
    x.grad = null;
    assert.equal(x.grad, null);
  }));

test('AdamW matches the hand-computed update; state exports and restores', () =>
  scope(() => {
    // one step from zero moments: m = (1-b1) g, v = (1-b2) g², m̂ = g, v̂ = g²,
    // p ← p - lr·wd·p - lr · g / (|g| + eps)
    const p = tensor([1.0, -2.0]).requiresGrad_();
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 0.01, eps: 1e-8 });
    p.mul(tensor([3, 4]))
      .sum()
      .backward(); // g = [3, 4]
    opt.step();
    const expected = [1 - 0.1 * 0.01 * 1 - 0.1, -2 + 0.1 * 0.01 * 2 - 0.1];
    p.toNumbers().forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-6, `${v} vs ${expected[i]}`));
    const st = opt.state();
    assert.equal(st[0]![0], 1);
    assert.deepEqual(
      st[0]![1].toNumbers().map((v) => +v.toFixed(5)),
      [0.3, 0.4],
    );
    // a second optimizer loaded with this state takes the same next step
    const q = tensor(p.toNumbers()).requiresGrad_();
    const opt2 = new AdamW([q], { lr: 0.1, weightDecay: 0.01 });
    opt2.loadState(st);
    for (const [o, t] of [
      [opt, p],
      [opt2, q],
    ] as const) {
      o.zeroGrad();
      t.square().sum().backward();
      o.step();
    }
    assert.deepEqual(q.toNumbers(), p.toNumbers());
    opt.lr = 0.5;
    assert.equal(opt.lr, 0.5);
    assert.throws(() => opt2.loadState([null, null]), /more entries than parameters/);
  }));

test('clipGradNorm scales gradients to the max norm and returns the norm before', () =>
  scope(() => {
    const a = tensor([3.0]).requiresGrad_();
    const b = tensor([4.0]).requiresGrad_();
    a.mul(1).add(b.mul(1)).sum().backward(); // grads 1, 1
    a.grad = full([1], 3);
    b.grad = full([1], 4);
    const norm = clipGradNorm([a, b], 1);
    assert.ok(Math.abs(norm - 5) < 1e-6);
    assert.ok(Math.abs(a.grad!.item() - 0.6) < 1e-5 && Math.abs(b.grad!.item() - 0.8) < 1e-5);
  }));

test('cross-entropy honours ignore_index; attention matches its definition', () =>
  scope(() => {
    const logits = tensor([
      [2, 0, 0],
      [0, 3, 0],
    ]);
    const ce = F.crossEntropy(logits, tensor([0, -100], { dtype: 'int64' })).item();
    assert.ok(Math.abs(ce - -Math.log(Math.exp(2) / (Math.exp(2) + 2))) < 1e-6);
    const q = randn([1, 2, 3, 4]),
      k = randn([1, 2, 3, 4]),
      v = randn([1, 2, 3, 4]);
    const manual = q
      .matmul(k.T)
      .div(2)
      .add(ones([3, 3]).triu(1).mul(-1e9))
      .softmax(-1)
      .matmul(v);
    const fused = F.scaledDotProductAttention(q, k, v, { causal: true });
    assert.ok(fused.sub(manual).abs().amax().item() < 1e-5);
    const mask = ones([3, 3], { dtype: 'bool' }).tril();
    assert.ok(F.scaledDotProductAttention(q, k, v, { mask }).sub(manual).abs().amax().item() < 1e-5);
    assert.equal(zeros([2]).device, 'cpu');
  }));

test('tensors outside any scope that are never disposed are freed by the garbage collector', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  const before = liveTensors();
  (() => {
    for (let i = 0; i < 200; i++) randn([64]);
  })();
  assert.equal(liveTensors() - before, 200);
  for (let i = 0; i < 20 && liveTensors() > before; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(liveTensors(), before);
});
