export { TextTokenizer, type BpeTrainOptions } from './text-tokenizer.js';
