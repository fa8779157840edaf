// The video domain's data folder, built once per recipe: simulator episodes (train, test) in
// the published .npz layout, the frame tokenizer and (for multi-step) the compressive
// tokenizer trained on the training frames, the action ranges, and manifest.json recording the
// recipe; a different recipe rebuilds. Also loads episodes written by anyone in that layout.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { manifestPath, readManifest, sameRecipe, writeManifest, type Manifest as DataManifest } from '../manifest.js';
import { join } from 'node:path';
import { z } from 'zod';
import { readEpisode, type Episode } from './episodes.js';
import { iterateEpisodes, saveEpisodes, type PolicyName } from './sim/index.js';
import { FrameTokenizer, defaultFrameTokenizerConfig } from './models/frame-tokenizer.js';
import { CompressiveTokenizer, defaultCompressiveTokenizerConfig } from './models/compressive-tokenizer.js';
import {
  trainFrameTokenizer,
  trainCompressiveTokenizer,
  reconstructionQuality,
  compressiveQuality,
  type FrameSet,
  type FramePairs,
} from './models/tokenizer-training.js';
import { manualSeed } from '../../core/tensor/index.js';

const levels = z.array(z.number().int().min(2)).min(1);
const TokenizerSchema = (stages: number) =>
  z
    .object({
      levels: levels.default([8, 5, 5, 5]),
      channels: z.number().int().positive().default(32),
      stages: z.number().int().positive().default(stages),
      steps: z.number().int().positive().default(1500),
      batchSize: z.number().int().positive().default(32),
      learningRate: z.number().positive().default(2e-3),
    })
    .strict();
export const VideoOptionsSchema = z
  .object({
    /** where episodes, tokenizers and the manifest live */
    dataDir: z.string().default('runs/video-data'),
    /** published-layout episode folders to use instead of the simulator's ({train, test} .npz folders) */
    episodesDir: z.string().optional(),
    task: z.enum(['single', 'multi']).default('single'),
    seed: z.number().int().default(0),
    height: z.number().int().positive().default(64),
    width: z.number().int().positive().default(64),
    trainEpisodes: z.number().int().positive().default(240),
    testEpisodes: z.number().int().positive().default(40),
    episodeLength: z.number().int().min(6).default(32),
    /** relative weights of the scripted policies that generate the data */
    policyMix: z
      .record(z.enum(['expert', 'noisy', 'weak', 'random']), z.number().min(0))
      .default({ expert: 2, noisy: 2, weak: 1, random: 1 }),
    contextFrames: z.number().int().positive().default(4),
    futureFrames: z.number().int().positive().default(3),
    /** examples start every `stride` steps of an episode */
    stride: z.number().int().positive().default(2),
    actionBins: z.number().int().min(2).default(64),
    tokenizer: TokenizerSchema(3).default(TokenizerSchema(3).parse({})),
    compressive: TokenizerSchema(4).default(TokenizerSchema(4).parse({})),
    /** an LPIPS network as ONNX (two images in [-1, 1] → a distance); without it LPIPS is unavailable */
    lpipsOnnx: z.string().optional(),
    /** test examples evaluated (0 = all) */
    evalLimit: z.number().int().min(0).default(0),
  })
  .strict();
export type VideoOptions = z.infer<typeof VideoOptionsSchema>;

export interface VideoData {
  train: Episode[];
  test: Episode[];
  tokenizer: FrameTokenizer;
  compressive: CompressiveTokenizer | null;
  actionMin: number[];
  actionMax: number[];
  manifest: Manifest;
}

interface Manifest extends DataManifest {
  recipe: Record<string, unknown>;
  tokenizer?: { psnr: number; codebookUsage: number; frames: number; l1: number; parameters: number };
  compressive?: {
    recipe: Record<string, unknown>;
    psnr: number;
    copyContextPsnr: number;
    pairs: number;
    l1: number;
    parameters: number;
  };
  actionMin: number[];
  actionMax: number[];
  counts: { train: number; test: number };
}

/** The options that decide the episodes and the frame tokenizer (single- and multi-step share them). */
function recipeOf(o: VideoOptions): Record<string, unknown> {
  const {
    dataDir: _d,
    evalLimit: _e,
    lpipsOnnx: _l,
    stride: _s,
    task: _t,
    compressive: _c,
    futureFrames: _f,
    contextFrames: _x,
    ...rest
  } = o;
  return { version: 1, ...rest };
}
/** The options that decide the compressive tokenizer, built the first time a multi-step run needs it. */
const compressiveRecipeOf = (o: VideoOptions): Record<string, unknown> => ({
  ...o.compressive,
  futureFrames: o.futureFrames,
});

export function loadEpisodes(dir: string): Episode[] {
  if (!existsSync(dir)) throw new Error(`${dir}: no such episode folder`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.npz'))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no .npz episodes`);
  const eps = files.map((f) => readEpisode(join(dir, f)));
  const [h, w, d] = [eps[0]!.height, eps[0]!.width, eps[0]!.actionDim];
  eps.forEach((e, i) => {
    if (e.height !== h || e.width !== w || e.actionDim !== d)
      throw new Error(
        `${join(dir, files[i]!)}: ${e.height}×${e.width} frames with ${e.actionDim}-d actions, the folder's first episode has ${h}×${w} and ${d}-d`,
      );
  });
  return eps;
}

/** All frames of episodes as one set. */
export function framesOf(eps: Episode[]): FrameSet {
  const { height, width } = eps[0]!;
  const count = eps.reduce((a, e) => a + e.length, 0);
  const data = new Uint8Array(count * height * width * 3);
  let off = 0;
  for (const e of eps) {
    data.set(e.frames, off);
    off += e.frames.length;
  }
  return { data, count, height, width };
}

/** (context, future) pairs for the compressive tokenizer: every t and t + k, k = 1..K, within an episode. */
export function contextPairs(eps: Episode[], K: number): FramePairs {
  const pairs: FramePairs = [];
  let base = 0;
  for (const e of eps) {
    for (let t = 0; t < e.length; t++)
      for (let k = 1; k <= K && t + k < e.length; k++) pairs.push([base + t, base + t + k]);
    base += e.length;
  }
  return pairs;
}

export async function buildVideoData(
  o: VideoOptions,
  log: (m: string) => void = (m) => console.error(m),
): Promise<VideoData> {
  const dir = o.dataDir;
  const recipe = recipeOf(o);
  const current = readManifest<Manifest>(dir);
  const fresh = sameRecipe(current, recipe);
  const epDir = (split: string): string => (o.episodesDir ? join(o.episodesDir, split) : join(dir, 'episodes', split));
  if (!fresh) {
    if (current) log(`video data: ${dir} was built with another recipe; rebuilding`);
    for (const sub of ['episodes', 'tokenizer', 'compressive'])
      rmSync(join(dir, sub), { recursive: true, force: true });
    rmSync(manifestPath(dir), { force: true });
    mkdirSync(dir, { recursive: true });
    if (!o.episodesDir) {
      const common = {
        steps: o.episodeLength,
        height: o.height,
        width: o.width,
        policyMix: o.policyMix as Partial<Record<PolicyName, number>>,
      };
      log(
        `video data: simulating ${o.trainEpisodes} training and ${o.testEpisodes} test episodes (${o.episodeLength} steps, ${o.height}×${o.width})`,
      );
      saveEpisodes(epDir('train'), iterateEpisodes({ ...common, count: o.trainEpisodes, seed: o.seed * 2 + 1 }));
      saveEpisodes(epDir('test'), iterateEpisodes({ ...common, count: o.testEpisodes, seed: o.seed * 2 + 2 }));
    }
  }
  const train = loadEpisodes(epDir('train')),
    test = loadEpisodes(epDir('test'));
  if (train[0]!.height !== o.height || train[0]!.width !== o.width)
    throw new Error(
      `${epDir('train')}: frames are ${train[0]!.height}×${train[0]!.width}, the options say ${o.height}×${o.width}`,
    );
  let manifest: Manifest;
  if (fresh) {
    manifest = current!;
  } else {
    manualSeed(o.seed);
    const t = o.tokenizer;
    const cfg = defaultFrameTokenizerConfig({
      levels: t.levels,
      channels: t.channels,
      stages: t.stages,
      height: o.height,
      width: o.width,
    });
    log(
      `video data: training the frame tokenizer (${t.steps} steps, ${cfg.height / 2 ** cfg.stages}×${cfg.width / 2 ** cfg.stages} tokens, ${t.levels.reduce((a, b) => a * b, 1)} codes)`,
    );
    const frames = framesOf(train);
    const tok = trainFrameTokenizer(cfg, frames, {
      steps: t.steps,
      batchSize: t.batchSize,
      learningRate: t.learningRate,
      seed: o.seed,
      onLog: (s, l) => log(`  tokenizer step ${s}: L1 ${l.toFixed(4)}`),
      logEvery: 250,
    });
    tok.tokenizer.save(join(dir, 'tokenizer'));
    const q = reconstructionQuality(tok.tokenizer, framesOf(test));
    log(
      `video data: tokenizer held-out PSNR ${q.psnr.toFixed(2)} dB, codebook usage ${(100 * q.codebookUsage).toFixed(1)}%`,
    );
    manifest = {
      recipe,
      actionMin: [],
      actionMax: [],
      counts: { train: train.length, test: test.length },
      tokenizer: { ...q, l1: tok.finalL1, parameters: tok.tokenizer.numParameters() },
    };
    // action ranges from the training actions
    const D = train[0]!.actionDim;
    manifest.actionMin = new Array(D).fill(Infinity);
    manifest.actionMax = new Array(D).fill(-Infinity);
    for (const e of train)
      for (let i = 0; i < e.actions.length; i++) {
        const d = i % D,
          v = e.actions[i]!;
        manifest.actionMin[d] = Math.min(manifest.actionMin[d]!, v);
        manifest.actionMax[d] = Math.max(manifest.actionMax[d]!, v);
      }
    manifest.actionMax = manifest.actionMax.map((m, d) =>
      m > manifest.actionMin[d]! ? m : manifest.actionMin[d]! + 1,
    );
    tok.tokenizer.dispose();
    writeManifest(dir, manifest);
  }
  if (o.task === 'multi' && JSON.stringify(manifest.compressive?.recipe) !== JSON.stringify(compressiveRecipeOf(o))) {
    manualSeed(o.seed + 1);
    const frames = framesOf(train);
    const c = o.compressive;
    const ccfg = defaultCompressiveTokenizerConfig({
      levels: c.levels,
      channels: c.channels,
      stages: c.stages,
      height: o.height,
      width: o.width,
    });
    log(
      `video data: training the compressive tokenizer (${c.steps} steps, ${ccfg.height / 2 ** ccfg.stages}×${ccfg.width / 2 ** ccfg.stages} tokens per future frame)`,
    );
    const ct = trainCompressiveTokenizer(ccfg, frames, contextPairs(train, o.futureFrames), {
      steps: c.steps,
      batchSize: c.batchSize,
      learningRate: c.learningRate,
      seed: o.seed + 1,
      onLog: (s, l) => log(`  compressive step ${s}: L1 ${l.toFixed(4)}`),
      logEvery: 250,
    });
    ct.tokenizer.save(join(dir, 'compressive'));
    const cq = compressiveQuality(
      ct.tokenizer,
      framesOf(test),
      contextPairs(test, o.futureFrames).filter((_, i) => i % 4 === 0),
    );
    log(
      `video data: compressive tokenizer held-out PSNR ${cq.psnr.toFixed(2)} dB (copying the context: ${cq.copyContextPsnr.toFixed(2)} dB)`,
    );
    manifest.compressive = {
      recipe: compressiveRecipeOf(o),
      ...cq,
      l1: ct.finalL1,
      parameters: ct.tokenizer.numParameters(),
    };
    ct.tokenizer.dispose();
    writeManifest(dir, manifest);
  }
  return {
    train,
    test,
    manifest,
    tokenizer: FrameTokenizer.load(join(dir, 'tokenizer')),
    compressive: o.task === 'multi' ? CompressiveTokenizer.load(join(dir, 'compressive')) : null,
    actionMin: manifest.actionMin,
    actionMax: manifest.actionMax,
  };
}
