// The native decode step (native/src/decode.cc) against the TypeScript path of generate():
// the same tokens and bit-identical log-probabilities, for greedy and sampled decoding, left
// padding, stop tokens, forced tokens, an allowed range and shared prefixes, on small random
// models (GQA and not, with biases, tied embeddings, bfloat16) and the shared fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noGrad, scope, randn, manualSeed, liveTensors, nativeDecodeAvailable } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig, fromPretrained, type LlamaConfigInput } from '../../src/core/models/index.js';
import { generate, usesNativeDecode, type SampleOptions, type Generation } from '../../src/core/generate/index.js';
import { fixture, fixturesSkip } from '../helpers.js';

const skip = nativeDecodeAvailable() ? false : 'the loaded native engine has no decode step';

function randomModel(c: Partial<LlamaConfigInput>, dtype: 'float32' | 'bfloat16' = 'float32'): LlamaForCausalLM {
  manualSeed(1234);
  const model = LlamaForCausalLM.init(
    llamaConfig({
      vocabSize: 96,
      hiddenSize: 32,
      numHiddenLayers: 2,
      numAttentionHeads: 4,
      intermediateSize: 48,
      initializerRange: 0.3,
      ...c,
    }),
    { dtype },
  );
  // non-trivial norms and biases, so that every weight matters
  scope(() =>
    noGrad(() => {
      for (const [name, p] of model.params)
        if (name.endsWith('.bias') || name.endsWith('norm.weight')) p.add_(randn(p.shape, { dtype }).mul(0.2));
    }),
  );
  return model;
}

const models: [string, () => LlamaForCausalLM][] = [
  ['GQA llama', () => randomModel({ numKeyValueHeads: 2 })],
  [
    'MHA with every bias, tied embeddings',
    () => randomModel({ qkvBias: true, oBias: true, mlpBias: true, tieWordEmbeddings: true }),
  ],
  ['qwen2-style GQA, one KV head', () => randomModel({ modelType: 'qwen2', numKeyValueHeads: 1, numHiddenLayers: 3 })],
  ['bfloat16', () => randomModel({ numKeyValueHeads: 2 }, 'bfloat16')],
];

const prompts = [[5, 17, 30, 41, 9, 7], [60, 2], [8, 9, 10, 11], [3]];
const equalPrompts = [
  [1, 2, 3, 4],
  [9, 8, 7, 6],
  [50, 51, 52, 53],
];
const seeds = [101, 202, 303, 404];

/** Runs both paths with the same options (and the same libtorch seed) and requires the same result. */
function same(model: LlamaForCausalLM, ps: number[][], o: SampleOptions, what: string): Generation {
  manualSeed(77);
  const ts = generate(model, ps, { ...o, native: false });
  manualSeed(77);
  const before = liveTensors();
  const nat = generate(model, ps, { ...o, native: true });
  assert.equal(liveTensors(), before, `${what}: the native path frees every tensor it made`);
  assert.deepStrictEqual(nat.tokens, ts.tokens, `${what}: tokens`);
  assert.deepStrictEqual(nat.logprobs, ts.logprobs, `${what}: log-probabilities`);
  assert.deepStrictEqual(nat.finishReasons, ts.finishReasons, `${what}: finish reasons`);
  assert.deepStrictEqual(nat.given, ts.given, `${what}: given`);
  return nat;
}

function cases(model: LlamaForCausalLM): void {
  const n = 12;
  same(model, equalPrompts, { maxNewTokens: n, greedy: true }, 'greedy');
  same(model, prompts, { maxNewTokens: n, greedy: true }, 'greedy, left-padded');
  same(model, prompts, { maxNewTokens: n, temperature: 0.8, topK: 10, topP: 0.9, seeds }, 'seeded top-k top-p');
  same(model, prompts, { maxNewTokens: n, seeds }, 'seeded, temperature 1');
  same(model, equalPrompts, { maxNewTokens: n, temperature: 2, seeds: seeds.slice(0, 3) }, 'seeded, temperature 2');
  same(model, prompts, { maxNewTokens: n, topP: 0.5, seeds }, 'seeded top-p');
  same(model, prompts, { maxNewTokens: n, temperature: 1.3, topK: 5 }, 'unseeded (multinomial) top-k');
  same(model, equalPrompts, { maxNewTokens: n, temperature: 0.7 }, 'unseeded (multinomial)');
  const greedy = generate(model, prompts, { maxNewTokens: n, greedy: true, native: false });
  const stopTokens = [[greedy.tokens[0]![3]!], [], [greedy.tokens[2]![0]!, 1], [-1]];
  const g = same(model, prompts, { maxNewTokens: n, greedy: true, stopTokens }, 'per-row stop tokens');
  assert.equal(g.finishReasons[0], 'stop');
  assert.equal(g.finishReasons[2], 'stop');
  same(model, prompts, { maxNewTokens: n, temperature: 1.2, seeds, stopTokens: [4, 5, 6] }, 'shared stop tokens');
  const forced = [
    [null, null, 77, 78, null, null],
    [5, null, null, null, null, 6],
    [null, null, null, null, null, null],
    [1, 2, 3, 4, 5, 6],
  ];
  same(model, prompts, { maxNewTokens: 6, greedy: true, forced }, 'forced tokens, greedy');
  same(
    model,
    prompts,
    { maxNewTokens: n, temperature: 1.5, seeds, forced, allowedRange: [20, 40] },
    'forced tokens and an allowed range, seeded',
  );
  const r = same(model, prompts, { maxNewTokens: n, greedy: true, allowedRange: [40, 48] }, 'allowed range, greedy');
  assert.ok(r.tokens.flat().every((t) => t >= 40 && t < 48));
  const group = [prompts[0]!, prompts[0]!, prompts[1]!, prompts[1]!, prompts[1]!, prompts[3]!];
  const groupSeeds = [1, 2, 3, 4, 5, 6];
  for (const sharePrefix of [true, false])
    same(
      model,
      group,
      { maxNewTokens: n, temperature: 1.1, topK: 20, seeds: groupSeeds, sharePrefix },
      `repeated prompts, sharePrefix ${sharePrefix}`,
    );
  same(model, [prompts[0]!], { maxNewTokens: n, temperature: 0.9, seeds: [9] }, 'one row');
  same(model, prompts, { maxNewTokens: 1, temperature: 0.9, seeds }, 'one new token');
}

for (const [name, make] of models)
  test(`native decode step = TypeScript path: ${name}`, { skip }, () => {
    const model = make();
    try {
      cases(model);
    } finally {
      model.dispose();
    }
  });

for (const name of ['llama-tiny', 'qwen2-tiny'])
  test(`native decode step = TypeScript path: fixture ${name}`, { skip: skip || fixturesSkip }, () => {
    const model = fromPretrained(fixture(name));
    try {
      const ps = [
        [5, 17, 230, 41, 99, 7],
        [300, 2],
        [8, 9, 10, 11],
      ];
      const n = 16;
      same(model, ps, { maxNewTokens: n, greedy: true }, 'greedy');
      same(model, ps, { maxNewTokens: n, temperature: 1.3, seeds: [101, 202, 303] }, 'seeded');
      same(model, ps, { maxNewTokens: n, temperature: 0.8, topK: 40, topP: 0.95, seeds: [1, 2, 3] }, 'top-k top-p');
      same(model, ps, { maxNewTokens: n, temperature: 1.3 }, 'unseeded');
      same(
        model,
        ps,
        {
          maxNewTokens: 6,
          temperature: 2,
          seeds: [1, 2, 3],
          allowedRange: [100, 110],
          forced: [[null, null, 77, 78, null, null], [5], []],
        },
        'forced and allowed range',
      );
    } finally {
      model.dispose();
    }
  });

test('the native path over many steps holds no tensors and matches at length', { skip }, () => {
  const model = randomModel({ numKeyValueHeads: 2 });
  try {
    const before = liveTensors();
    same(model, prompts, { maxNewTokens: 200, temperature: 1.2, seeds }, 'long seeded run');
    assert.equal(liveTensors(), before);
  } finally {
    model.dispose();
  }
});

test('the switch: the option, then RLVR_NATIVE_DECODE, then the default', { skip }, () => {
  const saved = process.env.RLVR_NATIVE_DECODE;
  try {
    delete process.env.RLVR_NATIVE_DECODE;
    assert.equal(usesNativeDecode({ native: false }), false);
    assert.equal(usesNativeDecode({ native: true }), true);
    process.env.RLVR_NATIVE_DECODE = '0';
    assert.equal(usesNativeDecode(), false);
    assert.equal(usesNativeDecode({ native: true }), true);
    process.env.RLVR_NATIVE_DECODE = '1';
    assert.equal(usesNativeDecode(), true);
    assert.equal(usesNativeDecode({ native: false }), false);
  } finally {
    if (saved === undefined) delete process.env.RLVR_NATIVE_DECODE;
    else process.env.RLVR_NATIVE_DECODE = saved;
  }
});

test('errors: a bad allowed range, a used-up decoder', { skip }, () => {
  const model = randomModel({});
  try {
    assert.throws(
      () => generate(model, prompts, { maxNewTokens: 2, allowedRange: [5, 1e9], native: true }),
      /allowedRange/,
    );
    const cache = model.newCache(1, 4);
    const d = model.nativeDecoder(cache, null, { greedy: true, temperature: 1, topK: 0, topP: 1, range: null });
    cache.length = 4;
    assert.throws(() => d.step([1], null, cache.length, null), /KV cache full/);
    d.dispose();
    assert.throws(() => d.step([1], null, 0, null), /after dispose/);
    cache.dispose();
  } finally {
    model.dispose();
  }
});
