// `train grpo` from an init checkpoint whose vocabulary is smaller than the domain's tokenizer
// is refused with the reason, as eval, sample and diagnose refuse it, instead of failing inside
// the first rollout on a token id past the embedding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainMle } from '../../src/train/mle.js';
import { trainGrpo } from '../../src/train/grpo.js';
import { loadSafetensors, saveSafetensors } from '../../src/core/tensor/index.js';

test('train grpo refuses an init checkpoint with fewer tokens than the tokenizer', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-vocab-'));
  try {
    const base = {
      domain: 'counter',
      threads: 1,
      domainOptions: { registers: 2, trainSize: 100, testSize: 6 },
      model: { hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1, numAttentionHeads: 2 },
    };
    const mleCfg = validateConfig({
      ...base,
      runDir: join(dir, 'mle'),
      mle: { steps: 2, batchSize: 8, evalSteps: 2, saveSteps: 2, evalExamples: 2 },
    });
    const domain = counterDomain(mleCfg.domainOptions);
    const mle = await trainMle(mleCfg, domain, { quiet: true });
    // the checkpoint with its embedding and head cut to 10 rows (a model of another tokenizer)
    const small = join(dir, 'small');
    cpSync(mle.checkpoint, small, { recursive: true });
    const file = join(small, 'model.safetensors');
    const t = loadSafetensors(file);
    for (const k of ['model.embed_tokens.weight', 'lm_head.weight']) t.set(k, t.get(k)!.narrow(0, 0, 10));
    saveSafetensors(file, t);
    const c = JSON.parse(readFileSync(join(small, 'config.json'), 'utf8'));
    writeFileSync(join(small, 'config.json'), JSON.stringify({ ...c, vocab_size: 10 }));
    const grpoCfg = validateConfig({
      ...base,
      runDir: join(dir, 'rl'),
      init: small,
      grpo: { steps: 1, promptsPerStep: 2, numGenerations: 2, maxCompletionLength: 4, evalSteps: 1, evalExamples: 2 },
    });
    await assert.rejects(
      trainGrpo(grpoCfg, domain, { quiet: true }),
      new RegExp(`vocabulary has 10 tokens but the domain's tokenizer has ${domain.codec.vocabSize}`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
