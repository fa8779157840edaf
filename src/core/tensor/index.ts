// The tensor layer: import { Tensor, tensor, scope, noGrad, ... } from 'rlvr-world/tensor'.
export * from './tensor.js';
export * from './dtype.js';
export { scope, scopeDepth } from './scope.js';
export { noGrad, enableGrad, isGradEnabled, autocast } from './autograd.js';
export { manualSeed, getRngState, setRngState } from './seed.js';
export { setNumThreads, getNumThreads, cuda, engineVersion, defaultDevice } from './device.js';
export { AdamW, clipGradNorm, type AdamWOptions, type AdamWState, type ParamGroup } from './optim.js';
export { SafetensorsFile, loadSafetensors, saveSafetensors, type TensorInfo } from './safetensors.js';
export * as F from './functional.js';
export { c10d, type DistBackend, type ReduceOp } from './c10d.js';
export {
  NativeDecoder,
  nativeDecodeAvailable,
  type DecoderSpec,
  type DecoderSampling,
  type DecoderLayer,
  type Picked,
} from './decode.js';
