// Training the frame tokenizer: L1 reconstruction through the FSQ quantizer (straight-through
// gradients) on random mini-batches of frames, AdamW with a cosine schedule; held-out
// reconstruction quality is reported as PSNR (and the codebook's usage).
import { scope, noGrad, AdamW, clipGradNorm, type Tensor } from '../../../core/tensor/index.js';
import { FrameTokenizer, type FrameTokenizerConfig } from './frame-tokenizer.js';
import { CompressiveTokenizer, type CompressiveTokenizerConfig } from './compressive-tokenizer.js';
import { framesTensor, framesToInput } from './conv-model.js';
import { cappedPsnr, imageFromHwc, type Image } from '../image-metrics.js';
import { Rng } from '../../../core/util/rng.js';
import { learningRate } from '../../../train/schedule.js';

/** Frames as one uint8 array [N, H, W, 3]. */
export interface FrameSet {
  data: Uint8Array;
  count: number;
  height: number;
  width: number;
}

export interface TokenizerTrainOptions {
  steps: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  device?: string;
  /** called every logEvery steps with the mean L1 loss since the last call */
  onLog?: (step: number, l1: number) => void;
  logEvery?: number;
}

/** Frames [i..] of a set as a uint8 tensor [B, H, W, 3]. */
export function frameBatch(set: FrameSet, indices: number[], device = 'cpu'): Tensor {
  const n = set.height * set.width * 3;
  return framesTensor(
    indices.map((i) => set.data.subarray(i * n, (i + 1) * n)),
    set.height,
    set.width,
    device,
  );
}

/** Frame i of a set as a CHW image in [0, 1] (metrics). */
const imageAt = (set: { height: number; width: number }, data: Uint8Array, i: number): Image =>
  imageFromHwc(data, set.height, set.width, i * set.height * set.width * 3);

/**
 * The loop both tokenizers train with: AdamW (no weight decay) under warmup + cosine, gradient
 * clipping at 1; `l1(rng)` draws a batch and returns its L1 loss on the [0, 1] pixel scale.
 */
function trainL1(params: Tensor[], o: TokenizerTrainOptions, l1: (rng: Rng) => Tensor): number {
  const lr = o.learningRate ?? 2e-3,
    every = o.logEvery ?? 50;
  const opt = new AdamW(params, { lr, weightDecay: 0 });
  const rng = new Rng(o.seed ?? 0);
  let sum = 0,
    n = 0,
    finalL1 = NaN;
  for (let step = 1; step <= o.steps; step++) {
    opt.lr = learningRate(step - 1, o.steps, {
      lr,
      warmupSteps: Math.min(50, o.steps / 10),
      schedule: 'cosine',
      minLrRatio: 0.05,
    });
    sum += scope(() => {
      const loss = l1(rng);
      loss.backward();
      clipGradNorm(params, 1);
      opt.step();
      opt.zeroGrad();
      return loss.item();
    });
    n++;
    if (step % every === 0 || step === o.steps) {
      finalL1 = sum / n;
      o.onLog?.(step, finalL1);
      sum = 0;
      n = 0;
    }
  }
  return finalL1;
}

export function trainFrameTokenizer(
  config: FrameTokenizerConfig,
  train: FrameSet,
  o: TokenizerTrainOptions,
): { tokenizer: FrameTokenizer; finalL1: number } {
  if (train.height !== config.height || train.width !== config.width)
    throw new Error(
      `frames are ${train.height}×${train.width}, the tokenizer expects ${config.height}×${config.width}`,
    );
  const device = o.device ?? 'cpu',
    bs = o.batchSize ?? 32;
  const tok = FrameTokenizer.init(config, { device }).requiresGrad_();
  const finalL1 = trainL1(tok.parameters(), o, (rng) => {
    const x = framesToInput(
      frameBatch(
        train,
        Array.from({ length: bs }, () => rng.int(train.count)),
        device,
      ),
    );
    return tok.forward(x).sub(x).abs().mean().div(2);
  });
  tok.requiresGrad_(false);
  return { tokenizer: tok, finalL1 };
}

/** Held-out reconstruction: mean PSNR (pixels in [0, 1]) and the share of codebook entries used. */
export function reconstructionQuality(
  tok: FrameTokenizer,
  set: FrameSet,
  batchSize = 64,
): { psnr: number; codebookUsage: number; frames: number } {
  const used = new Set<number>();
  let total = 0;
  for (let s = 0; s < set.count; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, set.count - s) }, (_, k) => s + k);
    const { ids, recon } = noGrad(() =>
      scope(() => {
        const x = frameBatch(set, idx, tok.device);
        const t = tok.encode(x);
        return { ids: t.toNumbers(), recon: tok.decode(t).to('cpu').toArray() as Uint8Array };
      }),
    );
    ids.forEach((i) => used.add(i));
    idx.forEach((i, k) => {
      total += cappedPsnr(imageAt(set, recon, k), imageAt(set, set.data, i));
    });
  }
  return { psnr: total / set.count, codebookUsage: used.size / tok.codebookSize, frames: set.count };
}

/** (context frame, future frame) index pairs into one frame set. */
export type FramePairs = [number, number][];

export function trainCompressiveTokenizer(
  config: CompressiveTokenizerConfig,
  set: FrameSet,
  pairs: FramePairs,
  o: TokenizerTrainOptions,
): { tokenizer: CompressiveTokenizer; finalL1: number } {
  if (set.height !== config.height || set.width !== config.width)
    throw new Error(`frames are ${set.height}×${set.width}, the tokenizer expects ${config.height}×${config.width}`);
  if (pairs.length === 0) throw new Error('compressive tokenizer: no (context, future) pairs to train on');
  const device = o.device ?? 'cpu',
    bs = o.batchSize ?? 32;
  const tok = CompressiveTokenizer.init(config, { device }).requiresGrad_();
  const finalL1 = trainL1(tok.parameters(), o, (rng) => {
    const batch = Array.from({ length: bs }, () => pairs[rng.int(pairs.length)]!);
    const ctx = framesToInput(
      frameBatch(
        set,
        batch.map((p) => p[0]),
        device,
      ),
    );
    const fut = framesToInput(
      frameBatch(
        set,
        batch.map((p) => p[1]),
        device,
      ),
    );
    return tok.forward(ctx, fut).sub(fut).abs().mean().div(2);
  });
  tok.requiresGrad_(false);
  return { tokenizer: tok, finalL1 };
}

/** Held-out PSNR of future frames coded given their context, against copying the context. */
export function compressiveQuality(
  tok: CompressiveTokenizer,
  set: FrameSet,
  pairs: FramePairs,
  batchSize = 64,
): { psnr: number; copyContextPsnr: number; pairs: number } {
  let total = 0,
    copy = 0;
  for (let s = 0; s < pairs.length; s += batchSize) {
    const part = pairs.slice(s, s + batchSize);
    const recon = noGrad(() =>
      scope(() => {
        const ctx = frameBatch(
            set,
            part.map((p) => p[0]),
            tok.device,
          ),
          fut = frameBatch(
            set,
            part.map((p) => p[1]),
            tok.device,
          );
        return tok.decode(tok.encode(ctx, fut), ctx).to('cpu').toArray() as Uint8Array;
      }),
    );
    part.forEach(([c, f], k) => {
      const truth = imageAt(set, set.data, f);
      total += cappedPsnr(imageAt(set, recon, k), truth);
      copy += cappedPsnr(imageAt(set, set.data, c), truth);
    });
  }
  return { psnr: total / pairs.length, copyContextPsnr: copy / pairs.length, pairs: pairs.length };
}
