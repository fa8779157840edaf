// The robot-video world model domain: simulator episodes → frame tokens and action bins →
// single-step (4 context frames) or interactive multi-step prediction; rewards and metrics on
// the decoded frames against the true ones.
import { noGrad, scope, tensor } from '../../core/tensor/index.js';
import { framesTensor } from './models/conv-model.js';
import type { WorldModelDomain, Split } from '../../train/domain.js';
import { Lpips } from './lpips.js';
import { ActionBins } from './actions.js';
import { VideoOptionsSchema, buildVideoData, type VideoOptions, type VideoData } from './data.js';
import {
  videoVocab,
  actionTokens,
  singleStepSequence,
  multiStepSequence,
  predictedFrameTokens,
  videoText,
  type VideoExample,
  type VideoVocab,
} from './codec.js';
import { scoreFrames, invalidScores, type FrameScores } from './scores.js';
import type { Episode } from './episodes.js';
import type { FrameTokenizer } from './models/frame-tokenizer.js';
import { parseOptions } from '../plugin.js';
import { videoMetrics, videoRewards, type VideoPrediction } from './rewards.js';

export type { VideoExample } from './codec.js';
export { VideoOptionsSchema, buildVideoData, type VideoOptions, type VideoData } from './data.js';

export type { VideoPrediction } from './rewards.js';

const frameOf = (e: Episode, t: number): Uint8Array =>
  e.frames.subarray(t * e.height * e.width * 3, (t + 1) * e.height * e.width * 3);
const actionOf = (e: Episode, t: number): Float32Array => e.actions.subarray(t * e.actionDim, (t + 1) * e.actionDim);

/** Every frame of an episode as tokens of the frame tokenizer. */
function encodeEpisode(tok: FrameTokenizer, e: Episode): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < e.length; s += 64) {
    const idx = Array.from({ length: Math.min(64, e.length - s) }, (_, k) => s + k);
    const ids = noGrad(() =>
      scope(
        () =>
          tok
            .encode(
              framesTensor(
                idx.map((t) => frameOf(e, t)),
                e.height,
                e.width,
                tok.device,
              ),
            )
            .tolist() as number[][],
      ),
    );
    out.push(...ids);
  }
  return out;
}

function buildExamples(
  o: VideoOptions,
  d: VideoData,
  vocab: VideoVocab,
  bins: ActionBins,
  split: 'train' | 'test',
): VideoExample[] {
  const eps = split === 'train' ? d.train : d.test;
  const out: VideoExample[] = [];
  eps.forEach((e, ei) => {
    const tokens = encodeEpisode(d.tokenizer, e);
    const act = (t: number): number[] => actionTokens(bins, vocab, actionOf(e, t));
    const base = { episode: ei, height: e.height, width: e.width };
    if (o.task === 'single') {
      const C = o.contextFrames;
      for (let t = C - 1; t + 1 < e.length; t += o.stride) {
        const ts = Array.from({ length: C }, (_, k) => t - C + 1 + k);
        const seq = singleStepSequence(vocab, {
          frames: ts.map((s) => tokens[s]!),
          actions: ts.map(act),
          next: tokens[t + 1]!,
        });
        out.push({
          id: `${split}-${ei}-${t}`,
          task: 'single',
          t,
          ...base,
          ...seq,
          truth: [frameOf(e, t + 1)],
          context: frameOf(e, t),
          tokensPerFrame: d.tokenizer.tokensPerFrame,
        });
      }
    } else {
      const K = o.futureFrames,
        comp = d.compressive!;
      const starts: number[] = [];
      for (let t = 0; t + K < e.length; t += o.stride) starts.push(t);
      // compressive tokens of every (t, t + k) pair of this episode, in one batch per start
      for (const t of starts) {
        const future = noGrad(() =>
          scope(() => {
            const ctx = framesTensor(new Array(K).fill(frameOf(e, t)), e.height, e.width, comp.device);
            const fut = framesTensor(
              Array.from({ length: K }, (_, k) => frameOf(e, t + k + 1)),
              e.height,
              e.width,
              comp.device,
            );
            return comp.encode(ctx, fut).tolist() as number[][];
          }),
        );
        const seq = multiStepSequence(vocab, {
          context: tokens[t]!,
          actions: Array.from({ length: K }, (_, k) => act(t + k)),
          future,
        });
        out.push({
          id: `${split}-${ei}-${t}`,
          task: 'multi',
          t,
          ...base,
          ...seq,
          truth: Array.from({ length: K }, (_, k) => frameOf(e, t + k + 1)),
          context: frameOf(e, t),
          tokensPerFrame: comp.tokensPerFrame,
        });
      }
    }
  });
  return out;
}

/** Domain options, checked: a wrong or misspelled field is named. */
export const videoOptions = (options: unknown): VideoOptions => parseOptions('video', VideoOptionsSchema, options);

/** What the video demo needs beside the domain: the built data, the options, LPIPS and the frame decoder. */
export interface VideoWorld {
  domain: WorldModelDomain<VideoExample, VideoPrediction>;
  data: VideoData;
  options: VideoOptions;
  lpips: Lpips | null;
  decodeTokens: (ids: number[][], e: VideoExample) => Uint8Array[];
}

export async function videoDomain(
  options: Record<string, unknown> = {},
): Promise<WorldModelDomain<VideoExample, VideoPrediction>> {
  return (await videoWorld(options)).domain;
}

export async function videoWorld(options: Record<string, unknown> = {}): Promise<VideoWorld> {
  const o = videoOptions(options);
  const data = await buildVideoData(o);
  const codes =
    o.task === 'single'
      ? data.tokenizer.codebookSize
      : Math.max(data.tokenizer.codebookSize, data.compressive!.codebookSize);
  const vocab = videoVocab(codes, o.actionBins);
  const bins = new ActionBins(data.actionMin, data.actionMax, o.actionBins);
  const lpips = o.lpipsOnnx ? await Lpips.load(o.lpipsOnnx) : null;
  const cache = new Map<Split, VideoExample[]>();
  const examples = async (split: Split): Promise<VideoExample[]> => {
    const s = split === 'train' ? 'train' : 'test';
    if (!cache.has(s)) cache.set(s, buildExamples(o, data, vocab, bins, s));
    const all = cache.get(s)!;
    return s === 'test' && o.evalLimit > 0 ? all.slice(0, o.evalLimit) : all;
  };

  /** Frame tokens → uint8 frames: the frame tokenizer (single-step) or the compressive one given the context. */
  const decodeTokens = (ids: number[][], e: VideoExample): Uint8Array[] =>
    noGrad(() =>
      scope(() => {
        const t = tensor(ids, { dtype: 'int64' });
        const out =
          e.task === 'single'
            ? data.tokenizer.decode(t)
            : data.compressive!.decode(
                t,
                framesTensor(
                  ids.map(() => e.context),
                  e.height,
                  e.width,
                  data.compressive!.device,
                ),
              );
        const flat = out.to('cpu').toArray() as Uint8Array;
        const n = e.height * e.width * 3;
        return ids.map((_, k) => flat.slice(k * n, (k + 1) * n));
      }),
    );

  // one scoring per (prediction, example), shared by the rewards and metrics that read it
  const scored = new WeakMap<object, Promise<FrameScores>>();
  const scores = (p: VideoPrediction, e: VideoExample): Promise<FrameScores> => {
    if (!p) return Promise.resolve(invalidScores(lpips !== null));
    const key = p as object;
    if (!scored.has(key)) scored.set(key, scoreFrames(p.frames, e.truth, e.context, e.height, e.width, lpips));
    return scored.get(key)!;
  };

  const rewards = videoRewards(scores, lpips !== null);
  const metrics = videoMetrics(scores, lpips !== null);

  const domain: WorldModelDomain<VideoExample, VideoPrediction> = {
    name: 'video',
    examples,
    codec: {
      vocabSize: vocab.size,
      eosTokenId: vocab.eos,
      padTokenId: vocab.pad,
      prompt: (e) => e.prompt,
      target: (e) => e.target,
      given: (e) => e.given,
      generation: (e) => ({
        // the true actions between predicted frames are given; sampled tokens are visual codes
        forced: e.target.slice(0, -1).map((t, i) => (e.given[i] ? t : null)),
        allowedRange: [0, vocab.codes],
        maxNewTokens: e.target.length - 1,
      }),
      decode: (tokens, e) => {
        const ids = predictedFrameTokens(vocab, e, tokens);
        if (!ids) return null;
        try {
          return { frames: decodeTokens(ids, e) };
        } catch {
          return null;
        }
      },
      text: (tokens) => videoText(vocab, tokens),
    },
    rewards,
    metrics,
    defaultReward: 'frame',
    primaryMetric: 'mae',
    primaryMetricGoal: 'min',
    suggestedModel: {
      hiddenSize: 128,
      intermediateSize: 384,
      numHiddenLayers: 4,
      numAttentionHeads: 4,
      numKeyValueHeads: 2,
    },
  };
  return { domain, data, options: o, lpips, decodeTokens };
}
