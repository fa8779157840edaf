// Short trainings of the frame tokenizers on synthetic frames (coloured squares, a moving square)
// that must reconstruct held-out frames. The fast frame-tokenizer tests are in test/unit/frame-tokenizer.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualSeed } from '../../src/core/tensor/index.js';
import { defaultFrameTokenizerConfig } from '../../src/domains/video/models/frame-tokenizer.js';
import {
  trainFrameTokenizer,
  reconstructionQuality,
  trainCompressiveTokenizer,
  compressiveQuality,
  type FrameSet,
  type FramePairs,
} from '../../src/domains/video/models/tokenizer-training.js';
import { defaultCompressiveTokenizerConfig } from '../../src/domains/video/models/compressive-tokenizer.js';
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

const small = defaultFrameTokenizerConfig({ levels: [5, 5, 5], channels: 8, stages: 2, height: 32, width: 32 });

test('frame tokenizer: L1 training reconstructs held-out frames', () => {
  manualSeed(0);
  const losses: number[] = [];
  const { tokenizer } = trainFrameTokenizer(small, squares(512, 32, 2), {
    steps: 300,
    batchSize: 16,
    learningRate: 3e-3,
    logEvery: 50,
    onLog: (_, l) => losses.push(l),
  });
  const q = reconstructionQuality(tokenizer, squares(64, 32, 99));
  console.log(
    `L1 by 50 steps: ${losses.map((l) => l.toFixed(4)).join(' ')}; held-out PSNR ${q.psnr.toFixed(2)} dB, codebook usage ${(100 * q.codebookUsage).toFixed(1)}%`,
  );
  assert.ok(losses.at(-1)! < losses[0]! / 2, `L1 ${losses[0]} -> ${losses.at(-1)}`);
  assert.ok(q.psnr > 20, `held-out PSNR ${q.psnr}`);
});

/** Sequences of 4 frames in which one square moves 3 px a frame over a static scene. */
function moving(sequences: number, size: number, seed: number): { set: FrameSet; pairs: FramePairs } {
  const rng = new Rng(seed);
  const data = new Uint8Array(sequences * 4 * size * size * 3);
  const pairs: FramePairs = [];
  for (let q = 0; q < sequences; q++) {
    const bg = [
      [200, 60, 60],
      [60, 60, 200],
    ].map((c) => ({ c, x: rng.int(size - 8), y: rng.int(size - 8) }));
    const mover = { c: [240, 220, 40], x: rng.int(size / 2), y: rng.int(size - 8), dx: 3 };
    for (let k = 0; k < 4; k++) {
      const base = (q * 4 + k) * size * size * 3;
      for (let p = 0; p < size * size; p++) data.set([110, 110, 110], base + p * 3);
      for (const s of [...bg, { ...mover, x: mover.x + k * mover.dx }]) {
        for (let y = s.y; y < s.y + 8; y++)
          for (let x = s.x; x < Math.min(size, s.x + 8); x++) data.set(s.c, base + (y * size + x) * 3);
      }
      if (k > 0) pairs.push([q * 4, q * 4 + k]);
    }
  }
  return { set: { data, count: sequences * 4, height: size, width: size }, pairs };
}

test('compressive tokenizer: few tokens per future frame, given the context, beat copying the context', () => {
  manualSeed(0);
  const cfg = defaultCompressiveTokenizerConfig({ levels: [5, 5, 5], channels: 8, stages: 3, height: 32, width: 32 });
  const train = moving(128, 32, 3);
  const { tokenizer } = trainCompressiveTokenizer(cfg, train.set, train.pairs, {
    steps: 300,
    batchSize: 16,
    learningRate: 3e-3,
  });
  assert.equal(tokenizer.tokensPerFrame, 16);
  const test = moving(16, 32, 77);
  const q = compressiveQuality(tokenizer, test.set, test.pairs);
  console.log(
    `future frames from 16 tokens: PSNR ${q.psnr.toFixed(2)} dB; copying the context: ${q.copyContextPsnr.toFixed(2)} dB`,
  );
  assert.ok(q.psnr > q.copyContextPsnr + 2, `coded ${q.psnr} vs copy ${q.copyContextPsnr}`);
});
