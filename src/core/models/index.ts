export * from './config.js';
export { LlamaForCausalLM, rmsNorm, parameterShapes, type ForwardOptions, type PrefixKV } from './llama.js';
export { KVCache } from './kv-cache.js';
export { fromPretrained, savePretrained, type LoadOptions } from './pretrained.js';
