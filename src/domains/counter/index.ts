// The counter world as a domain plugin: a character-level codec, an exact-state reward and
// a partial-credit reward (share of registers right).
import type { WorldModelDomain, Codec } from '../../train/domain.js';
import {
  type CounterExample,
  type Registers,
  type Op,
  OPS,
  makeExamples,
  formatState,
  formatAction,
  parseState,
} from './world.js';

export * from './world.js';

const CHARS = ' =>;abcdefghijklmnopqrstuvwxyz0123456789';
const EOS = 0,
  PAD = 1,
  OFFSET = 2;

/** Prediction: the parsed registers, or null when the output is not a state. */
export type CounterPrediction = Registers | null;

export function counterCodec(registers: number): Codec<CounterExample, CounterPrediction> {
  const encode = (s: string): number[] =>
    [...s].map((ch) => {
      const i = CHARS.indexOf(ch);
      if (i < 0) throw new Error(`counter codec: character '${ch}' is not in the vocabulary`);
      return i + OFFSET;
    });
  const text = (ids: number[]): string =>
    ids
      .filter((t) => t >= OFFSET && t < OFFSET + CHARS.length)
      .map((t) => CHARS[t - OFFSET])
      .join('');
  return {
    vocabSize: CHARS.length + OFFSET,
    eosTokenId: EOS,
    padTokenId: PAD,
    prompt: (e) => encode(`${formatState(e.state)};${formatAction(e.action)}>`),
    // the demonstration is the MLE target; rewards check the true next state
    target: (e) => [...encode(formatState(e.recorded ?? e.next)), EOS],
    decode: (ids) => {
      const end = ids.indexOf(EOS);
      return parseState(text(end < 0 ? ids : ids.slice(0, end)), registers);
    },
    text,
  };
}

export interface CounterOptions {
  registers?: number;
  trainSize?: number;
  testSize?: number;
  seed?: number;
  ops?: Op[];
  /** share of training transitions a biased demonstrator records wrongly (test transitions are always true) */
  demoErrorRate?: number;
}

export function counterDomain(o: CounterOptions = {}): WorldModelDomain<CounterExample, CounterPrediction> {
  const registers = o.registers ?? 3,
    seed = o.seed ?? 1,
    ops = o.ops ?? [...OPS];
  if (!Number.isInteger(registers) || registers < 2 || registers > 8)
    throw new Error(`counter domain: registers must be 2..8, got ${registers}`);
  for (const op of ops)
    if (!OPS.includes(op)) throw new Error(`counter domain: unknown op '${op}' (${OPS.join(', ')})`);
  const demoErrorRate = o.demoErrorRate ?? 0;
  if (!(demoErrorRate >= 0 && demoErrorRate <= 1))
    throw new Error(`counter domain: demoErrorRate must be in [0, 1], got ${demoErrorRate}`);
  const exact = (p: CounterPrediction, e: CounterExample): number =>
    p !== null && p.every((v, i) => v === e.next[i]) ? 1 : 0;
  const partial = (p: CounterPrediction, e: CounterExample): number =>
    p === null ? 0 : p.filter((v, i) => v === e.next[i]).length / registers;
  return {
    name: 'counter',
    examples: async (split) =>
      split === 'train'
        ? makeExamples(o.trainSize ?? 2000, registers, seed, 'train', ops, demoErrorRate)
        : makeExamples(o.testSize ?? 200, registers, seed + 7919, 'test', ops),
    codec: counterCodec(registers),
    rewards: { exact, partial },
    metrics: {
      accuracy: exact,
      register_accuracy: partial,
      parse_rate: (p) => (p === null ? 0 : 1),
    },
    defaultReward: 'exact',
    primaryMetric: 'accuracy',
    suggestedModel: {
      hiddenSize: 64,
      intermediateSize: 172,
      numHiddenLayers: 2,
      numAttentionHeads: 4,
      numKeyValueHeads: 2,
      maxPositionEmbeddings: 64,
    },
  };
}
