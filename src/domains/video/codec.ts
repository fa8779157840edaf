// Video transitions as token sequences, laid out as the spec says: visual codes first in the
// vocabulary, then the action bins, then BOS, EOS and PAD.
//   single-step: [f_{t-3} a_{t-3} f_{t-2} a_{t-2} f_{t-1} a_{t-1} f_t a_t] BOS → f_{t+1} EOS
//   multi-step:  [c_t (full tokens) a_t] BOS → g_{t+1} a_{t+1} g_{t+2} a_{t+2} … g_{t+K} EOS
// where g are the compressive tokenizer's few tokens of a future frame given c_t, and every
// a_{t+k} in the response is the TRUE action, given (forced) during generation and masked
// out of the losses: the rollout is interactive.
import type { Example } from '../../train/domain.js';
import type { ActionBins } from './actions.js';

export type VideoTask = 'single' | 'multi';

export interface VideoVocab {
  /** visual codes [0, codes) */
  codes: number;
  /** action bins [codes, codes + bins) */
  bins: number;
  bos: number;
  eos: number;
  pad: number;
  size: number;
}

export function videoVocab(codes: number, bins: number): VideoVocab {
  return { codes, bins, bos: codes + bins, eos: codes + bins + 1, pad: codes + bins + 2, size: codes + bins + 3 };
}

export interface VideoExample extends Example {
  task: VideoTask;
  /** split-local episode index and the time of the last context frame */
  episode: number;
  t: number;
  prompt: number[];
  /** the response: predicted frame tokens with the given action tokens between, then EOS */
  target: number[];
  /** per response token: true where the token is given (an action), not predicted */
  given: boolean[];
  /** true future frames, uint8 [H, W, 3] each (1 for single-step, K for multi-step) */
  truth: Uint8Array[];
  /** the last context frame (single-step) or the context frame (multi-step), uint8 [H, W, 3] */
  context: Uint8Array;
  height: number;
  width: number;
  tokensPerFrame: number;
}

/** The action tokens of one step. */
export const actionTokens = (bins: ActionBins, vocab: VideoVocab, action: ArrayLike<number>): number[] =>
  bins.encode(action).map((b) => vocab.codes + b);

export interface SingleStepInput {
  /** the context frames' tokens, oldest first */
  frames: number[][];
  /** the action after each context frame */
  actions: number[][];
  /** the next frame's tokens */
  next: number[];
}

export function singleStepSequence(
  v: VideoVocab,
  x: SingleStepInput,
): { prompt: number[]; target: number[]; given: boolean[] } {
  const prompt = x.frames.flatMap((f, i) => [...f, ...x.actions[i]!]);
  prompt.push(v.bos);
  const target = [...x.next, v.eos];
  return { prompt, target, given: target.map(() => false) };
}

export interface MultiStepInput {
  /** the context frame's (full) tokens */
  context: number[];
  /** the action at the context frame, then the true action after each predicted frame but the last */
  actions: number[][];
  /** the future frames' (compressive) tokens */
  future: number[][];
}

export function multiStepSequence(
  v: VideoVocab,
  x: MultiStepInput,
): { prompt: number[]; target: number[]; given: boolean[] } {
  if (x.actions.length !== x.future.length)
    throw new Error(`multi-step: ${x.actions.length} actions for ${x.future.length} future frames`);
  const prompt = [...x.context, ...x.actions[0]!, v.bos];
  const target: number[] = [],
    given: boolean[] = [];
  x.future.forEach((f, k) => {
    target.push(...f);
    given.push(...f.map(() => false));
    const next = x.actions[k + 1];
    if (next) {
      target.push(...next);
      given.push(...next.map(() => true));
    }
  });
  target.push(v.eos);
  given.push(false);
  return { prompt, target, given };
}

/**
 * The predicted frames' tokens from a response: the positions that are not given, in order,
 * cut into frames. Null when the response is too short or holds a non-visual token there.
 */
export function predictedFrameTokens(
  v: VideoVocab,
  e: Pick<VideoExample, 'given' | 'truth' | 'tokensPerFrame'>,
  response: number[],
): number[][] | null {
  const frames = e.truth.length,
    n = e.tokensPerFrame;
  const free: number[] = [];
  for (let i = 0; i < e.given.length && free.length < frames * n; i++) if (!e.given[i]) free.push(i);
  if (free.length < frames * n) return null;
  const out: number[][] = [];
  for (let k = 0; k < frames; k++) {
    const ids = free.slice(k * n, (k + 1) * n).map((i) => response[i]);
    if (ids.some((t) => t === undefined || !Number.isInteger(t) || t < 0 || t >= v.codes)) return null;
    out.push(ids as number[]);
  }
  return out;
}

/** A short readable form of a token sequence, for logs: runs of frame codes and action bins. */
export function videoText(v: VideoVocab, tokens: number[]): string {
  const parts: string[] = [];
  let run: number[] = [],
    kind = '';
  const flush = (): void => {
    if (run.length)
      parts.push(
        kind === 'f'
          ? `f[${run.length}: ${run.slice(0, 4).join(' ')}${run.length > 4 ? ' …' : ''}]`
          : `a[${run.join(' ')}]`,
      );
    run = [];
  };
  for (const t of tokens) {
    const k = t < v.codes ? 'f' : t < v.codes + v.bins ? 'a' : '';
    if (k !== kind || !k) flush();
    kind = k;
    if (k === 'a') run.push(t - v.codes);
    else if (k === 'f') run.push(t);
    else parts.push(t === v.bos ? 'BOS' : t === v.eos ? 'EOS' : t === v.pad ? 'PAD' : `?${t}`);
  }
  flush();
  return parts.join(' ');
}
