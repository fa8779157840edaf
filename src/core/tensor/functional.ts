// Neural-network functions (PyTorch's torch.nn.functional), each one libtorch kernel.
import { native } from './native.js';
import { Tensor } from './tensor.js';

/** y = x Wᵀ + b */
export const linear = (x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor =>
  new Tensor(native.linear(x.h, weight.h, bias ? bias.h : null));
export const embedding = (weight: Tensor, ids: Tensor): Tensor => new Tensor(native.embedding(weight.h, ids.h));

export type Reduction = 'none' | 'mean' | 'sum';
const REDUCTION: Record<Reduction, 0 | 1 | 2> = { none: 0, mean: 1, sum: 2 };

/** Cross-entropy of logits [N, C] against class ids [N]; ids equal to ignoreIndex do not count. */
export function crossEntropy(
  logits: Tensor,
  target: Tensor,
  { ignoreIndex = -100, reduction = 'mean' as Reduction, labelSmoothing = 0 } = {},
): Tensor {
  return new Tensor(native.crossEntropy(logits.h, target.h, ignoreIndex, REDUCTION[reduction], labelSmoothing));
}

/**
 * softmax(q kᵀ · scale + mask) v with q [B,H,Tq,D], k/v [B,H,Tk,D]. A boolean mask is
 * true where attention is allowed; `causal` aligns the causal mask to the last query.
 */
export function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  { mask = null as Tensor | null, causal = false, scale = null as number | null } = {},
): Tensor {
  return new Tensor(native.sdpa(q.h, k.h, v.h, mask ? mask.h : null, causal, scale));
}

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);
export interface ConvOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
}
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, o: ConvOptions = {}): Tensor {
  return new Tensor(
    native.conv2d(
      x.h,
      weight.h,
      bias ? bias.h : null,
      pair(o.stride ?? 1),
      pair(o.padding ?? 0),
      pair(o.dilation ?? 1),
      o.groups ?? 1,
    ),
  );
}
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  o: ConvOptions & { outputPadding?: number | [number, number] } = {},
): Tensor {
  return new Tensor(
    native.convTranspose2d(
      x.h,
      weight.h,
      bias ? bias.h : null,
      pair(o.stride ?? 1),
      pair(o.padding ?? 0),
      pair(o.outputPadding ?? 0),
      o.groups ?? 1,
      pair(o.dilation ?? 1),
    ),
  );
}
/** Depthwise 2-D convolution of every channel with one [kh, kw] kernel, no padding. */
export const depthwiseConv2d = (x: Tensor, kernel: Tensor): Tensor =>
  new Tensor(native.conv2dDepthwise(x.h, kernel.reshape(1, 1, kernel.size(-2), kernel.size(-1)).h));
export const layerNorm = (
  x: Tensor,
  shape: number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor => new Tensor(native.layerNorm(x.h, shape, weight ? weight.h : null, bias ? bias.h : null, eps));
export const groupNorm = (
  x: Tensor,
  groups: number,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor => new Tensor(native.groupNorm(x.h, groups, weight ? weight.h : null, bias ? bias.h : null, eps));
export const dropout = (x: Tensor, p: number, training: boolean): Tensor =>
  training && p > 0 ? new Tensor(native.dropout(x.h, p, true)) : x;
export const avgPool2d = (x: Tensor, kernel: number | [number, number], stride?: number | [number, number]): Tensor =>
  new Tensor(native.avgPool2d(x.h, pair(kernel), pair(stride ?? kernel)));
export const maxPool2d = (x: Tensor, kernel: number | [number, number], stride?: number | [number, number]): Tensor =>
  new Tensor(native.maxPool2d(x.h, pair(kernel), pair(stride ?? kernel)));
export const upsampleNearest2d = (x: Tensor, size: [number, number]): Tensor =>
  new Tensor(native.upsampleNearest2d(x.h, size));
