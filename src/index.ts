// rlvr-world's library API. Layers are also importable one by one:
// 'rlvr-world/tensor', '/models', '/generate', '/tokenizers', '/train', '/config', '/domains'.
export * from './core/tensor/index.js';
export * from './core/models/index.js';
export * from './core/generate/index.js';
export * from './core/tokenizers/index.js';
export * from './train/index.js';
export { loadConfig, validateConfig, ConfigError } from './train/config/load.js';
export type { RunConfig, MleConfig, GrpoConfig } from './train/config/schema.js';
export * from './train/domain.js';
export {
  getDomain,
  registerDomain,
  domainNames,
  domainPlugin,
  loadDomainModules,
  domainVerifiers,
} from './domains/registry.js';
export { BadRequest, parseOptions, parseGroundTruth } from './domains/plugin.js';
export type { DomainPlugin, DemoProfile, HeadroomProfile, Verifier } from './domains/plugin.js';
export { readManifest, writeManifest, isBuilt } from './domains/manifest.js';
export { counterDomain } from './domains/counter/index.js';
export { safeReward, safeMetric, combineRewards } from './train/safe.js';
