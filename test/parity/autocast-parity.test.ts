// bfloat16 autocast on the LLaMA fixture (shared/fixtures/llama-tiny): logits stay close to
// float32. The fixture-free autocast tests are in test/unit/autocast.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, scope, noGrad, autocast } from '../../src/core/tensor/index.js';
import { fromPretrained } from '../../src/core/models/index.js';
import { fixture, fixturesSkip } from '../helpers.js';

test("autocast: the LLaMA fixture's logits in bfloat16 stay close to float32", { skip: fixturesSkip }, () =>
  noGrad(() =>
    scope(() => {
      const model = fromPretrained(fixture('llama-tiny'));
      const ids = tensor([[5, 17, 230, 41, 99, 7]], { dtype: 'int64' });
      const full = model.forward(ids).logSoftmax(-1);
      const half = autocast('cpu', () => model.forward(ids))
        .float()
        .logSoftmax(-1);
      const err = half.sub(full).abs().amax().item();
      assert.ok(err < 0.3, `max |Δ log p| = ${err}`);
      assert.ok(half.argmax(-1).eq(full.argmax(-1)).float().mean().item() >= 0.8);
    }),
  ),
);
