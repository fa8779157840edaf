// Builds the world model a run starts from: a checkpoint, or a new model sized by the
// domain's suggestion and the config.
import { LlamaForCausalLM, llamaConfig, fromPretrained } from '../core/models/index.js';
import type { RunConfig } from './config/schema.js';
import type { Tensor, ParamGroup } from '../core/tensor/index.js';
import type { WorldModelDomain } from './domain.js';

export function buildModel(cfg: RunConfig, domain: WorldModelDomain<any, any>, maxLength: number): LlamaForCausalLM {
  const m = cfg.model;
  const codec = domain.codec;
  if (m.from) {
    const model = fromPretrained(m.from, { device: cfg.device, dtype: m.dtype });
    if (model.config.vocabSize < codec.vocabSize)
      throw new Error(
        `model.from ${m.from}: vocab_size ${model.config.vocabSize} is smaller than the domain's ${codec.vocabSize}`,
      );
    return model;
  }
  const s = domain.suggestedModel ?? {};
  const config = llamaConfig({
    modelType: m.modelType ?? s.modelType ?? 'llama',
    vocabSize: codec.vocabSize,
    hiddenSize: m.hiddenSize ?? s.hiddenSize ?? 128,
    intermediateSize: m.intermediateSize ?? s.intermediateSize,
    numHiddenLayers: m.numHiddenLayers ?? s.numHiddenLayers ?? 4,
    numAttentionHeads: m.numAttentionHeads ?? s.numAttentionHeads ?? 4,
    numKeyValueHeads: m.numKeyValueHeads ?? s.numKeyValueHeads,
    maxPositionEmbeddings: Math.max(m.maxPositionEmbeddings ?? s.maxPositionEmbeddings ?? 0, maxLength),
    ropeTheta: m.ropeTheta ?? s.ropeTheta ?? 10000,
    tieWordEmbeddings: m.tieWordEmbeddings ?? s.tieWordEmbeddings ?? false,
    eosTokenId: codec.eosTokenId,
    padTokenId: codec.padTokenId,
  });
  return LlamaForCausalLM.init(config, { dtype: m.dtype, device: cfg.device });
}

/** AdamW groups: weight decay on matrices, none on norms and biases (as nanoGPT and HF do). */
export function decayGroups(model: LlamaForCausalLM, weightDecay: number): ParamGroup[] {
  const decay: Tensor[] = [],
    noDecay: Tensor[] = [];
  for (const p of model.parameters()) (p.ndim >= 2 ? decay : noDecay).push(p);
  return [
    { params: decay, weightDecay },
    { params: noDecay, weightDecay: 0 },
  ];
}
