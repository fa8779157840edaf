// Trainer parts on the Qwen2 fixture (shared/fixtures/qwen2-tiny): the training log-probs equal
// the sampler's. The fixture-free trainer parts are in test/unit/trainer-parts.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scope, noGrad, manualSeed } from '../../src/core/tensor/index.js';
import { fromPretrained } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';
import { policyBatch } from '../../src/train/batch.js';
import { responseLogprobs } from '../../src/train/logprobs.js';
import { fixture, fixturesSkip } from '../helpers.js';

test('training log-probs recompute exactly what the sampler recorded', { skip: fixturesSkip }, () =>
  noGrad(() =>
    scope(() => {
      const model = fromPretrained(fixture('qwen2-tiny'));
      manualSeed(5);
      const prompts = [
        [3, 4, 5, 6, 7],
        [9, 10],
        [11, 12, 13],
      ];
      const g = generate(model, prompts, { maxNewTokens: 7, temperature: 0.9, stopTokens: [17] });
      const b = policyBatch(prompts, g.tokens, 0);
      const lp = responseLogprobs(model, b, 0.9).logp.tolist() as number[][];
      g.tokens.forEach((toks, r) =>
        toks.forEach((_, t) => assert.ok(Math.abs(lp[r]![t]! - g.logprobs[r]![t]!) < 1e-4, `row ${r} token ${t}`)),
      );
    }),
  ),
);
