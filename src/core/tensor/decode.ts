// The native decode step (native/src/decode.cc): one call runs a token step of the LLaMA
// decoder for a batch of rows with their KV cache (embedding, every layer, final norm, logits)
// and the sampler (temperature, top-k, top-p, allowed range, the draw, log-probabilities), with
// the same ATen ops as the TypeScript path, so tokens and log-probabilities are bit-identical.
// models/llama.ts builds one from its weights (nativeDecoder()); generate/ drives it.
import { native, type DecoderHandle } from './native.js';
import type { Tensor } from './tensor.js';

/** One layer's weights, as llama.ts holds them (null: no such bias). */
export interface DecoderLayer {
  inputNorm: Tensor;
  postNorm: Tensor;
  q: Tensor;
  qb: Tensor | null;
  k: Tensor;
  kb: Tensor | null;
  v: Tensor;
  vb: Tensor | null;
  o: Tensor;
  ob: Tensor | null;
  gate: Tensor;
  gateB: Tensor | null;
  up: Tensor;
  upB: Tensor | null;
  down: Tensor;
  downB: Tensor | null;
}
/** decode.cc reads each layer's tensors in this order. */
const LAYER_ORDER = [
  'inputNorm',
  'postNorm',
  'q',
  'qb',
  'k',
  'kb',
  'v',
  'vb',
  'o',
  'ob',
  'gate',
  'gateB',
  'up',
  'upB',
  'down',
  'downB',
] as const satisfies readonly (keyof DecoderLayer)[];

/** What generate() samples with (see SampleOptions); topK 0 and topP 1 are off. */
export interface DecoderSampling {
  greedy: boolean;
  temperature: number;
  topK: number;
  topP: number;
  range: [number, number] | null;
}

export interface DecoderSpec {
  layers: DecoderLayer[];
  embed: Tensor;
  norm: Tensor;
  lmHead: Tensor;
  /** the rotary inverse frequencies [d/2] (float32) */
  invFreq: Tensor;
  heads: number;
  kvHeads: number;
  headDim: number;
  eps: number;
  /** the KV cache's buffers, one [B, Hkv, capacity, d] per layer, written in place */
  keys: Tensor[];
  values: Tensor[];
  /** [B, capacity] int64, 0 on left padding (null: no row is padded) */
  mask: Tensor | null;
  sampling: DecoderSampling;
}

/** Tokens chosen for each row and their log-probabilities. */
export interface Picked {
  ids: number[];
  logprobs: number[];
}

/** Whether the loaded native engine has the decode step (an engine built before it has not). */
export const nativeDecodeAvailable = (): boolean => typeof native.decodeInit === 'function';

/**
 * A native decoder over shared tensors (weights, cache, mask): it copies none of them, so it
 * sees in-place updates, and must not outlive them. dispose() drops its references.
 */
export class NativeDecoder {
  private handle: DecoderHandle | null;

  constructor(spec: DecoderSpec) {
    if (!nativeDecodeAvailable())
      throw new Error('the native engine was built without the decode step: rebuild it (npm run build:native)');
    this.handle = native.decodeInit({
      layers: spec.layers.map((l) => LAYER_ORDER.map((k) => l[k]?.h ?? null)),
      embed: spec.embed.h,
      norm: spec.norm.h,
      lmHead: spec.lmHead.h,
      invFreq: spec.invFreq.h,
      heads: spec.heads,
      kvHeads: spec.kvHeads,
      headDim: spec.headDim,
      eps: spec.eps,
      keys: spec.keys.map((t) => t.h),
      values: spec.values.map((t) => t.h),
      mask: spec.mask?.h ?? null,
      ...spec.sampling,
    });
  }

  private get h(): DecoderHandle {
    if (!this.handle) throw new Error('native decoder used after dispose()');
    return this.handle;
  }

  /** Chooses one token per row from logits [B, V]; `uniforms`: one per row (seeded draws), or null. */
  pick(logits: Tensor, uniforms: number[] | null): Picked {
    return split(native.decodeStep(this.h, logits.h, null, null, 0, uniforms));
  }

  /**
   * Runs one token per row through the model at cache position `past` (`positions`: each
   * row's rotary position, default `past`), writing the cache, then chooses the next tokens.
   */
  step(ids: number[], positions: number[] | null, past: number, uniforms: number[] | null): Picked {
    return split(native.decodeStep(this.h, null, ids, positions, past, uniforms));
  }

  dispose(): void {
    if (this.handle) native.decodeFree(this.handle);
    this.handle = null;
  }
}

function split(out: Float64Array): Picked {
  const B = out.length / 2;
  return { ids: Array.from(out.subarray(0, B)), logprobs: Array.from(out.subarray(B)) };
}
