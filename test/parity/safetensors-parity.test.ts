// safetensors against the fixtures: a transformers-written file reads, and a truncated copy of a
// fixture file is reported with its path. The round trip is in test/unit/safetensors.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scope, loadSafetensors, SafetensorsFile } from '../../src/core/tensor/index.js';
import { fixture, fixturesSkip } from '../helpers.js';

test('reads transformers-written safetensors', { skip: fixturesSkip }, () =>
  scope(() => {
    const m = loadSafetensors(fixture('qwen2-tiny', 'model.safetensors'));
    assert.deepEqual(m.get('model.embed_tokens.weight')!.shape, [512, 64]);
    assert.deepEqual(m.get('model.layers.0.self_attn.q_proj.bias')!.shape, [64]);
  }),
);

test('a truncated or corrupt file is reported with its path', { skip: fixturesSkip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'st-'));
  try {
    const good = readFileSync(fixture('llama-tiny', 'model.safetensors'));
    const cut = join(dir, 'cut.safetensors');
    writeFileSync(cut, good.subarray(0, good.length - 100));
    assert.throws(
      () => new SafetensorsFile(cut),
      (e: Error) => e.message.includes(cut) && /past the end of the file/.test(e.message),
    );
    const junk = join(dir, 'junk.safetensors');
    writeFileSync(junk, Buffer.from('not a safetensors file at all'));
    assert.throws(() => new SafetensorsFile(junk), /not a valid safetensors file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
