// Issue 20 item 6: corrupt safetensors headers and non-finite weights are caught at load time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, scope, saveSafetensors, SafetensorsFile } from '../../src/core/tensor/index.js';
import { LlamaForCausalLM, llamaConfig, savePretrained, fromPretrained } from '../../src/core/models/index.js';

/** Rewrites a safetensors file's header through `edit`; the data section (offsets count from its start) stays. */
function editHeader(path: string, edit: (h: Record<string, any>) => void): void {
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  edit(header);
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([len, json, buf.subarray(8 + n)]));
}

function withFile(fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'st-check-'));
  try {
    const path = join(dir, 'x.safetensors');
    scope(() =>
      saveSafetensors(path, {
        a: tensor([1, 2, 3, 4], { dtype: 'float32' }),
        b: tensor([5, 6, 7, 8], { dtype: 'float32' }),
      }),
    );
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const invalid = (path: string, re: RegExp) =>
  assert.throws(
    () => new SafetensorsFile(path).close(),
    (e: Error) => /not a valid safetensors file/.test(e.message) && re.test(e.message),
  );

test('data_offsets pointing back into the header are refused, naming the tensor', () =>
  withFile((path) => {
    editHeader(path, (h) => (h.a.data_offsets = [-16, 0]));
    invalid(path, /tensor 'a': data_offsets \[-16,0\]/);
  }));

test('overlapping tensors are refused', () =>
  withFile((path) => {
    editHeader(path, (h) => (h.b.data_offsets = [8, 24]));
    invalid(path, /tensor 'b' .*overlaps 'a'/);
  }));

test('offsets that do not match dtype × shape, or run past the file, are refused', () => {
  withFile((path) => {
    editHeader(path, (h) => (h.a.shape = [5]));
    invalid(path, /tensor 'a': .*shape \[5\] of float32 needs 20/);
  });
  withFile((path) => {
    editHeader(path, (h) => {
      h.b.data_offsets = [32, 48];
    });
    invalid(path, /tensor 'b' runs past the end of the file/);
  });
  withFile((path) => {
    editHeader(path, (h) => (h.a.data_offsets = [0.5, 16.5]));
    invalid(path, /tensor 'a': data_offsets/);
  });
});

test('a valid file still reads', () =>
  withFile((path) => {
    const f = new SafetensorsFile(path);
    try {
      assert.deepEqual(
        scope(() => [...f.read('b').toArray()]),
        [5, 6, 7, 8],
      );
    } finally {
      f.close();
    }
  }));

test('non-finite weights: a warning by default, refused with nonFinite: error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nan-ckpt-'));
  try {
    const cfg = llamaConfig({
      vocabSize: 11,
      hiddenSize: 8,
      intermediateSize: 12,
      numHiddenLayers: 1,
      numAttentionHeads: 2,
    });
    const model = LlamaForCausalLM.init(cfg);
    savePretrained(model, dir);
    model.dispose();
    const file = join(dir, 'model.safetensors');
    const buf = readFileSync(file);
    buf.fill(0xff, 8 + Number(buf.readBigUInt64LE(0))); // every float becomes NaN
    writeFileSync(file, buf);
    const warnings: string[] = [];
    fromPretrained(dir, { warn: (m) => warnings.push(m) }).dispose();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /weight tensors hold NaN or infinite values \('model\.embed_tokens\.weight'/);
    assert.throws(() => fromPretrained(dir, { nonFinite: 'error' }), /hold NaN or infinite values/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
