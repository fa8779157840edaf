// A preallocated key/value cache: one [B, Hkv, capacity, d] buffer per layer, written in place.
import { Tensor, zeros, noGrad, type DType } from '../tensor/index.js';

export class KVCache {
  readonly keys: Tensor[] = [];
  readonly values: Tensor[] = [];
  /** positions already written (the same for every layer once a forward pass completes) */
  length = 0;

  constructor(layers: number, batch: number, kvHeads: number, readonly capacity: number, headDim: number, o: { dtype: DType; device: string }) {
    for (let i = 0; i < layers; i++) {
      this.keys.push(zeros([batch, kvHeads, capacity, headDim], o).keep());
      this.values.push(zeros([batch, kvHeads, capacity, headDim], o).keep());
    }
  }

  /** Writes k/v [B, Hkv, T, d] after the cached positions; returns all keys and values so far. */
  update(layer: number, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    const t = k.size(2);
    if (this.length + t > this.capacity) throw new Error(`KV cache full: ${this.length} + ${t} positions > capacity ${this.capacity}`);
    const K = this.keys[layer]!, V = this.values[layer]!;
    noGrad(() => { K.narrow(2, this.length, t).copy_(k); V.narrow(2, this.length, t).copy_(v); });
    return { k: K.narrow(2, 0, this.length + t), v: V.narrow(2, 0, this.length + t) };
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values]) t.dispose();
  }
}
