// rlvr-world's library API. Layers are also importable one by one:
// 'rlvr-world/tensor', '/models', '/generate', '/tokenizers', '/train', '/config', '/domains'.
export * from './tensor/index.js';
export * from './models/index.js';
export * from './generate/index.js';
export * from './tokenizers/index.js';
export * from './train/index.js';
export { loadConfig, validateConfig, ConfigError } from './config/load.js';
export type { RunConfig, MleConfig, GrpoConfig } from './config/schema.js';
export * from './domains/types.js';
export { getDomain, registerDomain, domainNames } from './domains/registry.js';
export { counterDomain } from './domains/counter/index.js';
export { safeReward, combineRewards } from './rewards/safe.js';
