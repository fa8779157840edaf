// The LLaMA / Qwen2 decoder (transformers' LlamaForCausalLM and Qwen2ForCausalLM):
//   h = x + Attn(RMSNorm(x));  y = h + MLP(RMSNorm(h));  logits = RMSNorm(y) Wᵀ
// with rotary positions, grouped-query attention and a SwiGLU MLP.
import {
  Tensor,
  F,
  zeros,
  ones,
  randn,
  noGrad,
  arange,
  scope,
  cat,
  NativeDecoder,
  type DType,
  type DecoderSampling,
} from '../tensor/index.js';
import { type LlamaConfig } from './config.js';
import { inverseFrequencies, rotaryTables, applyRotary } from './rope.js';
import { KVCache } from './kv-cache.js';

interface Layer {
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

/** Keys and values of earlier positions, one [B, Hkv, Lp, d] tensor per layer (rotary applied). */
export interface PrefixKV {
  keys: Tensor[];
  values: Tensor[];
}

export interface ForwardOptions {
  /** positions [B, T] (default: cache.length + 0..T-1) */
  positions?: Tensor;
  /** [B, Tk] with 1 for real tokens and 0 for padding, over every key position so far (cache included) */
  attentionMask?: Tensor;
  cache?: KVCache;
  /** compute logits for the last position only (generation) */
  lastOnly?: boolean;
  /**
   * a prompt run earlier (shared-prefix training): these positions' keys and values come
   * first, with gradients flowing back into the pass that made them; attentionMask then
   * covers prefix + new positions, and positions must be given
   */
  prefix?: PrefixKV;
  /** collects this pass's keys and values per layer (to serve as another pass's prefix) */
  record?: PrefixKV;
}

/** RMSNorm in float32, as transformers computes it: w · (x / √(mean(x²) + ε)). */
export function rmsNorm(x: Tensor, weight: Tensor, eps: number): Tensor {
  const xf = x.dtype === 'float32' || x.dtype === 'float64' ? x : x.float();
  const normed = xf.mul(xf.square().mean(-1, true).add(eps).rsqrt());
  return weight.mul(normed.to(x.dtype));
}

/** Every parameter name and shape the config implies, in Hugging Face's naming. */
export function parameterShapes(c: LlamaConfig): Map<string, number[]> {
  const s = new Map<string, number[]>();
  const H = c.hiddenSize,
    D = c.headDim,
    q = c.numAttentionHeads * D,
    kv = c.numKeyValueHeads * D,
    I = c.intermediateSize;
  s.set('model.embed_tokens.weight', [c.vocabSize, H]);
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const p = `model.layers.${i}.`;
    s.set(`${p}input_layernorm.weight`, [H]);
    s.set(`${p}post_attention_layernorm.weight`, [H]);
    for (const [n, out] of [
      ['q', q],
      ['k', kv],
      ['v', kv],
    ] as const) {
      s.set(`${p}self_attn.${n}_proj.weight`, [out, H]);
      if (c.qkvBias) s.set(`${p}self_attn.${n}_proj.bias`, [out]);
    }
    s.set(`${p}self_attn.o_proj.weight`, [H, q]);
    if (c.oBias) s.set(`${p}self_attn.o_proj.bias`, [H]);
    for (const [n, out, inp] of [
      ['gate', I, H],
      ['up', I, H],
      ['down', H, I],
    ] as const) {
      s.set(`${p}mlp.${n}_proj.weight`, [out, inp]);
      if (c.mlpBias) s.set(`${p}mlp.${n}_proj.bias`, [out]);
    }
  }
  s.set('model.norm.weight', [H]);
  if (!c.tieWordEmbeddings) s.set('lm_head.weight', [c.vocabSize, H]);
  return s;
}

export class LlamaForCausalLM {
  private readonly layers: Layer[];
  private readonly invFreq: Tensor;

  /** `params` holds every tensor of parameterShapes(config); the model owns them. */
  constructor(
    readonly config: LlamaConfig,
    readonly params: Map<string, Tensor>,
  ) {
    for (const [name, shape] of parameterShapes(config)) {
      const t = params.get(name);
      if (!t) throw new Error(`model parameters lack '${name}' (shape [${shape}])`);
      if (t.shape.join() !== shape.join())
        throw new Error(`parameter '${name}' has shape [${t.shape}], the config needs [${shape}]`);
      t.keep();
    }
    const g = (n: string): Tensor => params.get(n)!;
    const o = (n: string): Tensor | null => params.get(n) ?? null;
    this.layers = Array.from({ length: config.numHiddenLayers }, (_, i) => {
      const p = `model.layers.${i}.`;
      return {
        inputNorm: g(`${p}input_layernorm.weight`),
        postNorm: g(`${p}post_attention_layernorm.weight`),
        q: g(`${p}self_attn.q_proj.weight`),
        qb: o(`${p}self_attn.q_proj.bias`),
        k: g(`${p}self_attn.k_proj.weight`),
        kb: o(`${p}self_attn.k_proj.bias`),
        v: g(`${p}self_attn.v_proj.weight`),
        vb: o(`${p}self_attn.v_proj.bias`),
        o: g(`${p}self_attn.o_proj.weight`),
        ob: o(`${p}self_attn.o_proj.bias`),
        gate: g(`${p}mlp.gate_proj.weight`),
        gateB: o(`${p}mlp.gate_proj.bias`),
        up: g(`${p}mlp.up_proj.weight`),
        upB: o(`${p}mlp.up_proj.bias`),
        down: g(`${p}mlp.down_proj.weight`),
        downB: o(`${p}mlp.down_proj.bias`),
      };
    });
    this.invFreq = inverseFrequencies(config.headDim, config.ropeTheta, this.device).keep();
  }

  /** A freshly initialized model: N(0, initializer_range) weights, unit norms, zero biases. */
  static init(config: LlamaConfig, o: { dtype?: DType; device?: string } = {}): LlamaForCausalLM {
    const params = new Map<string, Tensor>();
    noGrad(() => {
      for (const [name, shape] of parameterShapes(config)) {
        const opts = { dtype: o.dtype ?? 'float32', device: o.device ?? 'cpu' } as const;
        const t = name.endsWith('norm.weight')
          ? ones(shape, opts)
          : name.endsWith('.bias')
            ? zeros(shape, opts)
            : randn(shape, opts).mul_(config.initializerRange);
        params.set(name, t.keep());
      }
    });
    return new LlamaForCausalLM(config, params);
  }

  get embedding(): Tensor {
    return this.params.get('model.embed_tokens.weight')!;
  }
  get lmHead(): Tensor {
    return this.params.get(this.config.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight')!;
  }
  get device(): string {
    return this.embedding.device;
  }
  get dtype(): DType {
    return this.embedding.dtype;
  }
  parameters(): Tensor[] {
    return [...this.params.values()];
  }
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel, 0);
  }
  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad_(on);
    return this;
  }

  /** A new KV cache sized for `capacity` positions of `batch` rows. */
  newCache(batch: number, capacity: number): KVCache {
    const c = this.config;
    return new KVCache(c.numHiddenLayers, batch, c.numKeyValueHeads, capacity, c.headDim, {
      dtype: this.dtype,
      device: this.device,
    });
  }

  /**
   * The native decode step over this model's weights and `cache` (native/src/decode.cc): each
   * step() runs forward() for one token per row, with `attentionMask` ([B, capacity], as
   * forward() takes it), and chooses the next tokens, in one call; its tokens and
   * log-probabilities are bit-identical to this class's forward() and generate()'s sampler.
   * It shares (does not copy) the weights and the cache; dispose() it before them.
   */
  nativeDecoder(cache: KVCache, attentionMask: Tensor | null, sampling: DecoderSampling): NativeDecoder {
    const c = this.config;
    return new NativeDecoder({
      layers: this.layers,
      embed: this.embedding,
      norm: this.params.get('model.norm.weight')!,
      lmHead: this.lmHead,
      invFreq: this.invFreq,
      heads: c.numAttentionHeads,
      kvHeads: c.numKeyValueHeads,
      headDim: c.headDim,
      eps: c.rmsNormEps,
      keys: cache.keys,
      values: cache.values,
      mask: attentionMask,
      sampling,
    });
  }

  /** Final normalized hidden states [B, T, H]. */
  hidden(ids: Tensor, o: ForwardOptions = {}): Tensor {
    const c = this.config;
    const [B, T] = ids.shape as [number, number];
    if (o.prefix && o.cache) throw new Error('forward(): a prefix and a KV cache cannot be combined');
    const past = o.cache?.length ?? o.prefix?.keys[0]?.size(2) ?? 0;
    const positions =
      o.positions ??
      arange(past, past + T, 1, { device: this.device })
        .unsqueeze(0)
        .expand(B, T);
    const { cos, sin } = rotaryTables(positions, this.invFreq, this.dtype);
    const mask = this.attentionMask(B, T, past, o.attentionMask);
    let x = F.embedding(this.embedding, ids);
    for (let i = 0; i < this.layers.length; i++) {
      const L = this.layers[i]!;
      // each block frees its intermediates as it ends (autograd keeps what backward needs)
      const { y, kv } = scope(() => {
        const a = this.attention(L, rmsNorm(x, L.inputNorm, c.rmsNormEps), cos, sin, mask, o, i);
        const h = x.add(a.y);
        return { y: h.add(this.mlp(L, rmsNorm(h, L.postNorm, c.rmsNormEps))), kv: o.record ? [a.k, a.v] : [] };
      });
      if (o.record) {
        o.record.keys.push(kv[0]!);
        o.record.values.push(kv[1]!);
      }
      x.dispose();
      x = y;
    }
    if (o.cache) o.cache.length += T;
    return rmsNorm(x, this.params.get('model.norm.weight')!, c.rmsNormEps);
  }

  /** Next-token logits [B, T, V] (or [B, 1, V] with lastOnly). */
  forward(ids: Tensor, o: ForwardOptions = {}): Tensor {
    let h = this.hidden(ids, o);
    if (o.lastOnly) h = h.narrow(1, h.size(1) - 1, 1);
    return F.linear(h, this.lmHead);
  }

  /** Self-attention of one layer; also returns this pass's own keys and values. */
  private attention(
    L: Layer,
    x: Tensor,
    cos: Tensor,
    sin: Tensor,
    mask: Tensor | 'causal' | null,
    o: ForwardOptions,
    layer: number,
  ): { y: Tensor; k: Tensor; v: Tensor } {
    const c = this.config;
    const [B, T] = x.shape as [number, number];
    const heads = (w: Tensor, b: Tensor | null, n: number): Tensor =>
      F.linear(x, w, b).view(B, T, n, c.headDim).transpose(1, 2);
    const q = applyRotary(heads(L.q, L.qb, c.numAttentionHeads), cos, sin);
    const kNew = applyRotary(heads(L.k, L.kb, c.numKeyValueHeads), cos, sin);
    const vNew = heads(L.v, L.vb, c.numKeyValueHeads);
    let k = kNew,
      v = vNew;
    if (o.cache) ({ k, v } = o.cache.update(layer, k, v));
    else if (o.prefix) {
      k = cat([o.prefix.keys[layer]!, k], 2);
      v = cat([o.prefix.values[layer]!, v], 2);
    }
    const G = c.numAttentionHeads / c.numKeyValueHeads;
    let y: Tensor;
    if (G === 1) {
      y = F.scaledDotProductAttention(q, k, v, { mask: mask === 'causal' ? null : mask, causal: mask === 'causal' });
    } else {
      // Grouped-query attention without copying K/V per group: query head g of KV head j
      // becomes row (g, t) of a [B, Hkv, G·T, d] query that attends to that head's keys.
      const past = k.size(2) - T;
      const rows = mask === 'causal' ? this.causalBlock(T, past).repeat(G, 1) : mask ? mask.repeat(1, 1, G, 1) : null;
      y = F.scaledDotProductAttention(q.reshape(B, c.numKeyValueHeads, G * T, c.headDim), k, v, { mask: rows }).reshape(
        B,
        c.numAttentionHeads,
        T,
        c.headDim,
      );
    }
    return {
      y: F.linear(y.transpose(1, 2).reshape(B, T, c.numAttentionHeads * c.headDim), L.o, L.ob),
      k: kNew,
      v: vNew,
    };
  }

  private mlp(L: Layer, x: Tensor): Tensor {
    return F.linear(
      F.linear(x, L.gate, L.gateB)
        .silu()
        .mul(F.linear(x, L.up, L.upB)),
      L.down,
      L.downB,
    );
  }

  /**
   * The attention mask for T queries after `past` cached positions: causal, minus padded
   * keys. A query may always see itself, so rows of padding never attend to nothing.
   */
  private attentionMask(B: number, T: number, past: number, padding?: Tensor): Tensor | 'causal' | null {
    if (!padding)
      return past === 0
        ? T > 1
          ? 'causal'
          : null
        : T === 1
          ? null
          : this.causalBlock(T, past).unsqueeze(0).unsqueeze(0);
    const Tk = past + T;
    const keys = padding.narrow(1, 0, Tk).bool().view(B, 1, 1, Tk);
    if (T === 1) return keys;
    const causal = this.causalBlock(T, past);
    const self = arange(0, T, 1, { device: this.device })
      .unsqueeze(1)
      .add(past)
      .eq(arange(0, Tk, 1, { device: this.device }).unsqueeze(0));
    return keys.logicalAnd(causal.view(1, 1, T, Tk)).logicalOr(self.view(1, 1, T, Tk));
  }

  /** [T, past+T]: query i (at position past+i) sees keys 0 .. past+i. */
  private causalBlock(T: number, past: number): Tensor {
    return ones([T, past + T], { dtype: 'bool', device: this.device }).tril(past);
  }

  /** A copy with its own parameters (e.g. the frozen reference policy), optionally cast or moved. */
  clone(o: { dtype?: DType; device?: string } = {}): LlamaForCausalLM {
    const params = new Map<string, Tensor>();
    noGrad(() => {
      for (const [n, p] of this.params) {
        if (this.config.tieWordEmbeddings && n === 'lm_head.weight') continue;
        params.set(
          n,
          p
            .detach()
            .to({ dtype: o.dtype ?? p.dtype, device: o.device ?? p.device })
            .clone()
            .keep(),
        );
      }
    });
    return new LlamaForCausalLM(this.config, params);
  }

  /** Copies parameter values from another model with the same config. */
  loadFrom(other: LlamaForCausalLM): void {
    noGrad(() => {
      for (const [n, p] of this.params) p.copy_(other.params.get(n)!);
    });
  }

  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.invFreq.dispose();
  }
}
