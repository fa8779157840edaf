import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  tensor,
  cat,
  scope,
  noGrad,
  loadSafetensors,
  saveSafetensors,
  randn,
  type Tensor,
} from '../../src/core/tensor/index.js';
import {
  fromPretrained,
  savePretrained,
  LlamaForCausalLM,
  llamaConfig,
  configFromHF,
} from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';
import { fixture, fixturesSkip, readJson } from '../helpers.js';

const maxAbsDiff = (a: Tensor, b: Tensor): number => a.sub(b).abs().amax().item();

for (const name of ['qwen2-tiny', 'llama-tiny']) {
  test(`${name}: logits and hidden states match transformers within 1e-4`, { skip: fixturesSkip }, () =>
    noGrad(() =>
      scope(() => {
        const ref = readJson(fixture(name, 'reference.json'));
        const model = fromPretrained(fixture(name));
        const ids = tensor(ref.input_ids, { dtype: 'int64' });
        const logits = model.forward(ids);
        assert.deepEqual(logits.shape, [2, 16, model.config.vocabSize]);
        assert.ok(maxAbsDiff(logits, tensor(ref.logits)) < 1e-4);
        assert.ok(maxAbsDiff(model.hidden(ids), tensor(ref.last_hidden_state_after_norm)) < 1e-4);
        assert.ok(Math.abs(logits.logsumexp(-1).sum().item() - ref.logsumexp_checksum) < 1e-3);
        // with a KV cache, feeding the sequence in two chunks gives the same logits
        const cache = model.newCache(2, 16);
        const a = model.forward(ids.narrow(1, 0, 9), { cache });
        const b = model.forward(ids.narrow(1, 9, 7), { cache });
        assert.ok(maxAbsDiff(cat([a, b], 1), logits) < 1e-4);
        cache.dispose();
        model.dispose();
      }),
    ),
  );

  test(`${name}: greedy continuation matches transformers token for token`, { skip: fixturesSkip }, () => {
    const ref = readJson(fixture(name, 'reference.json'));
    const model = fromPretrained(fixture(name));
    const prompts = (ref.input_ids as number[][]).map((r) => r.slice(0, ref.greedy_prompt_len));
    const g = generate(model, prompts, { maxNewTokens: ref.greedy_new_tokens[0].length, greedy: true });
    assert.deepEqual(g.tokens, ref.greedy_new_tokens);
    model.dispose();
  });
}

test('save → load round-trips a checkpoint transformers can read (config + safetensors)', { skip: fixturesSkip }, () =>
  scope(() => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    try {
      const model = fromPretrained(fixture('qwen2-tiny'));
      savePretrained(model, dir);
      const cfg = readJson(join(dir, 'config.json'));
      assert.equal(cfg.model_type, 'qwen2');
      assert.deepEqual(cfg.architectures, ['Qwen2ForCausalLM']);
      assert.equal(cfg.rope_parameters.rope_theta, 10000);
      // same tensor names, shapes and dtypes as the transformers-written file
      const ours = loadSafetensors(join(dir, 'model.safetensors'));
      const theirs = loadSafetensors(fixture('qwen2-tiny', 'model.safetensors'));
      assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
      for (const [k, t] of theirs) assert.ok(t.equal(ours.get(k)!), k);
      const again = fromPretrained(dir);
      const ids = tensor([[1, 2, 3, 4]], { dtype: 'int64' });
      noGrad(() => assert.ok(model.forward(ids).equal(again.forward(ids))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }),
);

test('a checkpoint that does not match its config names the tensor and both shapes', { skip: fixturesSkip }, () =>
  scope(() => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    try {
      const cfg = readJson(fixture('llama-tiny', 'config.json'));
      cfg.intermediate_size = 100;
      writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
      copyFileSync(fixture('llama-tiny', 'model.safetensors'), join(dir, 'model.safetensors'));
      assert.throws(
        () => fromPretrained(dir),
        /tensor 'model\.layers\.0\.mlp\.down_proj\.weight' has shape \[64,176\] but the config needs \[64,100\]/,
      );
      // a missing tensor
      const t = loadSafetensors(fixture('llama-tiny', 'model.safetensors'));
      t.delete('model.norm.weight');
      saveSafetensors(join(dir, 'model.safetensors'), t);
      writeFileSync(join(dir, 'config.json'), readFileSync(fixture('llama-tiny', 'config.json')));
      assert.throws(() => fromPretrained(dir), /lacks tensor 'model\.norm\.weight' \(config needs shape \[64\]\)/);
      // an unexpected tensor
      t.set('model.norm.weight', randn([64]));
      t.set('model.layers.9.mlp.up_proj.weight', randn([2, 2]));
      saveSafetensors(join(dir, 'model.safetensors'), t);
      assert.throws(
        () => fromPretrained(dir),
        /tensor 'model\.layers\.9\.mlp\.up_proj\.weight' \(shape \[2,2\]\) is not a parameter/,
      );
      // a bad config field is named
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, hidden_size: 'big' }));
      assert.throws(() => fromPretrained(dir), /field hidden_size is missing or not a number/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }),
);

test('sharded checkpoints load through model.safetensors.index.json', { skip: fixturesSkip }, () =>
  scope(() => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    try {
      const all = loadSafetensors(fixture('llama-tiny', 'model.safetensors'));
      const names = [...all.keys()];
      const half = Math.ceil(names.length / 2);
      const shards = [names.slice(0, half), names.slice(half)];
      const weightMap: Record<string, string> = {};
      shards.forEach((ns, i) => {
        const file = `model-0000${i + 1}-of-00002.safetensors`;
        saveSafetensors(join(dir, file), new Map(ns.map((n) => [n, all.get(n)!])));
        for (const n of ns) weightMap[n] = file;
      });
      writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
      copyFileSync(fixture('llama-tiny', 'config.json'), join(dir, 'config.json'));
      const ref = readJson(fixture('llama-tiny', 'reference.json'));
      const m = fromPretrained(dir);
      noGrad(() =>
        assert.ok(maxAbsDiff(m.forward(tensor(ref.input_ids, { dtype: 'int64' })), tensor(ref.logits)) < 1e-4),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }),
);

test(
  'config: rope θ from rope_theta or rope_parameters; tied embeddings save without lm_head',
  { skip: fixturesSkip },
  () =>
    scope(() => {
      const base = readJson(fixture('llama-tiny', 'config.json'));
      delete base.rope_parameters;
      assert.equal(configFromHF({ ...base, rope_theta: 500000 }).ropeTheta, 500000);
      assert.equal(
        configFromHF({ ...base, rope_parameters: { rope_theta: 1e6, rope_type: 'default' } }).ropeTheta,
        1e6,
      );
      assert.throws(() => configFromHF({ ...base, model_type: 'gpt2' }), /model_type 'gpt2' is not supported/);
      const cfg = llamaConfig({
        vocabSize: 50,
        hiddenSize: 16,
        numHiddenLayers: 1,
        numAttentionHeads: 2,
        tieWordEmbeddings: true,
      });
      const m = LlamaForCausalLM.init(cfg);
      assert.equal(m.lmHead, m.embedding);
      const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
      try {
        savePretrained(m, dir);
        assert.equal(loadSafetensors(join(dir, 'model.safetensors')).has('lm_head.weight'), false);
        const back = fromPretrained(dir);
        const ids = tensor([[3, 4, 5]], { dtype: 'int64' });
        noGrad(() => assert.ok(back.forward(ids).equal(m.forward(ids))));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
);
