// Finite scalar quantization (Mentzer et al., 2023), the codebook of the frame tokenizers:
// each of D latent channels is bounded with tanh and rounded to one of L_d levels; the code
// of a position is the mixed-radix number of its D digits, so the codebook has ∏ L_d entries
// and nothing to learn. Rounding passes gradients straight through.
import { Tensor, tensor } from '../../../core/tensor/index.js';

export class FSQ {
  readonly codebookSize: number;
  private readonly halfL: number[];
  private readonly offset: number[];
  private readonly shift: number[];
  private readonly halfWidth: number[];
  private readonly basis: number[];

  constructor(
    readonly levels: number[],
    eps = 1e-3,
  ) {
    if (levels.length === 0 || levels.some((l) => !Number.isInteger(l) || l < 2))
      throw new Error(`FSQ levels must be integers ≥ 2 (got [${levels}])`);
    this.codebookSize = levels.reduce((a, b) => a * b, 1);
    this.halfL = levels.map((l) => ((l - 1) * (1 + eps)) / 2);
    // even level counts are offset by half a step so that the levels sit symmetrically
    this.offset = levels.map((l) => (l % 2 === 0 ? 0.5 : 0));
    this.shift = levels.map((_, i) => Math.atanh(this.offset[i]! / this.halfL[i]!));
    this.halfWidth = levels.map((l) => Math.floor(l / 2));
    this.basis = levels.map((_, i) => levels.slice(0, i).reduce((a, b) => a * b, 1));
  }

  get dim(): number {
    return this.levels.length;
  }

  private vec(v: number[], like: Tensor): Tensor {
    return tensor(v, { dtype: like.dtype, device: like.device });
  }

  /** z [..., D] → quantized codes in [-1, 1] (same shape), with straight-through gradients. */
  quantize(z: Tensor): Tensor {
    if (z.size(-1) !== this.dim)
      throw new Error(`FSQ: last dimension is ${z.size(-1)}, expected ${this.dim} (levels [${this.levels}])`);
    const bounded = z.add(this.vec(this.shift, z)).tanh().mul(this.vec(this.halfL, z)).sub(this.vec(this.offset, z));
    const rounded = bounded.add(bounded.round().sub(bounded).detach());
    return rounded.div(this.vec(this.halfWidth, z));
  }

  /** Quantized codes [..., D] → codebook indices [...] (int64). */
  codesToIndices(codes: Tensor): Tensor {
    const digits = codes.mul(this.vec(this.halfWidth, codes)).add(this.vec(this.halfWidth, codes)).round();
    return digits.mul(this.vec(this.basis, codes)).sum(-1).round().to('int64');
  }

  /** Codebook indices [...] → quantized codes [..., D] (float32). */
  indicesToCodes(indices: Tensor): Tensor {
    const idx = indices.to('float32').unsqueeze(-1);
    const levels = this.vec(this.levels, idx),
      basis = this.vec(this.basis, idx),
      hw = this.vec(this.halfWidth, idx);
    const q = idx.div(basis).floor();
    const digits = q.sub(q.div(levels).floor().mul(levels));
    return digits.sub(hw).div(hw);
  }
}
