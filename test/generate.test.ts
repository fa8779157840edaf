import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, scope, noGrad, manualSeed, liveTensors } from '../src/tensor/index.js';
import { fromPretrained } from '../src/models/index.js';
import { generate, topKFilter, topPFilter } from '../src/generate/index.js';
import { fixture } from './helpers.js';

const model = fromPretrained(fixture('llama-tiny'));
const prompts = [[5, 17, 230, 41, 99, 7], [300, 2], [8, 9, 10, 11]];

test('left-padded rows generate exactly what each row generates alone', () => {
  const batch = generate(model, prompts, { maxNewTokens: 10, greedy: true });
  prompts.forEach((p, b) => {
    const alone = generate(model, [p], { maxNewTokens: 10, greedy: true });
    assert.deepEqual(batch.tokens[b], alone.tokens[0], `row ${b}`);
    batch.logprobs[b]!.forEach((lp, i) => assert.ok(Math.abs(lp - alone.logprobs[0]![i]!) < 1e-4));
  });
});

test('log-probabilities equal a full forward pass over prompt + generated tokens', () => noGrad(() => scope(() => {
  manualSeed(3);
  const g = generate(model, [prompts[0]!], { maxNewTokens: 8, temperature: 0.7 });
  const seq = [...prompts[0]!, ...g.tokens[0]!];
  const logp = model.forward(tensor([seq], { dtype: 'int64' })).div(0.7).logSoftmax(-1);
  g.tokens[0]!.forEach((tok, i) => {
    const expected = logp.select(1, prompts[0]!.length - 1 + i).select(1, tok).item();
    assert.ok(Math.abs(expected - g.logprobs[0]![i]!) < 1e-4, `token ${i}: ${expected} vs ${g.logprobs[0]![i]}`);
  });
})));

test('per-row stop tokens and max length; the stop token ends the row and is kept', () => {
  const greedy = generate(model, prompts, { maxNewTokens: 6, greedy: true });
  const stopRow0 = greedy.tokens[0]![2]!;
  const g = generate(model, prompts, { maxNewTokens: 6, greedy: true, stopTokens: [[stopRow0], [], [-1]] });
  assert.deepEqual(g.tokens[0], greedy.tokens[0]!.slice(0, greedy.tokens[0]!.indexOf(stopRow0) + 1));
  assert.equal(g.finishReasons[0], 'stop');
  assert.deepEqual(g.tokens[1], greedy.tokens[1]);
  assert.equal(g.finishReasons[1], 'length');
  assert.equal(g.tokens[2]!.length, 6);
});

test('seeded sampling is reproducible; top-k 1 and a tiny top-p are greedy', () => {
  manualSeed(11);
  const a = generate(model, prompts, { maxNewTokens: 12, temperature: 1.3 });
  manualSeed(11);
  const b = generate(model, prompts, { maxNewTokens: 12, temperature: 1.3 });
  assert.deepEqual(a.tokens, b.tokens);
  const greedy = generate(model, prompts, { maxNewTokens: 12, greedy: true });
  assert.deepEqual(generate(model, prompts, { maxNewTokens: 12, topK: 1 }).tokens, greedy.tokens);
  assert.deepEqual(generate(model, prompts, { maxNewTokens: 12, topP: 1e-6 }).tokens, greedy.tokens);
});

test('top-k and top-p filters keep the expected tokens', () => scope(() => {
  const logits = tensor([[Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]]);
  const finite = (t: ReturnType<typeof tensor>) => t.isfinite().tolist();
  assert.deepEqual(finite(topKFilter(logits, 2)), [[true, true, false, false]]);
  assert.deepEqual(finite(topPFilter(logits, 0.75)), [[true, true, false, false]]);
  assert.deepEqual(finite(topPFilter(logits, 0.8)), [[true, true, false, false]]);
  assert.deepEqual(finite(topPFilter(logits, 0.81)), [[true, true, true, false]]);
  assert.deepEqual(finite(topPFilter(logits, 0.01)), [[true, false, false, false]]);
}));

test('generation frees all its native memory', () => {
  const before = liveTensors();
  generate(model, prompts, { maxNewTokens: 5, topK: 5, topP: 0.9 });
  assert.equal(liveTensors(), before);
  assert.throws(() => generate(model, [[1], []], { maxNewTokens: 2 }), /at least one token/);
});
