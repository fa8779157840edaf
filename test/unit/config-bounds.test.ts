// Issue 20 items 3-4: every count, size and rate of the run config has its real bounds, and
// --set cannot reach Object.prototype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig, applySet, ConfigError } from '../../src/train/config/load.js';

const rejects = (set: string, field: string) => {
  const raw: Record<string, unknown> = {};
  applySet(raw, set);
  assert.throws(
    () => validateConfig(raw),
    (e: Error) => e instanceof ConfigError && e.message.includes(`config field ${field}:`),
    set,
  );
};

test('the defaults are valid', () => {
  const c = validateConfig({});
  assert.equal(c.mle.batchSize, 32);
  assert.equal(c.grpo.numGenerations, 5);
});

test('nonsense counts, sizes and rates are refused, naming the field', () => {
  for (const [set, field] of [
    ['mle.batchSize=0', 'mle.batchSize'],
    ['mle.batchSize=-8', 'mle.batchSize'],
    ['mle.steps=-5', 'mle.steps'],
    ['mle.saveSteps=0', 'mle.saveSteps'],
    ['mle.evalSteps=0', 'mle.evalSteps'],
    ['mle.loggingSteps=0', 'mle.loggingSteps'],
    ['mle.samplesSteps=0', 'mle.samplesSteps'],
    ['mle.evalExamples=-1', 'mle.evalExamples'],
    ['mle.warmupSteps=-3', 'mle.warmupSteps'],
    ['mle.numSamplesShown=-1', 'mle.numSamplesShown'],
    ['grpo.steps=0', 'grpo.steps'],
    ['grpo.numGenerations=0', 'grpo.numGenerations'],
    ['grpo.numGenerations=1', 'grpo.numGenerations'],
    ['grpo.promptsPerStep=-1', 'grpo.promptsPerStep'],
    ['grpo.maxCompletionLength=0', 'grpo.maxCompletionLength'],
    ['grpo.miniBatches=0', 'grpo.miniBatches'],
    ['grpo.numIterations=0', 'grpo.numIterations'],
    ['grpo.saveSteps=0', 'grpo.saveSteps'],
    ['grpo.evalSteps=0', 'grpo.evalSteps'],
    ['grpo.epsilon=1.5', 'grpo.epsilon'],
    ['grpo.topP=2', 'grpo.topP'],
    ['grpo.dynamicSampling.maxRounds=0', 'grpo.dynamicSampling.maxRounds'],
  ])
    rejects(set!, field!);
});

test('zero stays valid where it means none or off', () => {
  const raw: Record<string, unknown> = {};
  for (const s of ['mle.warmupSteps=0', 'grpo.microBatchSize=0', 'grpo.evalPassK=0', 'grpo.topK=0']) applySet(raw, s);
  assert.doesNotThrow(() => validateConfig(raw));
});

test('--set refuses __proto__, constructor and prototype segments; Object.prototype stays clean', () => {
  for (const s of ['__proto__.x=1', 'constructor.prototype.x=1', 'mle.__proto__.polluted=1', 'a.prototype=1']) {
    const raw: Record<string, unknown> = {};
    assert.throws(() => applySet(raw, s), ConfigError, s);
  }
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.throws(() => applySet({}, 'mle..steps=1'), /empty key/);
});
