export { generate, type SampleOptions, type Generation } from './sample.js';
export { topKFilter, topPFilter } from './logits.js';
