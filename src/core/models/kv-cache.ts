// A preallocated key/value cache: one [B, Hkv, capacity, d] buffer per layer, written in place.
import { Tensor, zeros, noGrad, scope, type DType } from '../tensor/index.js';

export class KVCache {
  readonly keys: Tensor[] = [];
  readonly values: Tensor[] = [];
  /** positions already written (the same for every layer once a forward pass completes) */
  length = 0;

  constructor(
    layers: number,
    batch: number,
    kvHeads: number,
    readonly capacity: number,
    headDim: number,
    o: { dtype: DType; device: string },
  ) {
    for (let i = 0; i < layers; i++) {
      this.keys.push(zeros([batch, kvHeads, capacity, headDim], o).keep());
      this.values.push(zeros([batch, kvHeads, capacity, headDim], o).keep());
    }
  }

  /** Writes k/v [B, Hkv, T, d] after the cached positions; returns all keys and values so far. */
  update(layer: number, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    const t = k.size(2);
    if (this.length + t > this.capacity)
      throw new Error(`KV cache full: ${this.length} + ${t} positions > capacity ${this.capacity}`);
    const K = this.keys[layer]!,
      V = this.values[layer]!;
    noGrad(() => {
      K.narrow(2, this.length, t).copy_(k);
      V.narrow(2, this.length, t).copy_(v);
    });
    return { k: K.narrow(2, 0, this.length + t), v: V.narrow(2, 0, this.length + t) };
  }

  /**
   * Fills this cache with rows of another: row b gets src's row rows[b] (an int64 [B] tensor)
   * for every position src holds. A prompt prefilled once serves its G samples this way.
   */
  copyRowsFrom(src: KVCache, rows: Tensor): void {
    const n = src.length;
    if (n > this.capacity) throw new Error(`KV cache: ${n} positions do not fit capacity ${this.capacity}`);
    scope(() =>
      noGrad(() => {
        for (let l = 0; l < this.keys.length; l++) {
          this.keys[l]!.narrow(2, 0, n).copy_(src.keys[l]!.narrow(2, 0, n).indexSelect(0, rows));
          this.values[l]!.narrow(2, 0, n).copy_(src.values[l]!.narrow(2, 0, n).indexSelect(0, rows));
        }
      }),
    );
    this.length = n;
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values]) t.dispose();
  }
}
