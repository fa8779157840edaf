// The frame tokenizer: shapes and token ranges, save/load, named errors. The short trainings on
// synthetic frames are in test/e2e/frame-tokenizer-training.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scope, noGrad, manualSeed } from '../../src/core/tensor/index.js';
import { FrameTokenizer, defaultFrameTokenizerConfig } from '../../src/domains/video/models/frame-tokenizer.js';
import { frameBatch, type FrameSet } from '../../src/domains/video/models/tokenizer-training.js';
import { Rng } from '../../src/core/util/rng.js';

/** Frames of 1–3 coloured squares on a grey table. */
function squares(count: number, size: number, seed: number): FrameSet {
  const rng = new Rng(seed);
  const colors = [
    [220, 40, 40],
    [40, 180, 60],
    [50, 80, 220],
    [230, 210, 40],
  ];
  const data = new Uint8Array(count * size * size * 3);
  for (let f = 0; f < count; f++) {
    const base = f * size * size * 3;
    for (let p = 0; p < size * size; p++) data.set([120, 110, 100], base + p * 3);
    for (let k = 0, n = 1 + rng.int(3); k < n; k++) {
      const s = 4 + rng.int(size / 4),
        x0 = rng.int(size - s),
        y0 = rng.int(size - s),
        c = rng.pick(colors);
      for (let y = y0; y < y0 + s; y++) for (let x = x0; x < x0 + s; x++) data.set(c, base + (y * size + x) * 3);
    }
  }
  return { data, count, height: size, width: size };
}

test('frame tokenizer: token grid, id range, decode shape, save/load round trip', () =>
  noGrad(() =>
    scope(() => {
      manualSeed(0);
      const tok = FrameTokenizer.init(defaultFrameTokenizerConfig());
      assert.equal(tok.tokensPerFrame, 64);
      assert.equal(tok.codebookSize, 1000);
      const frames = frameBatch(squares(3, 64, 1), [0, 1, 2]);
      const ids = tok.encode(frames);
      assert.deepEqual(ids.shape, [3, 64]);
      assert.equal(ids.dtype, 'int64');
      const v = ids.toNumbers();
      assert.ok(v.every((i) => Number.isInteger(i) && i >= 0 && i < 1000));
      const out = tok.decode(ids);
      assert.deepEqual(out.shape, [3, 64, 64, 3]);
      assert.equal(out.dtype, 'uint8');
      const dir = mkdtempSync(join(tmpdir(), 'ftok-'));
      try {
        tok.save(dir);
        const again = FrameTokenizer.load(dir);
        assert.deepEqual(again.encode(frames).toNumbers(), v);
        assert.ok(again.decode(ids).equal(out));
        writeFileSync(
          join(dir, 'config.json'),
          JSON.stringify({ model_type: 'rlvr_frame_tokenizer', ...defaultFrameTokenizerConfig({ channels: 16 }) }),
        );
        assert.throws(
          () => FrameTokenizer.load(dir),
          /tensor 'encoder.down.0.weight' has shape \[32,3,4,4\], the config needs \[16,3,4,4\]/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.throws(
        () => FrameTokenizer.init(defaultFrameTokenizerConfig({ height: 60 })),
        /not divisible by 2\^stages = 8/,
      );
    }),
  ));
