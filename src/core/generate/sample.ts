// Batched generation with a KV cache: rows of different prompt lengths are left-padded
// and given correct positions and masks; each row stops at its own stop tokens. The token
// steps run in TypeScript (pick() and model.forward() below, the definition) or in the native
// decode step (model.nativeDecoder(), the same ops in one call per step; bit-identical).
import {
  Tensor,
  tensor,
  scope,
  noGrad,
  multinomial,
  ones,
  nativeDecodeAvailable,
  type NativeDecoder,
} from '../tensor/index.js';
import type { LlamaForCausalLM, KVCache } from '../models/index.js';
import { topKFilter, topPFilter, restrictToRange, checkRange } from './logits.js';
import { Rng } from '../util/rng.js';
import { distinctRows } from '../util/distinct.js';

export interface SampleOptions {
  maxNewTokens: number;
  /** 1.0 by default; ignored when greedy */
  temperature?: number;
  /** 0 = off */
  topK?: number;
  /** 1.0 = off */
  topP?: number;
  /** argmax decoding */
  greedy?: boolean;
  /** stop tokens for every row, or one list per row; the stop token is kept in the output */
  stopTokens?: number[] | number[][];
  /** fills left padding and finished rows (default: config pad, else 0) */
  padTokenId?: number;
  /**
   * one seed per row: row b then draws its tokens from its own random stream (inverse-CDF
   * sampling with a seeded uniform per step), so its sample does not depend on which other
   * rows share the batch, or on how rows are split across data-parallel ranks
   */
  seeds?: number[];
  /**
   * tokens given rather than generated: forced[b][t], when a number, is row b's t-th new token
   * (e.g. the true action tokens between predicted video frames); the model continues from it
   */
  forced?: (number | null)[][];
  /** sampled (not forced) tokens are drawn from ids in [lo, hi) only */
  allowedRange?: [number, number];
  /**
   * rows with identical prompts (a GRPO group) prefill the prompt once and copy its KV cache
   * (default true; the tokens and log-probabilities are the same either way)
   */
  sharePrefix?: boolean;
  /**
   * run each token step in the native decode step (one call per step: the model's forward and
   * the sampler in libtorch's C++, bit-identical to the TypeScript path) rather than op by op
   * from TypeScript. Default: $RLVR_NATIVE_DECODE ('0' off, '1' on), else NATIVE_DECODE_DEFAULT.
   */
  native?: boolean;
}

/** Whether generate() uses the native decode step when neither the option nor $RLVR_NATIVE_DECODE says. */
export const NATIVE_DECODE_DEFAULT = true;

/** Whether generate() runs the native decode step for these options (see SampleOptions.native). */
export function usesNativeDecode(o: Pick<SampleOptions, 'native'> = {}): boolean {
  const env = process.env.RLVR_NATIVE_DECODE;
  const explicit = o.native ?? (env === '0' ? false : env === '1' ? true : undefined);
  if (explicit === false || (explicit === undefined && !NATIVE_DECODE_DEFAULT)) return false;
  if (nativeDecodeAvailable()) return true;
  // an engine built before the decode step: the TypeScript path, unless it was asked for
  if (explicit === true)
    throw new Error(
      'generate(): the native decode step is not in this build of the engine; rebuild it (npm run build:native)',
    );
  return false;
}

export interface Generation {
  /** generated tokens per row (stop token included when one was produced) */
  tokens: number[][];
  /**
   * log-probability of each generated token under the sampling distribution before
   * top-k/top-p filtering: log softmax(logits / temperature) (temperature 1 when greedy),
   * i.e. what a trainer recomputes for the same tokens
   */
  logprobs: number[][];
  finishReasons: ('stop' | 'length')[];
  /** given[b][t]: the token was forced (present when `forced` was) */
  given?: boolean[][];
}

export function generate(model: LlamaForCausalLM, prompts: number[][], o: SampleOptions): Generation {
  const B = prompts.length;
  if (B === 0) return { tokens: [], logprobs: [], finishReasons: [] };
  if (prompts.some((p) => p.length === 0)) throw new Error('generate(): every prompt needs at least one token');
  const L = Math.max(...prompts.map((p) => p.length));
  const pad = o.padTokenId ?? model.config.padTokenId ?? 0;
  const temperature = o.greedy ? 1 : (o.temperature ?? 1);
  if (!(temperature > 0)) throw new Error(`generate(): temperature must be > 0, got ${temperature}`);
  const stops: Set<number>[] = Array.from({ length: B }, (_, b) => {
    const s = o.stopTokens;
    return new Set(!s || s.length === 0 ? [] : Array.isArray(s[0]) ? ((s as number[][])[b] ?? []) : (s as number[]));
  });
  const device = model.device;
  const padded = prompts.some((p) => p.length !== L);
  const cache = model.newCache(B, L + o.maxNewTokens);
  const out: Generation = {
    tokens: prompts.map(() => []),
    logprobs: prompts.map(() => []),
    finishReasons: prompts.map(() => 'length'),
  };
  const done = new Array<boolean>(B).fill(false);
  if (o.seeds && o.seeds.length !== B) throw new Error(`generate(): ${o.seeds.length} seeds for ${B} prompts`);
  const streams = o.seeds && !o.greedy ? o.seeds.map((s) => new Rng(s)) : null;
  if (o.forced && o.forced.length !== B)
    throw new Error(`generate(): ${o.forced.length} forced-token rows for ${B} prompts`);
  if (o.forced) out.given = prompts.map(() => []);

  // mask [B, L + maxNew]: 0 on left padding, 1 elsewhere; positions count real tokens only
  const mask = padded
    ? scope(() =>
        noGrad(() => {
          const m = ones([B, L + o.maxNewTokens], { dtype: 'int64', device });
          prompts.forEach((p, b) => {
            if (p.length < L)
              m.narrow(0, b, 1)
                .narrow(1, 0, L - p.length)
                .zero_();
          });
          return m.keep();
        }),
      )
    : null;
  let nextPos = padded ? prompts.map((p) => p.length) : null;

  // the native decode step, when used: step s runs the tokens of step s-1 through the model
  // and picks, in one call (the first picks from the prefill's logits)
  let decoder: NativeDecoder | null = null;
  let input: number[] = [],
    inputPos: number[] | null = null;
  let logits: Tensor | null = null;
  try {
    if (usesNativeDecode(o)) {
      if (o.allowedRange) checkRange(o.allowedRange, model.config.vocabSize);
      decoder = model.nativeDecoder(cache, mask, {
        greedy: o.greedy ?? false,
        temperature,
        topK: o.topK ?? 0,
        topP: o.topP ?? 1,
        range: o.allowedRange ?? null,
      });
    }
    logits = prefill(model, prompts, L, pad, cache, mask, o.sharePrefix ?? true);
    for (let step = 0; step < o.maxNewTokens; step++) {
      const uniforms = streams?.map((r) => r.next()) ?? null;
      let ids: number[], lps: number[];
      if (decoder) {
        if (logits) ({ ids, logprobs: lps } = decoder.pick(logits, uniforms));
        else {
          ({ ids, logprobs: lps } = decoder.step(input, inputPos, cache.length, uniforms));
          cache.length += 1;
        }
      } else {
        const l = logits!;
        const { next, logp } = scope(() =>
          noGrad(() => pick(o.allowedRange ? restrictToRange(l, o.allowedRange) : l, temperature, o, uniforms)),
        );
        ids = next.toNumbers();
        lps = logp.toNumbers();
        next.dispose();
        logp.dispose();
      }
      logits?.dispose();
      logits = null;
      for (let b = 0; b < B; b++) {
        if (done[b]) {
          ids[b] = pad;
          continue;
        }
        const f = o.forced?.[b]?.[step];
        const isGiven = f !== undefined && f !== null;
        if (isGiven) {
          ids[b] = f;
          lps[b] = 0;
        }
        out.given?.[b]!.push(isGiven);
        out.tokens[b]!.push(ids[b]!);
        out.logprobs[b]!.push(lps[b]!);
        if (stops[b]!.has(ids[b]!)) {
          done[b] = true;
          out.finishReasons[b] = 'stop';
        }
      }
      if (done.every(Boolean) || step === o.maxNewTokens - 1) break;
      if (decoder) {
        input = ids;
        inputPos = nextPos;
      } else {
        logits = scope(() =>
          noGrad(() => {
            const input = tensor(ids, { dtype: 'int64', device }).view(B, 1);
            const positions = nextPos ? tensor(nextPos, { dtype: 'int64', device }).view(B, 1) : undefined;
            return model
              .forward(input, { cache, attentionMask: mask ?? undefined, positions, lastOnly: true })
              .select(1, 0);
          }),
        );
      }
      if (nextPos) nextPos = nextPos.map((p) => p + 1);
    }
  } finally {
    decoder?.dispose();
    logits?.dispose();
    cache.dispose();
    mask?.dispose();
  }
  return out;
}

/**
 * Runs the prompts (left-padded to L) into the cache; returns each row's next-token logits
 * [B, V]. Identical prompts are run once and their cache rows copied.
 */
function prefill(
  model: LlamaForCausalLM,
  prompts: number[][],
  L: number,
  pad: number,
  cache: KVCache,
  mask: Tensor | null,
  share: boolean,
): Tensor {
  const device = model.device;
  const { distinct, rowOf } = distinctRows(prompts);
  const unique = share && distinct.length < prompts.length ? distinct : prompts;
  return scope(() =>
    noGrad(() => {
      const ids = tensor(
        unique.map((p) => [...new Array(L - p.length).fill(pad), ...p]),
        { dtype: 'int64', device },
      );
      const m = unique === prompts ? mask : padMask(unique, L, device);
      const positions = m ? m.narrow(1, 0, L).cumsum(1).sub(1).clamp(0) : undefined;
      if (unique === prompts)
        return model.forward(ids, { cache, attentionMask: m ?? undefined, positions, lastOnly: true }).select(1, 0);
      const own = model.newCache(unique.length, L);
      try {
        const logits = model
          .forward(ids, { cache: own, attentionMask: m ?? undefined, positions, lastOnly: true })
          .select(1, 0);
        const rows = tensor(rowOf, { dtype: 'int64', device });
        cache.copyRowsFrom(own, rows);
        return logits.indexSelect(0, rows);
      } finally {
        own.dispose();
      }
    }),
  );
}

/** [B, L] int64: 0 on each prompt's left padding, 1 on its tokens (null when none is padded). */
function padMask(prompts: number[][], L: number, device: string): Tensor | null {
  if (prompts.every((p) => p.length === L)) return null;
  return tensor(
    prompts.map((p) => [...new Array(L - p.length).fill(0), ...new Array(p.length).fill(1)]),
    { dtype: 'int64', device },
  );
}

/**
 * Chooses one token per row from logits [B, V]; returns it and its log-probability. With
 * `uniforms` (one u in [0, 1) per row) row b takes the first token whose cumulative
 * probability exceeds u_b·total, else libtorch's multinomial draws.
 */
function pick(
  logits: Tensor,
  temperature: number,
  o: SampleOptions,
  uniforms: number[] | null,
): { next: Tensor; logp: Tensor } {
  const scaled = (temperature === 1 ? logits : logits.div(temperature)).float();
  const logprobs = scaled.logSoftmax(-1);
  let next: Tensor;
  if (o.greedy) {
    next = scaled.argmax(-1, true);
  } else {
    const filtered = topPFilter(topKFilter(scaled, o.topK ?? 0), o.topP ?? 1);
    const probs = filtered.softmax(-1);
    if (uniforms) {
      const cdf = probs.cumsum(-1);
      const V = cdf.size(-1);
      const x = tensor(
        uniforms.map((u) => [u]),
        { device: cdf.device },
      ).mul(cdf.narrow(-1, V - 1, 1));
      next = cdf
        .lt(x)
        .sum(-1, true)
        .clamp(0, V - 1);
    } else {
      next = multinomial(probs, 1);
    }
  }
  return { next: next.squeeze(1), logp: logprobs.gather(-1, next).squeeze(1) };
}
