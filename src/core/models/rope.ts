// Rotary position embeddings (RoFormer), in Hugging Face's rotate-half layout.
import { Tensor, arange, cat, type DType } from '../tensor/index.js';

/** inv_freq_i = θ^(-2i/d), i = 0 .. d/2-1 (float32, as transformers computes it). */
export function inverseFrequencies(headDim: number, theta: number, device = 'cpu'): Tensor {
  const i = arange(0, headDim, 2, { dtype: 'int64', device }).float();
  return i.div(headDim).mul(Math.log(theta)).neg().exp();
}

/** cos and sin of shape [B, 1, T, d] for integer positions [B, T]. */
export function rotaryTables(positions: Tensor, invFreq: Tensor, dtype: DType): { cos: Tensor; sin: Tensor } {
  const freqs = positions.float().unsqueeze(-1).mul(invFreq); // [B, T, d/2]
  const emb = cat([freqs, freqs], -1).unsqueeze(1); // [B, 1, T, d]
  return { cos: emb.cos().to(dtype), sin: emb.sin().to(dtype) };
}

/** x·cos + rotate_half(x)·sin, rotate_half(x) = [-x₂, x₁]. */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const half = x.size(-1) / 2;
  const rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
  return x.mul(cos).add(rotated.mul(sin));
}
