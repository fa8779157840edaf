// Continuous actions as tokens: each dimension is cut into uniform bins between its own
// minimum and maximum (256 bins in the paper); a token decodes to its bin's centre.
export class ActionBins {
  constructor(
    readonly min: number[],
    readonly max: number[],
    readonly bins = 256,
  ) {
    if (min.length !== max.length || min.length === 0)
      throw new Error('ActionBins: min and max need one entry per action dimension');
    min.forEach((m, d) => {
      if (!(max[d]! > m)) throw new Error(`ActionBins: dimension ${d} has max ${max[d]} ≤ min ${m}`);
    });
    if (!Number.isInteger(bins) || bins < 2) throw new Error(`ActionBins: bins must be an integer ≥ 2 (got ${bins})`);
  }

  /** Ranges from data: per-dimension min and max of [T, D] rows. */
  static fromActions(actions: ArrayLike<number>, dim: number, bins = 256): ActionBins {
    const min = new Array<number>(dim).fill(Infinity),
      max = new Array<number>(dim).fill(-Infinity);
    for (let i = 0; i < actions.length; i++) {
      const d = i % dim,
        v = actions[i]!;
      if (v < min[d]!) min[d] = v;
      if (v > max[d]!) max[d] = v;
    }
    // a constant dimension still needs a range
    return new ActionBins(
      min,
      max.map((m, d) => (m > min[d]! ? m : min[d]! + 1)),
      bins,
    );
  }

  get dim(): number {
    return this.min.length;
  }

  /** One bin index per dimension; values outside the range go to the edge bins. */
  encode(action: ArrayLike<number>): number[] {
    return Array.from({ length: this.dim }, (_, d) => {
      const u = (action[d]! - this.min[d]!) / (this.max[d]! - this.min[d]!);
      return Math.min(this.bins - 1, Math.max(0, Math.floor(u * this.bins)));
    });
  }

  decode(indices: ArrayLike<number>): number[] {
    return Array.from(
      { length: this.dim },
      (_, d) => this.min[d]! + ((indices[d]! + 0.5) / this.bins) * (this.max[d]! - this.min[d]!),
    );
  }
}
