// The decoder's configuration, read from and written to Hugging Face's config.json.
export interface LlamaConfig {
  modelType: 'llama' | 'qwen2';
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** biases on q/k/v projections (always on for Qwen2; LLaMA's attention_bias) */
  qkvBias: boolean;
  /** bias on the output projection (LLaMA's attention_bias; never for Qwen2) */
  oBias: boolean;
  mlpBias: boolean;
  initializerRange: number;
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
  padTokenId: number | null;
}

export type LlamaConfigInput = Partial<LlamaConfig> &
  Pick<LlamaConfig, 'vocabSize' | 'hiddenSize' | 'numHiddenLayers' | 'numAttentionHeads'>;

/** Fills defaults the way transformers does for a LLaMA/Qwen2 config. */
export function llamaConfig(c: LlamaConfigInput): LlamaConfig {
  const heads = c.numAttentionHeads;
  const cfg: LlamaConfig = {
    modelType: c.modelType ?? 'llama',
    vocabSize: c.vocabSize,
    hiddenSize: c.hiddenSize,
    intermediateSize: c.intermediateSize ?? 4 * c.hiddenSize,
    numHiddenLayers: c.numHiddenLayers,
    numAttentionHeads: heads,
    numKeyValueHeads: c.numKeyValueHeads ?? heads,
    headDim: c.headDim ?? c.hiddenSize / heads,
    rmsNormEps: c.rmsNormEps ?? 1e-6,
    ropeTheta: c.ropeTheta ?? 10000,
    maxPositionEmbeddings: c.maxPositionEmbeddings ?? 2048,
    tieWordEmbeddings: c.tieWordEmbeddings ?? false,
    qkvBias: c.qkvBias ?? c.modelType === 'qwen2',
    oBias: c.oBias ?? false,
    mlpBias: c.mlpBias ?? false,
    initializerRange: c.initializerRange ?? 0.02,
    bosTokenId: c.bosTokenId ?? null,
    eosTokenId: c.eosTokenId ?? null,
    padTokenId: c.padTokenId ?? null,
  };
  const bad = (field: string, why: string): never => {
    throw new Error(`model config: ${field} ${why}`);
  };
  for (const k of [
    'vocabSize',
    'hiddenSize',
    'intermediateSize',
    'numHiddenLayers',
    'numAttentionHeads',
    'numKeyValueHeads',
    'headDim',
  ] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] <= 0) bad(k, `must be a positive integer, got ${cfg[k]}`);
  }
  if (heads % cfg.numKeyValueHeads !== 0)
    bad('numKeyValueHeads', `(${cfg.numKeyValueHeads}) must divide numAttentionHeads (${heads})`);
  if (cfg.headDim % 2 !== 0) bad('headDim', 'must be even for rotary embeddings');
  return cfg;
}

/** Parses a Hugging Face config.json object (LlamaForCausalLM or Qwen2ForCausalLM). */
export function configFromHF(j: Record<string, any>, source = 'config.json'): LlamaConfig {
  const type = j.model_type;
  if (type !== 'llama' && type !== 'qwen2')
    throw new Error(`${source}: model_type '${type}' is not supported (llama, qwen2)`);
  for (const k of ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads']) {
    if (typeof j[k] !== 'number') throw new Error(`${source}: field ${k} is missing or not a number`);
  }
  if (j.hidden_act !== undefined && j.hidden_act !== 'silu')
    throw new Error(`${source}: hidden_act '${j.hidden_act}' is not supported (silu)`);
  const rope = j.rope_parameters ?? j.rope_scaling;
  if (rope && rope.rope_type && rope.rope_type !== 'default')
    throw new Error(`${source}: rope_type '${rope.rope_type}' is not supported (default)`);
  const theta = j.rope_parameters?.rope_theta ?? j.rope_theta ?? 10000;
  const attnBias = Boolean(j.attention_bias);
  return llamaConfig({
    modelType: type,
    vocabSize: j.vocab_size,
    hiddenSize: j.hidden_size,
    intermediateSize: j.intermediate_size,
    numHiddenLayers: j.num_hidden_layers,
    numAttentionHeads: j.num_attention_heads,
    numKeyValueHeads: j.num_key_value_heads ?? j.num_attention_heads,
    headDim: j.head_dim ?? j.hidden_size / j.num_attention_heads,
    rmsNormEps: j.rms_norm_eps ?? 1e-6,
    ropeTheta: theta,
    maxPositionEmbeddings: j.max_position_embeddings ?? 2048,
    tieWordEmbeddings: j.tie_word_embeddings ?? (type === 'qwen2' ? false : false),
    qkvBias: type === 'qwen2' ? true : attnBias,
    oBias: type === 'qwen2' ? false : attnBias,
    mlpBias: Boolean(j.mlp_bias),
    initializerRange: j.initializer_range ?? 0.02,
    bosTokenId: j.bos_token_id ?? null,
    eosTokenId: j.eos_token_id ?? null,
    padTokenId: j.pad_token_id ?? null,
  });
}

/** A config.json that transformers loads (both rope_theta spellings are written). */
export function configToHF(c: LlamaConfig, dtype = 'float32'): Record<string, unknown> {
  if (c.modelType === 'qwen2' && (!c.qkvBias || c.oBias || c.mlpBias))
    throw new Error('model config: a qwen2 model has q/k/v biases and no other biases');
  if (c.modelType === 'llama' && c.qkvBias !== c.oBias)
    throw new Error('model config: llama has attention_bias on all of q/k/v/o or none');
  const common = {
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    num_key_value_heads: c.numKeyValueHeads,
    head_dim: c.headDim,
    hidden_act: 'silu',
    rms_norm_eps: c.rmsNormEps,
    max_position_embeddings: c.maxPositionEmbeddings,
    rope_theta: c.ropeTheta,
    rope_parameters: { rope_theta: c.ropeTheta, rope_type: 'default' },
    tie_word_embeddings: c.tieWordEmbeddings,
    initializer_range: c.initializerRange,
    bos_token_id: c.bosTokenId,
    eos_token_id: c.eosTokenId,
    pad_token_id: c.padTokenId,
    attention_dropout: 0.0,
    use_cache: true,
    dtype,
    torch_dtype: dtype,
  };
  if (c.modelType === 'qwen2') {
    return {
      architectures: ['Qwen2ForCausalLM'],
      model_type: 'qwen2',
      ...common,
      use_sliding_window: false,
      sliding_window: null,
      max_window_layers: c.numHiddenLayers,
    };
  }
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    ...common,
    attention_bias: c.qkvBias,
    mlp_bias: c.mlpBias,
    pretraining_tp: 1,
  };
}
