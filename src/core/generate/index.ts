export { generate, usesNativeDecode, NATIVE_DECODE_DEFAULT, type SampleOptions, type Generation } from './sample.js';
export { topKFilter, topPFilter } from './logits.js';
