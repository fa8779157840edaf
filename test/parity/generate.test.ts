import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, scope, noGrad, manualSeed, liveTensors } from '../../src/core/tensor/index.js';
import { fromPretrained } from '../../src/core/models/index.js';
import { generate, topKFilter, topPFilter } from '../../src/core/generate/index.js';
import { fixture, fixturesSkip } from '../helpers.js';

// the LLaMA fixture (shared/fixtures/llama-tiny); the tests that use it skip when the fixtures are absent
const model = fixturesSkip ? (undefined as never) : fromPretrained(fixture('llama-tiny'));
const prompts = [
  [5, 17, 230, 41, 99, 7],
  [300, 2],
  [8, 9, 10, 11],
];

test('left-padded rows generate exactly what each row generates alone', { skip: fixturesSkip }, () => {
  const batch = generate(model, prompts, { maxNewTokens: 10, greedy: true });
  prompts.forEach((p, b) => {
    const alone = generate(model, [p], { maxNewTokens: 10, greedy: true });
    assert.deepEqual(batch.tokens[b], alone.tokens[0], `row ${b}`);
    batch.logprobs[b]!.forEach((lp, i) => assert.ok(Math.abs(lp - alone.logprobs[0]![i]!) < 1e-4));
  });
});

test('log-probabilities equal a full forward pass over prompt + generated tokens', { skip: fixturesSkip }, () =>
  noGrad(() =>
    scope(() => {
      manualSeed(3);
      const g = generate(model, [prompts[0]!], { maxNewTokens: 8, temperature: 0.7 });
      const seq = [...prompts[0]!, ...g.tokens[0]!];
      const logp = model
        .forward(tensor([seq], { dtype: 'int64' }))
        .div(0.7)
        .logSoftmax(-1);
      g.tokens[0]!.forEach((tok, i) => {
        const expected = logp
          .select(1, prompts[0]!.length - 1 + i)
          .select(1, tok)
          .item();
        assert.ok(Math.abs(expected - g.logprobs[0]![i]!) < 1e-4, `token ${i}: ${expected} vs ${g.logprobs[0]![i]}`);
      });
    }),
  ),
);

test('per-row stop tokens and max length; the stop token ends the row and is kept', { skip: fixturesSkip }, () => {
  const greedy = generate(model, prompts, { maxNewTokens: 6, greedy: true });
  const stopRow0 = greedy.tokens[0]![2]!;
  const g = generate(model, prompts, { maxNewTokens: 6, greedy: true, stopTokens: [[stopRow0], [], [-1]] });
  assert.deepEqual(g.tokens[0], greedy.tokens[0]!.slice(0, greedy.tokens[0]!.indexOf(stopRow0) + 1));
  assert.equal(g.finishReasons[0], 'stop');
  assert.deepEqual(g.tokens[1], greedy.tokens[1]);
  assert.equal(g.finishReasons[1], 'length');
  assert.equal(g.tokens[2]!.length, 6);
});

test('seeded sampling is reproducible; top-k 1 and a tiny top-p are greedy', { skip: fixturesSkip }, () => {
  manualSeed(11);
  const a = generate(model, prompts, { maxNewTokens: 12, temperature: 1.3 });
  manualSeed(11);
  const b = generate(model, prompts, { maxNewTokens: 12, temperature: 1.3 });
  assert.deepEqual(a.tokens, b.tokens);
  const greedy = generate(model, prompts, { maxNewTokens: 12, greedy: true });
  assert.deepEqual(generate(model, prompts, { maxNewTokens: 12, topK: 1 }).tokens, greedy.tokens);
  assert.deepEqual(generate(model, prompts, { maxNewTokens: 12, topP: 1e-6 }).tokens, greedy.tokens);
});

test(
  'per-row seeds: a row samples the same tokens alone, in a batch, or in another order',
  { skip: fixturesSkip },
  () => {
    const seeds = [101, 202, 303];
    const batch = generate(model, prompts, { maxNewTokens: 12, temperature: 1.3, seeds });
    prompts.forEach((p, b) => {
      assert.deepEqual(
        generate(model, [p], { maxNewTokens: 12, temperature: 1.3, seeds: [seeds[b]!] }).tokens[0],
        batch.tokens[b],
        `row ${b}`,
      );
    });
    const reversed = generate(model, [...prompts].reverse(), {
      maxNewTokens: 12,
      temperature: 1.3,
      seeds: [...seeds].reverse(),
    });
    assert.deepEqual(reversed.tokens.reverse(), batch.tokens);
    assert.notDeepEqual(
      generate(model, prompts, { maxNewTokens: 12, temperature: 1.3, seeds: [1, 2, 3] }).tokens,
      batch.tokens,
    );
    assert.deepEqual(
      generate(model, prompts, { maxNewTokens: 12, topK: 1, seeds }).tokens,
      generate(model, prompts, { maxNewTokens: 12, greedy: true }).tokens,
    );
    assert.throws(() => generate(model, prompts, { maxNewTokens: 2, seeds: [1] }), /3 prompts/);
  },
);

test("per-row seeded draws follow the model's distribution (inverse CDF)", { skip: fixturesSkip }, () =>
  noGrad(() =>
    scope(() => {
      const n = 4000,
        p = [5, 17, 230];
      const probs = model
        .forward(tensor([p], { dtype: 'int64' }))
        .select(1, p.length - 1)
        .div(1.5)
        .softmax(-1)
        .toNumbers();
      const g = generate(model, new Array(n).fill(p) as number[][], {
        maxNewTokens: 1,
        temperature: 1.5,
        seeds: Array.from({ length: n }, (_, i) => 7919 * i + 1),
      });
      const freq = new Array<number>(probs.length).fill(0);
      for (const t of g.tokens) freq[t[0]!]! += 1 / n;
      // the 10 likeliest tokens are drawn at their probabilities, within 4.5 standard errors
      const top = probs
        .map((q, i) => [q, i] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, 10);
      for (const [q, i] of top)
        assert.ok(
          Math.abs(freq[i]! - q) < 4.5 * Math.sqrt((q * (1 - q)) / n),
          `token ${i}: drawn ${freq[i]} vs p ${q}`,
        );
      // every drawn token had positive probability, and its logged log-probability matches
      g.tokens.slice(0, 50).forEach((t, i) => assert.ok(Math.abs(Math.exp(g.logprobs[i]![0]!) - probs[t[0]!]!) < 1e-4));
    }),
  ),
);

test(
  'forced tokens: given where set, flagged, and the model continues from them; allowedRange limits sampled tokens',
  { skip: fixturesSkip },
  () => {
    const forced = [
      [null, null, 77, 78, null, null],
      [5, null, null, null, null, null],
      [null, null, null, null, null, null],
    ];
    const g = generate(model, prompts, { maxNewTokens: 6, greedy: true, forced });
    assert.deepEqual(g.tokens[0]!.slice(2, 4), [77, 78]);
    assert.deepEqual(g.given![0], [false, false, true, true, false, false]);
    assert.equal(g.tokens[1]![0], 5);
    // rows continue exactly as a fresh greedy run from the prompt plus the tokens so far
    const cont = generate(model, [[...prompts[0]!, ...g.tokens[0]!.slice(0, 4)]], { maxNewTokens: 2, greedy: true });
    assert.deepEqual(g.tokens[0]!.slice(4), cont.tokens[0]);
    assert.deepEqual(g.tokens[2], generate(model, [prompts[2]!], { maxNewTokens: 6, greedy: true }).tokens[0]);
    const r = generate(model, prompts, {
      maxNewTokens: 20,
      temperature: 2,
      seeds: [1, 2, 3],
      allowedRange: [100, 110],
    });
    assert.ok(r.tokens.flat().every((t) => t >= 100 && t < 110));
    assert.throws(() => generate(model, prompts, { maxNewTokens: 2, allowedRange: [5, 1e9] }), /allowedRange/);
  },
);

test('top-k and top-p filters keep the expected tokens', () =>
  scope(() => {
    const logits = tensor([[Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]]);
    const finite = (t: ReturnType<typeof tensor>) => t.isfinite().tolist();
    assert.deepEqual(finite(topKFilter(logits, 2)), [[true, true, false, false]]);
    assert.deepEqual(finite(topPFilter(logits, 0.75)), [[true, true, false, false]]);
    assert.deepEqual(finite(topPFilter(logits, 0.8)), [[true, true, false, false]]);
    assert.deepEqual(finite(topPFilter(logits, 0.81)), [[true, true, true, false]]);
    assert.deepEqual(finite(topPFilter(logits, 0.01)), [[true, false, false, false]]);
  }));

test('generation frees all its native memory', { skip: fixturesSkip }, () => {
  const before = liveTensors();
  generate(model, prompts, { maxNewTokens: 5, topK: 5, topP: 0.9 });
  assert.equal(liveTensors(), before);
  assert.throws(() => generate(model, [[1], []], { maxNewTokens: 2 }), /at least one token/);
});
